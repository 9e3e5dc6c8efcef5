package org.plumbline.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.plumbline.loaders.DocumentLoader;
import org.plumbline.loaders.Format;
import org.plumbline.loaders.LoadContext;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.LoaderError;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;
import org.plumbline.server.ServerError;
import org.plumbline.server.write.DryRuns;
import org.plumbline.server.write.LoadTarget;
import org.plumbline.server.write.ServerTarget;
import org.plumbline.server.write.StoreTarget;

/**
 * {@code plumbline load}: files of any format, or a whole history, into a store or a server.
 *
 * <p>Every file is read and parsed before anything is stored, so blueprints go first whatever their
 * place on the command line, and with {@code --fail-fast} a malformed file stops the run before it
 * has stored anything. Each file gets one line: what it stored on stdout, why it failed on stderr.
 * A history import ({@code --history DIR}, {@link HistoryLoad}) stores the snapshots of a whole
 * folder in time order, in batches of one write transaction each, skipping what is already stored,
 * with a progress line instead of a line per file.
 */
final class LoadCommand {
  /**
   * Snapshots per write transaction in a history import. Measured on 1,000 files (two cores under
   * load): 7 files/s one per transaction, 24 with 50, 30 with 200, 54 with 1,000; each commit costs
   * seconds of journal and index work, while a refused snapshot costs only a few split retries.
   */
  static final int DEFAULT_BATCH = 1000;

  /** What {@code plumbline load} was asked to do. */
  record Options(
      List<Path> paths,
      Path history,
      Format format,
      String environment,
      Instant observedAt,
      String sourceEnvironment,
      boolean failFast,
      String server,
      String token,
      Path data,
      Path rules,
      int batch,
      boolean dryRun,
      From from) {}

  /** {@code --from URL}: where to fetch a document, the token to send (or null), how long. */
  record From(java.net.URI url, String token, java.time.Duration timeout) {}

  /**
   * A file to load, and the environment its folder names ({@code DIR/<environment>/file}); or a URL
   * to fetch ({@code --from}), when {@code url} is set.
   */
  record Input(Path file, String folderEnvironment, java.net.URI url) {
    Input(Path file, String folderEnvironment) {
      this(file, folderEnvironment, null);
    }

    /** How output lines name it: the file, or the URL without credentials. */
    String name() {
      return url != null ? UrlSource.shown(url) : file.toString();
    }
  }

  /** A file read and parsed, or the reason it could not be. */
  record Read(Input input, byte[] content, Loaded loaded, PlumblineException failure) {
    boolean failed() {
      return failure != null;
    }
  }

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final boolean terminal;
  private final LongSupplier nanoTime;

  /** Made for the target: redacting with a store's key, or leaving secrets to the server. */
  private DocumentLoader loader;

  LoadCommand(
      PrintStream out, PrintStream err, Clock clock, boolean terminal, LongSupplier nanoTime) {
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
  }

  /** Runs the load; 0 when every file loaded, else 1. */
  int run(Options o) {
    List<Input> inputs =
        new ArrayList<>(o.history() == null ? inputs(o.paths()) : inputs(List.of(o.history())));
    if (o.from() != null) {
      inputs.add(new Input(null, null, o.from().url()));
    }
    try (LoadTarget target = target(o)) {
      loader = new DocumentLoader(ParseLimits.DEFAULT, target.secrets());
      return o.history() == null
          ? load(inputs, target, o)
          : new HistoryLoad(this, out, err, terminal, nanoTime).run(inputs, target, o);
    }
  }

  private LoadTarget target(Options o) {
    return o.server() != null
        ? new ServerTarget(o.server(), o.token())
        : new StoreTarget(o.data(), o.rules(), clock, "cli");
  }

  // ---- which files ----

