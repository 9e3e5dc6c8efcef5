package org.plumbline.ontology;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An approved change window (CONTRACT section 2): a change to one of {@code keys} (globs, see
 * {@link KeyPattern}) in {@code environment} that is first observed in {@code [from, until)} is
 * authorized. Change requests are immutable once stored: the same id with other content is a
 * conflict, never an update.
 *
 * @param approvedBy who approved the window (a change advisory board, a person)
 */
public record ChangeRequest(
    String id,
    String environment,
    List<String> keys,
    Instant from,
    Instant until,
    String approvedBy) {

  public ChangeRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(environment, "environment");
    keys = List.copyOf(keys);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(until, "until");
  }

  /** Whether a change of {@code key} in {@code env} first observed at {@code at} is covered. */
  public boolean covers(String env, String key, Instant at) {
    return environment.equals(env)
        && !at.isBefore(from)
        && at.isBefore(until)
        && keys.stream().anyMatch(glob -> KeyPattern.of(glob).matches(key));
  }
}
