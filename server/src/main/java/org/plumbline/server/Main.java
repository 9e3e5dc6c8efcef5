package org.plumbline.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import org.plumbline.loaders.Format;
import org.plumbline.ontology.AuditLedger;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.rules.RulePackTester;

/**
 * The command line (CONTRACT section 6). Exit status 0 on success, 1 on a failed check, 2 on bad
 * usage; errors go to stderr in one line.
 */
public final class Main {
  static final String USAGE =
      """
      usage: plumbline <command> [options]
        serve [--config FILE] [--data DIR] [--port N] [--rules DIR] [--demo]
        load FILE|DIR... [--format NAME] [--environment ID] [--observed-at INSTANT]
             [--source-environment KEY] [--fail-fast] [--server URL --token T | --data DIR] [--rules DIR]
        load --history DIR [--batch N] [--format NAME] [--environment ID] [--fail-fast]
             [--server URL --token T | --data DIR] [--rules DIR]
        rules test [DIR]
        audit verify [--data DIR | --file EXPORT.json]
        audit export --environment ID [--since INSTANT] [--until INSTANT] [--format json|csv|jsonld] [--data DIR]
        bench [--json FILE]""";

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

  Main(PrintStream out, PrintStream err) {
    this(out, err, Clock.systemUTC(), System.console() != null, System::nanoTime);
  }

  /**
   * @param terminal whether a person watches stderr: progress is then redrawn in place
   * @param nanoTime the monotonic clock progress and rates are measured with
   */
  Main(PrintStream out, PrintStream err, Clock clock, boolean terminal, LongSupplier nanoTime) {
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
  }

  public static void main(String[] args) {
    int status = new Main(System.out, System.err).run(args);
    if (status != 0 || args.length == 0 || !"serve".equals(args[0])) {
      System.exit(status);
    }
  }

