package org.plumbline.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.plumbline.loaders.Format;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.config.ServerConfig;

/**
 * The command line (CONTRACT section 6). Exit status 0 on success, 1 on a failed check, 2 on bad
 * usage; errors go to stderr in one line.
 */
public final class Main {
  static final String USAGE =
      """
      usage: plumbline <command> [options]
        serve [--config FILE] [--data DIR] [--port N] [--rules DIR] [--demo]
        load FILE|DIR... [--from URL [--from-token-env NAME] [--from-timeout SECONDS]] [--dry-run]
             [--format NAME] [--environment ID] [--observed-at INSTANT] [--source-environment KEY]
             [--fail-fast] [--server URL --token-file F | --data DIR] [--rules DIR]
        load --history DIR [--batch N] [--format NAME] [--environment ID] [--fail-fast]
             [--server URL --token-file F | --data DIR] [--rules DIR]
        rules test [DIR]
        blueprint export --bundle B [--version V] (--server URL --token-file F | --data DIR)
        blueprint init --from FILE|ENVIRONMENT [--map FILE] [--bundle B] [--version V] [--tier T]
             [--owner O] [--format NAME] [--environment ID] [--server URL --token-file F | --data DIR]
        gate --environment E (--bundle B --version V | --blueprint FILE)
             (--server URL --token-file F | --data DIR [--rules DIR])
        audit verify [--data DIR | --file EXPORT.json [--public-key PEM] [--extends EARLIER.json|HEAD.json]
             [--witness LOG] [--allow-partial]]
        audit rotate-key --data DIR [--key OLD.pem --new-key NEW.pem]   (server stopped)
        audit export [--environment ID] [--since INSTANT] [--until INSTANT] [--format json|csv|jsonld|html|pdf]
             [--since-size M | --since-head HEAD.json] [--data DIR | --server URL --token-file F] [--out FILE]
        audit head (--server URL --token-file F | --data DIR) [--out HEAD.json]
        backup [--server URL --token-file F | --data DIR --out FILE]
        restore --from BACKUP.nq.gz --data NEW_DIR [--signing-key audit-signing.pem]
        rebuild --from DATA_DIR --data NEW_DIR [--rules DIR]
        rebuild --journal DIR --journal DIR ... --data NEW_DIR [--hmac-key F] [--rules DIR]
             (the journals of several servers on one shared store, in the store's commit order)
        store-server [--port N] [--data DIR] [--all-interfaces] [--password-file F]
             (Apache Jena Fuseki with a TDB2 dataset at http://127.0.0.1:N/plumbline; default
             port 3030, data ./store; F holds "user: password" lines for HTTP Basic)
        hash-token [TOKEN]      (reads the token from stdin without TOKEN; prints its tokenSha256)
        bench [--json FILE] [--environments N] [--changes N] [--keys-min N] [--keys-max N]
              [--changes-per-snapshot N] [--ingest-snapshots N] [--ingest-keys N] [--loaders N]
              [--dependency-keys N] [--queries N] [--seed N] [--rules DIR] [--data DIR] [--postgres auto|off]
              [--workloads W1,W2,W3,W4,W5] [--store tdb2|sparql] [--servers N]

      A token for --server: --token-file F (the token on the file's first line), or the environment
      variable PLUMBLINE_TOKEN; --token T still works but shows the token to every user of the
      machine (the process list). Each command answers --help.""";

  /** A usage error: exit status 2. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private java.util.function.Function<String, String> environment = System::getenv;

  /** Where environment variables are read from (tests pass their own). */
  public Main withEnvironment(java.util.function.Function<String, String> env) {
    this.environment = env;
    return this;
  }

  public Main(PrintStream out, PrintStream err) {
    this(out, err, Clock.systemUTC(), System.console() != null, System::nanoTime);
  }

  /**
   * @param terminal whether a person watches stderr: progress is then redrawn in place
   * @param nanoTime the monotonic clock progress and rates are measured with
   */
  public Main(
      PrintStream out, PrintStream err, Clock clock, boolean terminal, LongSupplier nanoTime) {
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
  }

  public static void main(String[] args) {
    int status = new Main(System.out, System.err).run(args);
    if (status != 0 || args.length == 0 || !List.of("serve", "store-server").contains(args[0])) {
      System.exit(status);
    }
  }

