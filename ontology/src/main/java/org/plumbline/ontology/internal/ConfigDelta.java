package org.plumbline.ontology.internal;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.plumbline.ontology.FlatConfig;

/**
 * What turns one configuration into another: the keys set (new or with another value) and the keys
 * removed. A snapshot's configuration is stored as such a delta against its predecessor's, with a
 * full keyframe every so often (see {@link Snapshots}); stored as canonical JSON {@code {"removed":
 * [key, ...], "set": {key: value, ...}}}, values the configuration's canonical JSON texts.
 */
record ConfigDelta(SortedMap<String, String> set, SortedSet<String> removed) {
  ConfigDelta {
    set = new TreeMap<>(Objects.requireNonNull(set, "set"));
    removed = new TreeSet<>(Objects.requireNonNull(removed, "removed"));
  }

  /** The delta that turns {@code base} into {@code next}: only the keys that differ. */
  static ConfigDelta between(FlatConfig base, FlatConfig next) {
    TreeMap<String, String> set = new TreeMap<>();
    TreeSet<String> removed = new TreeSet<>();
    next.values()
        .forEach(
            (k, v) -> {
              if (!v.equals(base.get(k))) {
                set.put(k, v);
              }
            });
    for (String k : base.values().keySet()) {
      if (next.get(k) == null) {
        removed.add(k);
      }
    }
    return new ConfigDelta(set, removed);
  }

  /** How many keys this delta names. */
  int size() {
    return set.size() + removed.size();
  }

  /** Lays this delta over {@code values} in place. */
  void applyTo(Map<String, String> values) {
    removed.forEach(values::remove);
    values.putAll(set);
  }

  String encode() {
    return JsonCodec.write(this);
  }

  /** A stored delta; a corrupt one (not JSON, or missing a part) fails loudly. */
  static ConfigDelta decode(String json) {
    return JsonCodec.read(json, ConfigDelta.class);
  }
}
