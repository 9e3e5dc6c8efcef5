package org.plumbline.ontology;

import java.time.Duration;

/**
 * When a TDB2 store compacts itself because it grew (issue 21), beside the compactions its owner
 * asks for: after a commit, at most once every {@code checkEvery}, the store reads how many bytes
 * its files use, and when that exceeds {@code growth} times what they used after the last
 * compaction (or at open, before one), and at least {@code floorBytes}, it compacts on a thread of
 * its own. Writers wait for the switch as they do for any compaction.
 *
 * @param growth the factor over the last compacted size that starts a compaction; 0 never does
 * @param floorBytes no compaction below this size, where it would free little
 * @param checkEvery how often at most a commit looks at the store's size
 */
public record CompactionPolicy(double growth, long floorBytes, Duration checkEvery) {

  /**
   * 2.25x the compacted size, from 16 MB, looked at after each commit at most every 100 ms: checked
   * every 2 s, a fast load overshot a 2.5x trigger to 4.1x (issue 21, docs/performance.md).
   */
  public static final CompactionPolicy DEFAULT =
      new CompactionPolicy(2.25, 16L << 20, Duration.ofMillis(100));

  /** Only the compactions the store's owner asks for. */
  public static final CompactionPolicy OFF = new CompactionPolicy(0, 0, Duration.ofSeconds(2));

  public CompactionPolicy {
    if (growth != 0 && !(growth > 1)) {
      throw new IllegalArgumentException("growth must be over 1 (or 0 for never): " + growth);
    }
    if (floorBytes < 0 || checkEvery.isNegative()) {
      throw new IllegalArgumentException("floorBytes and checkEvery must not be negative");
    }
  }

  /** The default policy with another growth factor (0: never). */
  public static CompactionPolicy growth(double factor) {
    return factor == 0 ? OFF : new CompactionPolicy(factor, DEFAULT.floorBytes, DEFAULT.checkEvery);
  }

  /** Whether the store compacts itself at all. */
  public boolean enabled() {
    return growth > 0;
  }

  /**
   * Whether a store using {@code bytes} should compact, {@code compacted} its last compacted size.
   */
  public boolean due(long bytes, long compacted) {
    return enabled() && bytes >= floorBytes && bytes > growth * compacted;
  }
}
