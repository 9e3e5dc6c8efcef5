package org.plumbline.bench;

import java.util.Arrays;
import java.util.List;

/** Measured durations of one kind of query, and their percentiles. */
final class Latencies {
  private final long[] nanos;
  private int count;

  Latencies(int capacity) {
    this.nanos = new long[capacity];
  }

  /** Times {@code query} once and records it. */
  void time(Runnable query) {
    long start = System.nanoTime();
    query.run();
    nanos[count++] = System.nanoTime() - start;
  }

  /** Records one duration measured elsewhere. */
  void record(long durationNanos) {
    nanos[count++] = durationNanos;
  }

  /** All durations of {@code parts} in one set (each part filled by one thread). */
  static Latencies merged(List<Latencies> parts) {
    Latencies all = new Latencies(parts.stream().mapToInt(Latencies::count).sum());
    for (Latencies p : parts) {
      System.arraycopy(p.nanos, 0, all.nanos, all.count, p.count);
      all.count += p.count;
    }
    return all;
  }

  /** The {@code p}-th percentile (nearest rank) in milliseconds. */
  double percentileMs(double p) {
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }

  int count() {
    return count;
  }
}
