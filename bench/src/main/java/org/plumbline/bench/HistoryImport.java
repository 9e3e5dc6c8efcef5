package org.plumbline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.plumbline.server.cli.Main;

/**
 * W6: the bulk history import ({@code plumbline load --history DIR --data STORE}) of a folder of
 * snapshot files, each of {@code --history-keys} keys, about 1 % of which move from one file of an
 * environment to the next (the W1 generator's snapshots). Timed from the command's start to its
 * end: reading every file, storing the snapshots in time order in batches, governed (drifts,
 * assessments, audit) and durable, and closing the store. The baseline reads the same files with
 * Jackson and flattens them, one thread: what reading alone costs.
 */
final class HistoryImport {
  /** The environments the files are spread over. */
  static final int ENVIRONMENTS = 10;

  /** The goal (issue 21): snapshots of 300 keys per second. */
  static final double TARGET_PER_S = 1_000;

  private static final Pattern SUMMARY =
      Pattern.compile("history: \\d+ files, \\d+ snapshots: (\\d+) stored, .*");

  private final BenchOptions options;
  private final PrintStream log;
  private final WorldGenerator world;
  private final ObjectNode result;
  private final Clock clock;

  HistoryImport(
      BenchOptions options, PrintStream log, WorldGenerator world, ObjectNode result, Clock clock) {
    this.options = options;
    this.log = log;
    this.world = world;
    this.result = result;
    this.clock = clock;
  }

  void run(Path folder) throws IOException {
    int keys = options.historyKeys();
    int perEnv = options.historySnapshots() / ENVIRONMENTS;
    int count = perEnv * ENVIRONMENTS;
    Path files = folder.resolve("files");
    Path store = folder.resolve("store");
    Files.createDirectories(files);
    log.printf(
        Locale.ROOT,
        "W6  history import: %,d snapshot files of %,d keys, %d environments ...%n",
        count,
        keys,
        ENVIRONMENTS);
    writeDurably(files.resolve("blueprint.json"), world.ingestBlueprintJson(ENVIRONMENTS, keys));
    List<Path> snapshots = new ArrayList<>(count);
    for (int e = 0; e < ENVIRONMENTS; e++) {
      for (int n = 0; n < perEnv; n++) {
        Path file =
            files.resolve(
                String.format(Locale.ROOT, "%s-%05d.json", WorldGenerator.ingestEnvironment(e), n));
        writeDurably(file, world.ingestSnapshotJson(e, n, keys));
        snapshots.add(file);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int status =
        new Main(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                clock,
                false,
                System::nanoTime)
            .run(
                new String[] {
                  "load",
                  "--history",
                  files.toString(),
                  "--data",
                  store.toString(),
                  "--rules",
                  options.rules().toString()
                });
    double seconds = (System.nanoTime() - start) / 1e9;
    String printed = out.toString(StandardCharsets.UTF_8);
    Matcher summary =
        printed.lines().map(SUMMARY::matcher).filter(Matcher::matches).findFirst().orElse(null);
    if (status != 0 || summary == null || Integer.parseInt(summary.group(1)) != count) {
      throw new IllegalStateException(
          "the history import did not store every snapshot (exit "
              + status
              + "):\n"
              + printed
              + err.toString(StandardCharsets.UTF_8));
    }
    double perS = count / seconds;
    double floor = readFloor(snapshots);
    ObjectNode w6 = result.putObject("W6");
    w6.putObject("ours")
        .put("snapshots", count)
        .put("keys", keys)
        .put("seconds", Benchmark.round(seconds))
        .put("snapshots_per_s", Benchmark.round(perS))
        .put("keys_per_s", Benchmark.round(perS * keys))
        .put(
            "via",
            "plumbline load --history (batches of 1,000 snapshots, one transaction each, rules and"
                + " audit in the transaction, durable), in process, from reading the files to"
                + " closing the store");
    StoreSize.allocated(store).ifPresent(b -> w6.with("ours").put("store_bytes", b));
    w6.putObject("baseline")
        .put("name", "Jackson read-and-flatten of the same files, in process, 1 core")
        .put("files_per_s", Benchmark.round(floor));
    w6.put("ratio", Benchmark.ratio(perS, floor));
    w6.put("target", String.format(Locale.ROOT, "%,.0f snapshots/s", TARGET_PER_S));
    w6.put("met", perS >= TARGET_PER_S);
    log.printf(
        Locale.ROOT,
        "     %,.0f snapshots/s (%,.0f keys/s) in %.1f s; reading alone %,.0f files/s%n",
        perS,
        perS * keys,
        seconds,
        floor);
  }

  /**
   * Writes a file and forces it to disk, so that the import's own forces do not wait for the kernel
   * to write back the files just made.
   */
  private static void writeDurably(Path file, byte[] bytes) throws IOException {
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE,
            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  /** Files per second: read each file, parse it with Jackson and flatten its config. One thread. */
  private static double readFloor(List<Path> files) throws IOException {
    long start = System.nanoTime();
    long until = start + Duration.ofSeconds(2).toNanos();
    long read = 0;
    long keys = 0;
    do {
      for (Path f : files) {
        keys += IngestThroughput.flatten(Files.readAllBytes(f)).size();
        read++;
      }
    } while (System.nanoTime() < until);
    if (keys == 0) {
      throw new IllegalStateException("the history files hold no keys");
    }
    return read / ((System.nanoTime() - start) / 1e9);
  }
}