  public int run(String[] args) {
    try {
      if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
        out.println(USAGE);
        return args.length == 0 ? 2 : 0;
      }
      if (List.of(args).subList(1, args.length).stream()
          .anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
        out.println(usageOf(args[0]));
        return 0;
      }
      Options o = Options.parse(args);
      return switch (o.command()) {
        case "serve" -> new ServeCommand(out, clock).run(o);
        case "load" -> load(o);
        case "rules" -> new RulesCommand(out).run(o);
        case "blueprint" -> new BlueprintCommand(this, out).run(o);
        case "gate" -> new GateCommand(this, out, clock).run(o);
        case "audit" -> new AuditCommand(this, out, err).run(o);
        case "hash-token" -> new HashTokenCommand(out).run(o);
        case "bench" -> bench(o);
        case "backup" -> new StoreCommands(this, out, err).backup(o);
        case "restore" -> new StoreCommands(this, out, err).restore(o);
        case "rebuild" -> new StoreCommands(this, out, err).rebuild(o);
        case "store-server" -> new StoreServerCommand(out).run(o);
        default -> throw new UsageException("unknown command '" + o.command() + "'");
      };
    } catch (UsageException e) {
      err.println("plumbline: " + e.getMessage() + " (plumbline --help for usage)");
      return 2;
    } catch (PlumblineException e) {
      err.println(
          "plumbline: "
              + e.code().name()
              + ": "
              + e.getMessage()
              + (e.details().isEmpty() ? "" : " [" + String.join("; ", e.details()) + "]"));
      return 1;
    }
  }

  /** The usage lines of one command (all of them for an unknown one). */
  static String usageOf(String command) {
    StringBuilder sb = new StringBuilder("usage: plumbline ");
    boolean in = false;
    boolean found = false;
    for (String line : USAGE.split("\n")) {
      if (line.startsWith("  ") && !line.startsWith("    ")) {
        in = line.trim().startsWith(command + " ") || line.trim().equals(command);
        if (in) {
          sb.append(found ? "\n       plumbline " : "").append(line.trim());
          found = true;
        }
      } else if (line.startsWith("    ") && in) {
        sb.append("\n         ").append(line.trim());
      } else {
        in = false;
      }
    }
    if (!found) {
      return USAGE;
    }
    String tail = USAGE.substring(USAGE.indexOf("\n\n") + 2);
    return sb
        + (command.equals("load")
                || command.equals("backup")
                || command.equals("audit")
                || command.equals("gate")
                || command.equals("blueprint")
            ? "\n\n" + tail
            : "");
  }

  /**
   * The token for {@code --server}: {@code --token-file F}, else {@code --token T} (with a warning:
   * the process list shows it to every user of the machine), else {@code PLUMBLINE_TOKEN}; null if
   * none.
   */
  String token(Options o) {
    if (o.flag("token-file") != null) {
      if (o.flag("token") != null) {
        throw new UsageException("give --token-file or --token, not both");
      }
      try {
        List<String> lines = Files.readAllLines(Path.of(o.flag("token-file")));
        String t = lines.isEmpty() ? "" : lines.get(0).strip();
        if (t.isEmpty()) {
          throw new UsageException("--token-file " + o.flag("token-file") + " holds no token");
        }
        return t;
      } catch (IOException e) {
        throw new UsageException(
            "cannot read --token-file " + o.flag("token-file") + ": " + e.getMessage());
      }
    }
    if (o.flag("token") != null) {
      err.println(
          "plumbline: warning: --token shows the token to every user of this machine (the process"
              + " list); use --token-file F or the environment variable PLUMBLINE_TOKEN");
      return o.flag("token");
    }
    String env = environment.apply("PLUMBLINE_TOKEN");
    return env == null || env.isBlank() ? null : env.strip();
  }

  /** Parsed arguments: the command, its positional words and its {@code --flags}. */
  record Options(String command, List<String> words, Map<String, String> flags) {
    private static final List<String> SWITCHES =
        List.of("demo", "fail-fast", "allow-partial", "all-interfaces", "dry-run");

    /** Flags that may be given more than once; {@link #flags(String)} answers each value. */
    private static final List<String> REPEATABLE = List.of("journal");

    static Options parse(String[] args) {
      List<String> words = new ArrayList<>();
      Map<String, String> flags = new HashMap<>();
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        if (a.startsWith("--")) {
          String name = a.substring(2);
          if (SWITCHES.contains(name)) {
            flags.put(name, "true");
          } else if (i + 1 < args.length) {
            String value = args[++i];
            flags.merge(name, value, (a1, a2) -> REPEATABLE.contains(name) ? a1 + "\n" + a2 : a2);
          } else {
            throw new UsageException("--" + name + " needs a value");
          }
        } else {
          words.add(a);
        }
      }
      return new Options(args[0], words, flags);
    }

    String flag(String name) {
      return flags.get(name);
    }

    /** Every value of a repeatable flag, in the order given; empty when absent. */
    List<String> flags(String name) {
      String v = flags.get(name);
      return v == null ? List.of() : List.of(v.split("\n"));
    }

    void allow(String... names) {
      for (String f : flags.keySet()) {
        if (!List.of(names).contains(f)) {
          throw new UsageException("'" + command + "' does not take --" + f);
        }
      }
    }
  }

  // ---- load ----

  private int load(Options o) {
    o.allow(
        "server",
        "token",
        "token-file",
        "data",
        "rules",
        "format",
        "environment",
        "observed-at",
        "source-environment",
        "fail-fast",
        "history",
        "batch",
        "dry-run",
        "from",
        "from-token-env",
        "from-timeout");
    boolean history = o.flag("history") != null;
    boolean files = !o.words().isEmpty() || o.flag("from") != null;
    if (history == files) {
      throw new UsageException(
          "load needs FILE or DIR arguments (or --from URL), or --history DIR (not both)");
    }
    if (history && o.flags().containsKey("dry-run")) {
      throw new UsageException("--dry-run applies to a load of files, not to --history");
    }
    if ((o.flag("server") == null) == (o.flag("data") == null)) {
      throw new UsageException("load needs either --server URL --token-file F or --data DIR");
    }
    String token = o.flag("server") == null ? null : token(o);
    if (o.flag("server") != null && token == null) {
      throw new UsageException("--server needs --token-file F (or PLUMBLINE_TOKEN)");
    }
    if (o.flag("batch") != null && !history) {
      throw new UsageException("--batch only applies to --history");
    }
    Format format;
    try {
      format = o.flag("format") == null ? null : Format.named(o.flag("format"));
    } catch (PlumblineException e) {
      throw new UsageException(e.getMessage() + " (" + String.join("; ", e.details()) + ")");
    }
    int batch = LoadCommand.DEFAULT_BATCH;
    if (o.flag("batch") != null) {
      try {
        batch = Integer.parseInt(o.flag("batch"));
      } catch (NumberFormatException e) {
        batch = 0;
      }
      if (batch < 1 || batch > 10_000) {
        throw new UsageException(
            "--batch must be a number from 1 to 10000, was '" + o.flag("batch") + "'");
      }
    }
    Path rules =
        o.flag("rules") == null ? ServerConfig.defaults().rules() : Path.of(o.flag("rules"));
    LoadCommand.Options options =
        new LoadCommand.Options(
            o.words().stream().map(Path::of).toList(),
            history ? Path.of(o.flag("history")) : null,
            format,
            o.flag("environment"),
            instant(o.flag("observed-at"), "observed-at"),
            o.flag("source-environment"),
            o.flags().containsKey("fail-fast"),
            o.flag("server"),
            token,
            o.flag("data") == null ? null : Path.of(o.flag("data")),
            rules,
            batch,
            o.flags().containsKey("dry-run"),
            from(o));
    if (history && !Files.isDirectory(options.history())) {
      throw new UsageException("--history needs a folder, got '" + o.flag("history") + "'");
    }
    return new LoadCommand(out, err, clock, terminal, nanoTime).run(options);
  }

  /** {@code --from URL [--from-token-env NAME] [--from-timeout SECONDS]}, or null. */
  private LoadCommand.From from(Options o) {
    if (o.flag("from") == null) {
      if (o.flag("from-token-env") != null || o.flag("from-timeout") != null) {
        throw new UsageException("--from-token-env and --from-timeout go with --from URL");
      }
      return null;
    }
    java.net.URI url;
    try {
      url = new java.net.URI(o.flag("from"));
    } catch (java.net.URISyntaxException e) {
      url = null;
    }
    if (url == null
        || url.getHost() == null
        || !("http".equalsIgnoreCase(url.getScheme())
            || "https".equalsIgnoreCase(url.getScheme()))) {
      throw new UsageException("--from needs an http:// or https:// URL");
    }
    String token = null;
    String name = o.flag("from-token-env");
    if (name != null) {
      token = environment.apply(name);
      if (token == null || token.isBlank()) {
        throw new UsageException(
            "--from-token-env " + name + ": that environment variable is not set");
      }
      token = token.strip();
      if ("http".equalsIgnoreCase(url.getScheme())
          && !List.of("localhost", "127.0.0.1", "[::1]").contains(url.getHost())) {
        err.println(
            "plumbline: warning: --from-token-env sends the token over plain http to "
                + url.getHost()
                + "; use https://");
      }
    }
    long seconds = 60;
    if (o.flag("from-timeout") != null) {
      try {
        seconds = Long.parseLong(o.flag("from-timeout"));
      } catch (NumberFormatException e) {
        seconds = 0;
      }
      if (seconds < 1 || seconds > 3600) {
        throw new UsageException(
            "--from-timeout must be seconds from 1 to 3600, was '" + o.flag("from-timeout") + "'");
      }
    }
    return new LoadCommand.From(url, token, java.time.Duration.ofSeconds(seconds));
  }

  // ---- bench ----

  /**
   * The benchmark is its own module (bench/, plumbline-bench.jar), outside the product jar with the
   * PostgreSQL driver; the launcher runs it for {@code ./plumbline bench}.
   */
  private int bench(Options o) {
    throw new UsageException(
        "bench is not in this jar: run ./plumbline bench (it builds bench/target/plumbline-bench.jar)");
  }

  static Instant instant(String v, String name) {
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (RuntimeException e) {
      throw new UsageException("--" + name + " is not an ISO-8601 instant: '" + v + "'");
    }
  }
}
