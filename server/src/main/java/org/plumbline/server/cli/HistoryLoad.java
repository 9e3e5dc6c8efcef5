package org.plumbline.server.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.LoaderError;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;
import org.plumbline.server.write.LoadTarget;
import org.plumbline.server.write.ServerTarget;

/**
 * {@code plumbline load --history DIR}: every file of a folder read and parsed (on every core), the
 * blueprints stored, then the snapshots in time order in batches of one write transaction each,
 * skipping what is already stored, with a progress line instead of a line per file. A refused
 * snapshot rolls its batch back, and the batch is split until it stands alone.
 */
final class HistoryLoad {
  private final LoadCommand load;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;
  private final LongSupplier nanoTime;

  HistoryLoad(
      LoadCommand load, PrintStream out, PrintStream err, boolean terminal, LongSupplier nanoTime) {
    this.load = load;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
  }

  /** One snapshot of a history import and the file it came from. */
  private record Entry(Snapshot snapshot, Path file) {}

  int run(List<LoadCommand.Input> inputs, LoadTarget target, LoadCommand.Options o) {
    long start = nanoTime.getAsLong();
    int failed = 0;
    Progress reading =
        new Progress(err, terminal, nanoTime, "reading", "files", inputs.size(), inputs.size());
    List<LoadCommand.Read> blueprints = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    Map<Path, Integer> pending = new LinkedHashMap<>();
    for (LoadCommand.Read read : readAll(inputs, o, reading)) {
      LoadCommand.Input input = read.input();
      if (!read.failed()
          && !(read.loaded() instanceof Loaded.BlueprintLoaded)
          && !(read.loaded() instanceof Loaded.SnapshotsLoaded)) {
        read =
            new LoadCommand.Read(
                input,
                null,
                null,
                new PlumblineException(
                    LoaderError.UNKNOWN_FORMAT,
                    read.loaded().format().id() + " holds no snapshots; load it without --history",
                    List.of("--history takes blueprints and snapshots of any format")));
      }
      if (read.failed()) {
        reading.clearLine();
        load.failure(input.name(), read.failure());
        failed++;
        if (o.failFast()) {
          reading.finish();
          out.println("history: stopped at the first failure; nothing stored");
          return 1;
        }
      } else if (read.loaded() instanceof Loaded.BlueprintLoaded) {
        blueprints.add(read);
      } else {
        for (Snapshot s : ((Loaded.SnapshotsLoaded) read.loaded()).snapshots()) {
          entries.add(new Entry(s, input.file()));
          pending.merge(input.file(), 1, Integer::sum);
        }
      }
    }
    reading.finish();

    for (LoadCommand.Read blueprint : blueprints) {
      try {
        out.println(
            blueprint.input().name()
                + ": "
                + blueprint.loaded().format().id()
                + ": "
                + load.store(blueprint, target));
      } catch (PlumblineException e) {
        load.failure(blueprint.input().name(), e);
        failed++;
        if (o.failFast()) {
          return 1;
        }
      }
    }

    // Time order: the history ends up the same either way (backfills are recomputed), but in
    // order no snapshot has a successor yet, which is the cheap path, and a resumed import
    // continues where the stored history ends.
    entries.sort(
        Comparator.comparing((Entry e) -> e.snapshot().observedAt())
            .thenComparing(e -> e.snapshot().environment())
            .thenComparing(e -> e.file().toString()));
    Set<String> stored =
        target.alreadyStored(entries.stream().map(e -> e.snapshot().contentHash()).toList());
    Map<Path, Integer> left = new HashMap<>(pending);

    long alreadyStored = 0;
    List<Entry> todo = new ArrayList<>();
    long filesDone = 0;
    for (Entry e : entries) {
      if (stored.contains(e.snapshot().contentHash())) {
        alreadyStored++;
        filesDone += finished(left, e.file());
      } else {
        todo.add(e);
      }
    }
    // filesAfter[k]: files finished once the first k snapshots to store are processed.
    Map<Path, Integer> lastOfFile = new HashMap<>();
    for (int i = 0; i < todo.size(); i++) {
      lastOfFile.put(todo.get(i).file(), i);
    }
    long[] filesAfter = new long[todo.size() + 1];
    filesAfter[0] = filesDone;
    for (int i = 0; i < todo.size(); i++) {
      boolean last = lastOfFile.get(todo.get(i).file()) == i;
      filesAfter[i + 1] = filesAfter[i] + (last ? 1 : 0);
    }
    Progress progress =
        new Progress(
            err, terminal, nanoTime, "history", "snapshots", pending.size(), entries.size());
    progress.update(filesDone, alreadyStored);
    int batchSize = target instanceof ServerTarget ? 1 : o.batch();
    long fresh = 0;
    long replays = alreadyStored;
    for (int from = 0; from < todo.size(); from += batchSize) {
      List<Entry> batch = todo.subList(from, Math.min(todo.size(), from + batchSize));
      Batch run = new Batch(progress, filesAfter, from, alreadyStored, o.failFast());
      storeOrSplit(batch, target, run);
      List<Entry> refused = run.refused;
      for (LoadTarget.Stored r : run.results) {
        if (r.replay()) {
          replays++;
        } else {
          fresh++;
        }
      }
      failed += refused.size();
      progress.update(filesAfter[from + batch.size()], alreadyStored + from + batch.size());
      if (!refused.isEmpty() && o.failFast()) {
        break;
      }
    }
    progress.finish();
    double seconds = Math.max(1e-9, (nanoTime.getAsLong() - start) / 1e9);
    out.println(
        String.format(
            Locale.ROOT,
            "history: %d files, %d snapshots: %d stored, %d already stored, %d failed in %.1f s"
                + " (%.0f files/s)",
            inputs.size(),
            entries.size(),
            fresh,
            replays,
            failed,
            seconds,
            inputs.size() / seconds));
    return failed == 0 ? 0 : 1;
  }

