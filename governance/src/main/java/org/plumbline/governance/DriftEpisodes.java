package org.plumbline.governance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The drifts of one key as a pure function of its observed values in time order: a drift opens at
 * the first observation that departs from the expected value, follows the value while it keeps
 * departing (its trail lists each new value), and closes at the first observation that matches
 * again. This is the in-order semantics that snapshot ingest applies one snapshot at a time; a
 * backfill replays it over the stretch of history the new snapshot touches.
 */
final class DriftEpisodes {
  private DriftEpisodes() {}

  /** One observed value of the key (canonical JSON, null when absent) at one instant. */
  record Observation(Instant at, String value) {}

  /**
   * One drift of the key.
   *
   * @param updatedAt when the value last moved, or when the drift closed
   * @param closedAt the matching observation that closed it, null while open
   */
  record Episode(
      Instant detectedAt, Instant updatedAt, Instant closedAt, String actual, List<String> trail) {
    boolean open() {
      return closedAt == null;
    }
  }

  /**
   * The episodes over a run of observations, which must start with no drift open before the first
   * one. Consecutive equal values are allowed (they change nothing).
   */
  static List<Episode> of(String expected, List<Observation> observations) {
    List<Episode> out = new ArrayList<>();
    Instant detectedAt = null;
    Instant updatedAt = null;
    String actual = null;
    List<String> trail = null;
    for (Observation o : observations) {
      boolean departs = !Objects.equals(expected, o.value());
      if (trail == null) {
        if (departs) {
          detectedAt = o.at();
          updatedAt = o.at();
          actual = o.value();
          trail = new ArrayList<>(List.of(trailValue(o.value())));
        }
      } else if (!departs) {
        out.add(new Episode(detectedAt, o.at(), o.at(), actual, List.copyOf(trail)));
        trail = null;
      } else {
        if (!Objects.equals(actual, o.value())) {
          actual = o.value();
          updatedAt = o.at();
          trail.add(trailValue(o.value()));
        }
      }
    }
    if (trail != null) {
      out.add(new Episode(detectedAt, updatedAt, null, actual, List.copyOf(trail)));
    }
    return out;
  }

  /** A key that vanished is observed as null, written as such in a trail. */
  static String trailValue(String value) {
    return value == null ? "null" : value;
  }
}
