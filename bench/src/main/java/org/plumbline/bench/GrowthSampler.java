package org.plumbline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.plumbline.ontology.GraphStore;

/**
 * The store's growth between compactions while the world loads (issue 21), sampled once a second
 * with {@code du}: the live generation's disk blocks ({@code Data-NNNN}, the oldest present: while
 * a compaction builds the next one, the old one still serves) over what the generation used just
 * after the last compaction; and the whole folder's peak, the compaction's copy included.
 */
final class GrowthSampler implements AutoCloseable {
  private final Path folder;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long compacted = -1;
  private int compactions;
  private long peakBeforeFirst;
  private long peakLive;
  private double peakRatio;
  private long peakFolder;

  private GrowthSampler(Path folder) {
    this.folder = folder;
    this.thread = new Thread(this::loop, "bench-growth-sampler");
    this.thread.setDaemon(true);
  }

  /** Starts sampling {@code folder}, and learns each compaction of {@code store}. */
  static GrowthSampler start(GraphStore store, Path folder) {
    GrowthSampler s = new GrowthSampler(folder);
    store.onCompacted(s::compactedNow);
    s.thread.start();
    return s;
  }

  private synchronized void compactedNow() {
    compactions++;
    compacted = generations().isEmpty() ? -1 : du(generations().get(0));
  }

  private void loop() {
    while (running) {
      sample();
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void sample() {
    List<Path> gens = generations();
    if (gens.isEmpty()) {
      return;
    }
    long live = du(gens.get(0));
    peakFolder = Math.max(peakFolder, StoreSize.allocated(folder).orElse(0L));
    if (compacted <= 0) {
      peakBeforeFirst = Math.max(peakBeforeFirst, live);
    } else if (live / (double) compacted > peakRatio) {
      peakRatio = live / (double) compacted;
      peakLive = live;
    }
  }

  /** Stops sampling (before the bench's own compaction) and writes the figures into {@code out}. */
  synchronized void report(ObjectNode out) {
    running = false;
    thread.interrupt();
    sample();
    out.put("compactions_on_growth", compactions);
    out.put("peak_growth_ratio", Benchmark.round(peakRatio));
    out.put("peak_growth_bytes", peakLive);
    out.put("peak_bytes_before_first_compaction", peakBeforeFirst);
    out.put("peak_folder_bytes", peakFolder);
    out.put(
        "growth_what",
        "sampled every second with du: the live generation's blocks over what it held just after"
            + " the last compaction (moments before the first compaction not counted, their peak"
            + " given apart); peak_folder_bytes includes the copy a compaction writes");
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }

  private List<Path> generations() {
    try (Stream<Path> dirs = Files.list(folder)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("Data-"))
          .sorted(Comparator.comparing(d -> d.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static long du(Path dir) {
    return StoreSize.allocated(dir).orElse(0L);
  }
}