  /**
   * Reads (and parses) every file of a history on every core, in their order: parsing is most of
   * what reading costs, and nothing is stored until every file is read.
   */
  private List<LoadCommand.Read> readAll(
      List<LoadCommand.Input> inputs, LoadCommand.Options o, Progress reading) {
    java.util.concurrent.atomic.AtomicInteger done =
        new java.util.concurrent.atomic.AtomicInteger();
    return inputs.parallelStream()
        .map(
            input -> {
              LoadCommand.Read read = load.read(input, o);
              synchronized (reading) {
                int n = done.incrementAndGet();
                reading.update(n, n);
              }
              return read;
            })
        .toList();
  }

  /** One batch of a history import as it is worked through. */
  private static final class Batch {
    final Progress progress;
    final long[] filesAfter;
    final int start;
    final long alreadyStored;
    final boolean failFast;
    final List<LoadTarget.Stored> results = new ArrayList<>();
    final List<Entry> refused = new ArrayList<>();

    /**
     * @param filesAfter files finished after the first k snapshots to store are processed
     * @param start the index of this batch's first snapshot among those to store
     */
    Batch(Progress progress, long[] filesAfter, int start, long alreadyStored, boolean failFast) {
      this.progress = progress;
      this.filesAfter = filesAfter;
      this.start = start;
      this.alreadyStored = alreadyStored;
      this.failFast = failFast;
    }

    /** Shows {@code processed} snapshots of the part now being stored, after the settled ones. */
    void processed(int processed) {
      int k = start + results.size() + refused.size() + processed;
      progress.update(filesAfter[k], alreadyStored + k);
    }
  }

  /**
   * Stores a batch in one transaction; when a snapshot in it is refused, the whole transaction is
   * rolled back, so the batch is split in halves until the refused ones stand alone: a bad file
   * among a thousand costs some twenty transactions, not a thousand.
   */
  private void storeOrSplit(List<Entry> part, LoadTarget target, Batch batch) {
    if (part.isEmpty() || (batch.failFast && !batch.refused.isEmpty())) {
      return;
    }
    try {
      batch.results.addAll(
          target.snapshotBatch(part.stream().map(Entry::snapshot).toList(), batch::processed));
    } catch (PlumblineException e) {
      if (part.size() == 1) {
        batch.progress.clearLine();
        load.failure(part.get(0).file().toString(), e);
        batch.refused.add(part.get(0));
        return;
      }
      int half = part.size() / 2;
      storeOrSplit(part.subList(0, half), target, batch);
      storeOrSplit(part.subList(half, part.size()), target, batch);
    }
  }

  /** Counts one snapshot of {@code file} done; 1 when it was the file's last. */
  private static int finished(Map<Path, Integer> left, Path file) {
    int remaining = left.merge(file, -1, Integer::sum);
    return remaining == 0 ? 1 : 0;
  }
}
