package org.plumbline.bench;

import java.util.Arrays;

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
