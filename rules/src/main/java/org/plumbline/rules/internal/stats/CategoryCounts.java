package org.plumbline.rules.internal.stats;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often each category occurs in a baseline and in a window, over the union of their categories:
 * a category seen on one side only has count 0 on the other, never a missing entry.
 *
 * @param categories the categories, sorted
 * @param baseline each category's count in the baseline
 * @param window each category's count in the window
 */
public record CategoryCounts(List<String> categories, long[] baseline, long[] window) {
  /** Counts the labels of both samples. */
  public static CategoryCounts of(List<String> baseline, List<String> window) {
    Map<String, long[]> counts = new TreeMap<>(); // sorted, so results do not depend on order
    baseline.forEach(label -> counts.computeIfAbsent(label, l -> new long[2])[0]++);
    window.forEach(label -> counts.computeIfAbsent(label, l -> new long[2])[1]++);
    long[] b = counts.values().stream().mapToLong(c -> c[0]).toArray();
    long[] w = counts.values().stream().mapToLong(c -> c[1]).toArray();
    return new CategoryCounts(List.copyOf(counts.keySet()), b, w);
  }
}