  /**
   * The files to load: each file argument, and every file under each folder argument in name order
   * (hidden files and folders skipped). A file in a subfolder of a folder argument takes the
   * subfolder's name as the environment it falls back to.
   */
  static List<Input> inputs(List<Path> paths) {
    List<Input> inputs = new ArrayList<>();
    for (Path path : paths) {
      if (!Files.isDirectory(path)) {
        inputs.add(new Input(path, null));
        continue;
      }
      try (Stream<Path> walk = Files.walk(path)) {
        walk.filter(Files::isRegularFile)
            .filter(f -> !hidden(path.relativize(f)))
            .sorted()
            .forEach(
                f ->
                    inputs.add(
                        new Input(
                            f,
                            f.getParent().equals(path)
                                ? null
                                : f.getParent().getFileName().toString())));
      } catch (IOException e) {
        inputs.add(new Input(path, null)); // reading it fails and says why
      }
    }
    return inputs;
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  Read read(Input input, Options o) {
    if (input.url() != null) {
      return fetch(input, o);
    }
    Path file = input.file();
    try {
      long size = Files.size(file);
      if (size > ParseLimits.DEFAULT.maxDocumentBytes()) {
        // Checked before reading: a 10 GB file must not be read into memory to be refused.
        throw new PlumblineException(
            LoaderError.PAYLOAD_TOO_LARGE,
            "file is "
                + size
                + " bytes; the limit is "
                + ParseLimits.DEFAULT.maxDocumentBytes()
                + " bytes");
      }
      byte[] content = Files.readAllBytes(file);
      LoadContext context =
          new LoadContext(
              o.environment(),
              o.observedAt(),
              input.folderEnvironment(),
              modified(file),
              o.sourceEnvironment());
      return new Read(input, content, loader.load(content, o.format(), context), null);
    } catch (IOException e) {
      return new Read(
          input,
          null,
          null,
          new PlumblineException(
              ServerError.UNREADABLE_FILE, "cannot read: " + e, List.of(file.toString())));
    } catch (PlumblineException e) {
      return new Read(input, null, null, e);
    }
  }

  /** A document fetched from {@code --from URL}, read like a file. */
  private Read fetch(Input input, Options o) {
    try {
      UrlSource.Fetched f =
          new UrlSource(o.from().timeout(), ParseLimits.DEFAULT.maxDocumentBytes())
              .fetch(input.url(), o.from().token());
      LoadContext context =
          new LoadContext(
              o.environment(),
              o.observedAt(),
              null,
              f.lastModified() != null ? f.lastModified() : clock.instant(),
              o.sourceEnvironment());
      return new Read(input, f.body(), loader.load(f.body(), o.format(), context), null);
    } catch (PlumblineException e) {
      return new Read(input, null, null, e);
    }
  }

  /** The file's modification time, else now: the instant of a file that states none. */
  private Instant modified(Path file) {
    try {
      // Milliseconds are plenty to order files, and read better in every answer that shows them.
      return Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.MILLIS);
    } catch (IOException e) {
      return clock.instant();
    }
  }

  // ---- plain load: a line per file ----

  private int load(List<Input> inputs, LoadTarget target, Options o) {
    List<Read> reads = new ArrayList<>();
    for (Input input : inputs) {
      Read read = read(input, o);
      reads.add(read);
      if (read.failed() && o.failFast()) {
        failure(read.input().name(), read.failure());
        out.println("0 loaded, 1 failed (stopped at the first failure; nothing stored)");
        return 1;
      }
    }
    // Blueprints first: the snapshots of a new environment need its blueprint stored.
    List<Read> ordered = new ArrayList<>(kubernetesFolders(reads, o));
    ordered.sort(Comparator.comparing(r -> !(r.loaded() instanceof Loaded.BlueprintLoaded)));
    if (o.dryRun()) {
      return dryRun(ordered, target);
    }
    int loaded = 0;
    int failed = 0;
    for (Read read : ordered) {
      if (read.failed()) {
        failure(read.input().name(), read.failure());
        failed++;
      } else {
        try {
          out.println(
              read.input().name()
                  + ": "
                  + read.loaded().format().id()
                  + ": "
                  + store(read, target));
          loaded++;
        } catch (PlumblineException e) {
          failure(read.input().name(), e);
          failed++;
        }
      }
      if (failed > 0 && o.failFast()) {
        out.println(loaded + " loaded, " + failed + " failed (stopped at the first failure)");
        return 1;
      }
    }
    out.println(loaded + " loaded, " + failed + " failed");
    return failed == 0 ? 0 : 1;
  }

  /**
   * One environment's folder of Kubernetes manifests (what kustomize or Helm renders) is one
   * snapshot of all its objects, as {@code kubectl apply -f DIR} sees it: read file by file they
   * would be snapshots that each lack the others' keys. The files of a folder that all read as
   * Kubernetes become one read of the folder; any other folder keeps a read per file.
   */
  private List<Read> kubernetesFolders(List<Read> reads, Options o) {
    Map<Object, List<Read>> byFolder = new LinkedHashMap<>();
    for (Read read : reads) {
      Object folder =
          read.input().url() != null
              ? read.input().url()
              : read.input().file().toAbsolutePath().getParent();
      byFolder.computeIfAbsent(folder, f -> new ArrayList<>()).add(read);
    }
    List<Read> out = new ArrayList<>();
    for (Map.Entry<Object, List<Read>> e : byFolder.entrySet()) {
      List<Read> files = e.getValue();
      boolean oneEnvironment =
          files.size() > 1
              && files.stream()
                  .allMatch(r -> !r.failed() && r.loaded().format() == Format.KUBERNETES);
      if (!oneEnvironment) {
        out.addAll(files);
        continue;
      }
      Input folder =
          new Input(
              files.get(0).input().file().getParent(), files.get(0).input().folderEnvironment());
      Instant newest =
          files.stream()
              .map(r -> modified(r.input().file()))
              .max(Comparator.naturalOrder())
              .orElseThrow();
      LoadContext context =
          new LoadContext(
              o.environment(),
              o.observedAt(),
              folder.folderEnvironment(),
              newest,
              o.sourceEnvironment());
      try {
        List<DocumentLoader.NamedContent> contents =
            files.stream()
                .map(
                    r ->
                        new DocumentLoader.NamedContent(
                            r.input().file().getFileName().toString(), r.content()))
                .toList();
        out.add(
            new Read(
                folder,
                null,
                loader.loadKubernetesFolder(folder.file().toString(), contents, context),
                null));
      } catch (PlumblineException ex) {
        out.add(new Read(folder, null, null, ex));
      }
    }
    return out;
  }

