package org.plumbline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.plumbline.ontology.PlumblineException;

/**
 * {@code plumbline bench}: the command line of the benchmark. It lives in its own module (and jar)
 * so that the product jar carries neither the bench nor the PostgreSQL driver; the {@code
 * ./plumbline} launcher runs this class for the {@code bench} command. Exit status and error lines
 * follow the other commands: 0 on success, 1 on a failed run, 2 on bad usage, one line on stderr.
 */
public final class BenchCommand {
  static final String USAGE =
      """
      usage: plumbline bench [--json FILE] [--environments N] [--changes N] [--keys-min N] [--keys-max N]
               [--changes-per-snapshot N] [--ingest-snapshots N] [--ingest-keys N] [--loaders N]
               [--dependency-keys N] [--queries N] [--seed N] [--rules DIR] [--data DIR] [--postgres auto|off]
               [--workloads W1,W2,W3,W4,W5,W6] [--store tdb2|sparql] [--servers N]
               [--history-snapshots N] [--history-keys N] [--world default|full]

      --world full: 1,000 environments, 1,000,000 changes, 500 to 5,000 keys (hours on 2 cores)""";

  private final PrintStream out;
  private final PrintStream err;

  /** Prints figures and progress to {@code out}, errors to {@code err}. */
  public BenchCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * {@code java -cp plumbline.jar:plumbline-bench.jar org.plumbline.bench.BenchCommand bench …}.
   */
  public static void main(String[] args) {
    System.exit(new BenchCommand(System.out, System.err).run(args));
  }

  /**
   * Runs {@code bench [flags]} ({@code args[0]} is the word {@code bench}, as the launcher passes
   * it) and returns the exit status.
   */
  public int run(String[] args) {
    List<String> rest =
        args.length > 0 && args[0].equals("bench") ? List.of(args).subList(1, args.length) : null;
    if (rest == null) {
      return usage("this jar runs only the command 'bench'");
    }
    if (rest.contains("--help") || rest.contains("-h")) {
      out.println(USAGE);
      return 0;
    }
    BenchOptions options;
    try {
      options = BenchOptions.defaults().with(flags(rest));
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    ObjectNode figures;
    try {
      figures = Benchmark.run(options, out);
    } catch (PlumblineException e) {
      // A missing rules folder keeps the coded one-line form of the other commands.
      err.println(
          "plumbline: "
              + e.code().name()
              + ": "
              + e.getMessage()
              + (e.details().isEmpty() ? "" : " [" + String.join("; ", e.details()) + "]"));
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("plumbline: bench failed: " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("plumbline: bench interrupted");
      return 1;
    }
    out.println();
    out.print(BenchReport.table(figures));
    if (options.json() != null) {
      try {
        Files.writeString(
            options.json(),
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(figures));
      } catch (IOException e) {
        err.println("plumbline: cannot write " + options.json() + ": " + e.getMessage());
        return 1;
      }
      out.println("wrote " + options.json());
    }
    return 0;
  }

  private int usage(String message) {
    err.println("plumbline: " + message + " (plumbline bench --help for usage)");
    return 2;
  }

  /** {@code --name value} pairs; the bench takes no words and no switches. */
  private static Map<String, String> flags(List<String> args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("bench takes no words, only flags");
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      flags.put(a.substring(2), args.get(++i));
    }
    return flags;
  }
}