  int run(String[] args) {
    try {
      if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
        out.println(USAGE);
        return args.length == 0 ? 2 : 0;
      }
      Options o = Options.parse(args);
      return switch (o.command()) {
        case "serve" -> serve(o);
        case "load" -> load(o);
        case "rules" -> rules(o);
        case "audit" -> audit(o);
        case "bench" -> throw new UsageException("bench is not built yet");
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

  /** Parsed arguments: the command, its positional words and its {@code --flags}. */
  record Options(String command, List<String> words, Map<String, String> flags) {
    private static final List<String> SWITCHES = List.of("demo", "fail-fast");

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
            flags.put(name, args[++i]);
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

    void allow(String... names) {
      for (String f : flags.keySet()) {
        if (!List.of(names).contains(f)) {
          throw new UsageException("'" + command + "' does not take --" + f);
        }
      }
    }
  }

  // ---- serve ----

  private int serve(Options o) {
    o.allow("config", "data", "port", "rules", "demo");
    ServerConfig config =
        o.flag("config") == null
            ? ServerConfig.defaults()
            : ServerConfig.load(Path.of(o.flag("config")));
    if (o.flag("data") != null) config = config.withData(Path.of(o.flag("data")));
    if (o.flag("rules") != null) config = config.withRules(Path.of(o.flag("rules")));
    if (o.flag("port") != null) {
      try {
        config = config.withPort(Integer.parseInt(o.flag("port")));
      } catch (NumberFormatException e) {
        throw new UsageException("--port must be a number, was '" + o.flag("port") + "'");
      }
    }
    boolean demo = o.flags().containsKey("demo");
    if (demo) {
      List<ServerConfig.Token> tokens = new ArrayList<>(config.tokens());
      tokens.addAll(DemoWorld.TOKENS);
      config = config.withTokens(tokens);
    } else if (config.tokens().isEmpty()) {
      throw new UsageException(
          "no tokens configured: give --config FILE with auth.tokens, or --demo for demo tokens");
    }
    Clock clock = this.clock;
    PlumblineServer server = PlumblineServer.start(config, clock);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "plumbline-shutdown"));
    if (demo) {
      boolean empty = server.store().read(r -> r.environments().isEmpty());
      if (empty) {
        out.println("Loading the demo world ...");
        DemoWorld.load(server.governance(), clock, line -> out.println("  " + line));
      } else {
        out.println(
            "Demo world already in "
                + server.store().location()
                + " (delete the folder to reload it)");
      }
    }
    String base = "http://localhost:" + server.port();
    out.println();
    out.println("Plumbline is listening on " + base);
    out.println(
        "  GraphiQL   "
            + base
            + "/graphiql  (the browser asks for a user and password: any user, a token as password)");
    out.println("  GraphQL    POST " + base + "/graphql with Authorization: Bearer <token>");
    out.println("  data       " + server.store().location() + " (TDB2)");
    out.println(
        "  rules      "
            + server.rulePack().directory()
            + " ("
            + server.rulePack().ruleCount()
            + " rules, "
            + server.rulePack().version()
            + ")");
    if (demo) {
      out.println("  demo tokens:");
      for (ServerConfig.Token t : DemoWorld.TOKENS) {
        out.printf(
            "    %-22s %-10s %s%n",
            t.token(), t.user(), String.join(",", new java.util.TreeSet<>(t.roles())));
      }
      out.println();
      out.println("Try:");
      out.println(
          "  curl -s -H 'Authorization: Bearer demo-viewer-token' -H 'Content-Type: application/json' \\");
      out.println(
          "    -d '{\"query\":\"{ changes(environment: \\\"credit-model-prod\\\", lastDays: 90) { key from to at source } }\"}' \\");
      out.println("    " + base + "/graphql");
    }
    out.flush();
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  // ---- load ----

  private int load(Options o) {
    o.allow(
        "server",
        "token",
        "data",
        "rules",
        "format",
        "environment",
        "observed-at",
        "source-environment",
        "fail-fast",
        "history",
        "batch");
    boolean history = o.flag("history") != null;
    if (history == !o.words().isEmpty()) {
      throw new UsageException("load needs FILE or DIR arguments, or --history DIR (not both)");
    }
    if ((o.flag("server") == null) == (o.flag("data") == null)) {
      throw new UsageException("load needs either --server URL --token T or --data DIR");
    }
    if (o.flag("server") != null && o.flag("token") == null) {
      throw new UsageException("--server needs --token");
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
            o.flag("token"),
            o.flag("data") == null ? null : Path.of(o.flag("data")),
            rules,
            batch);
    if (history && !Files.isDirectory(options.history())) {
      throw new UsageException("--history needs a folder, got '" + o.flag("history") + "'");
    }
    return new LoadCommand(out, err, clock, terminal, nanoTime).run(options);
  }

  // ---- rules ----

  private int rules(Options o) {
    o.allow();
    if (o.words().isEmpty() || !o.words().get(0).equals("test")) {
      throw new UsageException("usage: plumbline rules test [DIR]");
    }
    Path dir =
        o.words().size() > 1
            ? Path.of(o.words().get(1))
            : RulePacks.packDirectory(ServerConfig.DEFAULT_RULES);
    org.plumbline.rules.TestReport report = RulePackTester.run(dir);
    out.print(report.render());
    return report.failed() == 0 ? 0 : 1;
  }

  // ---- audit ----

  private int audit(Options o) {
    if (o.words().isEmpty()) {
      throw new UsageException("usage: plumbline audit verify|export ...");
    }
    return switch (o.words().get(0)) {
      case "verify" -> auditVerify(o);
      case "export" -> auditExport(o);
      default -> throw new UsageException("unknown audit command '" + o.words().get(0) + "'");
    };
  }

  private int auditVerify(Options o) {
    o.allow("data", "file");
    AuditLedger.Verification v;
    if (o.flag("file") != null) {
      v = AuditLedger.verify(readExport(Path.of(o.flag("file"))));
    } else {
      try (GraphStore store =
          GraphStore.openTdb2(Path.of(o.flag("data") == null ? "data" : o.flag("data")))) {
        v = store.read(AuditLedger::verify);
      }
    }
    out.println(
        v.valid()
            ? "{\"valid\": true, \"records\": " + v.records() + "}"
            : "{\"valid\": false, \"records\": "
                + v.records()
                + ", \"firstBrokenSeq\": "
                + v.firstBrokenSeq()
                + ", \"reason\": \""
                + v.reason()
                + "\"}");
    return v.valid() ? 0 : 1;
  }

  private static List<AuditRecord> readExport(Path file) {
    try {
      JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
      JsonNode records = root.isArray() ? root : root.path("records");
      List<AuditRecord> out = new ArrayList<>();
      for (JsonNode r : records) {
        out.add(
            new AuditRecord(
                r.path("seq").asLong(),
                Instant.parse(r.path("at").asText()),
                r.path("actor").asText(null),
                r.path("action").asText(null),
                r.path("environment").isNull() ? null : r.path("environment").asText(null),
                r.path("subject").asText(null),
                r.path("detail").isNull() ? null : r.path("detail").asText(null),
                r.path("hash").asText(null),
                r.path("prevHash").asText(null)));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      throw new UsageException("cannot read audit export " + file + ": " + e.getMessage());
    }
  }

  private int auditExport(Options o) {
    o.allow("environment", "since", "until", "format", "data");
    String env = o.flag("environment");
    if (env == null) {
      throw new UsageException("audit export needs --environment ID");
    }
    Instant since = instant(o.flag("since"), "since");
    Instant until = instant(o.flag("until"), "until");
    String format = o.flag("format") == null ? "json" : o.flag("format");
    try (GraphStore store =
        GraphStore.openTdb2(Path.of(o.flag("data") == null ? "data" : o.flag("data")))) {
      List<AuditRecord> records = store.read(r -> r.audit(env, since, until));
      out.println(
          switch (format) {
            case "json" -> AuditExport.json(records);
            case "csv" -> AuditExport.csv(records);
            case "jsonld" -> AuditExport.jsonLd(env, records);
            default -> throw new UsageException("--format must be json, csv or jsonld");
          });
    }
    return 0;
  }

  private static Instant instant(String v, String name) {
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
