package org.plumbline.ontology.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decoded forms of content-addressed literals (blueprint versions, snapshot configurations), so
 * that hot reads skip parsing the same JSON again. Only immutable content is kept, under a key that
 * names its content: a kept value can never disagree with the graph. Bounded by the number of
 * config keys held; least recently used go first. Thread-safe.
 */
final class DecodedValues {
  private final long maxWeight;
  private long weight;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);

  private record Entry(Object value, long weight) {}

  DecodedValues(long maxWeight) {
    this.maxWeight = maxWeight;
  }

  /** The value kept under {@code key}, or null. */
  @SuppressWarnings("unchecked")
  synchronized <T> T kept(String key) {
    Entry e = entries.get(key);
    return e == null ? null : (T) e.value();
  }

  /** The value kept under {@code key}, or {@code decode}'s, kept if not heavier than the bound. */
  @SuppressWarnings("unchecked")
  <T> T get(String key, Supplier<T> decode, java.util.function.ToLongFunction<T> weigh) {
    synchronized (this) {
      Entry e = entries.get(key);
      if (e != null) {
        return (T) e.value();
      }
    }
    T value = decode.get();
    long w = Math.max(1, weigh.applyAsLong(value));
    if (w <= maxWeight) {
      synchronized (this) {
        if (entries.put(key, new Entry(value, w)) == null) {
          weight += w;
        }
        var it = entries.entrySet().iterator();
        while (weight > maxWeight && it.hasNext()) {
          Map.Entry<String, Entry> eldest = it.next();
          weight -= eldest.getValue().weight();
          it.remove();
        }
      }
    }
    return value;
  }
}