  /**
   * {@code --dry-run}: the files that parsed are rehearsed by the target (the server, or the data
   * folder's governor) and rolled back; a line per file says what it would store, then what would
   * be registered, opened and closed. Exit status as for a load: 1 when any file would fail.
   */
  private int dryRun(List<Read> ordered, LoadTarget target) {
    List<DryRuns.FileDocuments> files =
        ordered.stream()
            .filter(r -> !r.failed())
            .map(
                r ->
                    new DryRuns.FileDocuments(
                        r.input().name(), DryRuns.documents(r.loaded(), r.content())))
            .toList();
    return new DryRunReport(out, err).print(ordered, target.dryRun(files));
  }

  String store(Read read, LoadTarget target) {
    Loaded loaded = read.loaded();
    String what;
    if (loaded instanceof Loaded.BlueprintLoaded b) {
      LoadTarget.Stored s = target.blueprint(b, read.content());
      what =
          b.blueprint().bundle()
              + "@"
              + b.blueprint().version()
              + (s.replay() ? " unchanged" : " stored")
              + " ("
              + plural(b.blueprint().environments().size(), "environment")
              + ")";
    } else if (loaded instanceof Loaded.SnapshotsLoaded s) {
      what =
          s.snapshots().isEmpty()
              ? "nothing to load"
              : snapshots(s.snapshots(), target.snapshots(s.snapshots()));
    } else if (loaded instanceof Loaded.ChangeRequestsLoaded c) {
      what =
          c.requests().isEmpty()
              ? "nothing to load"
              : changeRequests(c.requests(), target.changeRequests(c.requests()));
    } else if (loaded instanceof Loaded.MetricSampleLoaded m) {
      LoadTarget.Stored s = target.metricSample(m.sample(), read.content());
      what =
          "metric "
              + m.sample().metric()
              + (m.sample().baseline() ? " baseline " : " window ")
              + m.sample().window()
              + (s.replay() ? " unchanged" : " stored");
    } else {
      Loaded.PromptsLoaded p = (Loaded.PromptsLoaded) loaded;
      if (p.versions().isEmpty()) {
        what = "nothing to load";
      } else {
        List<LoadTarget.Stored> stored = target.prompts(p.versions());
        long fresh = stored.stream().filter(s -> !s.replay()).count();
        what =
            p.versions().size()
                + " prompt versions: "
                + fresh
                + " stored, "
                + (stored.size() - fresh)
                + " unchanged";
      }
    }
    return loaded.notes().isEmpty() ? what : what + " | " + String.join("; ", loaded.notes());
  }

  private static String snapshots(List<Snapshot> snapshots, List<LoadTarget.Stored> stored) {
    return snapshots(snapshots, stored, "stored");
  }

  /** {@code stored}: how a snapshot that is not a replay is said to be stored. */
  static String snapshots(
      List<Snapshot> snapshots, List<LoadTarget.Stored> stored, String storedWord) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < snapshots.size(); i++) {
      Snapshot s = snapshots.get(i);
      LoadTarget.Stored r = stored.get(i);
      StringBuilder part =
          new StringBuilder("snapshot ")
              .append(s.environment())
              .append('@')
              .append(s.observedAt())
              .append(r.replay() ? " unchanged" : " " + storedWord)
              .append(" (")
              .append(plural(s.config().size(), "key"));
      if (!r.replay()) {
        part.append(", ").append(plural(count(r.summary(), "changes"), "change"));
        long opened = count(r.summary(), "driftsOpened");
        long updated = count(r.summary(), "driftsUpdated");
        long closed = count(r.summary(), "driftsClosed");
        part.append(", drifts ").append(opened).append(" opened");
        if (updated > 0) {
          part.append(", ").append(updated).append(" updated");
        }
        if (closed > 0) {
          part.append(", ").append(closed).append(" closed");
        }
        if (Boolean.TRUE.equals(r.summary().get("backfill"))) {
          part.append(", backfill");
        }
      }
      parts.add(part.append(')').toString());
    }
    return String.join(", ", parts);
  }

  private static String changeRequests(List<ChangeRequest> requests, LoadTarget.Stored stored) {
    return requests.size()
        + " change requests "
        + (stored.replay() ? "unchanged" : "stored")
        + " ("
        + requests.stream().map(ChangeRequest::id).collect(Collectors.joining(", "))
        + ")";
  }

  static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  private static long count(Map<String, Object> summary, String name) {
    return summary.get(name) instanceof Number n ? n.longValue() : 0;
  }

  void failure(String file, PlumblineException e) {
    err.println(
        file
            + ": "
            + e.code().name()
            + ": "
            + e.getMessage()
            + (e.details().isEmpty() ? "" : " [" + String.join("; ", e.details()) + "]"));
  }
}
