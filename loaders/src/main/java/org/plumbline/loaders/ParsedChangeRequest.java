package org.plumbline.loaders;

import java.time.Instant;
import java.util.List;
import org.plumbline.ontology.KeyPattern;

/**
 * One approved change window (CONTRACT section 2): changes to {@code keys} (globs) of {@code
 * environment} first observed in {@code [from, until)} are authorized.
 */
public record ParsedChangeRequest(
    String id,
    String environment,
    List<String> keys,
    Instant from,
    Instant until,
    String approvedBy) {

  public ParsedChangeRequest {
    keys = List.copyOf(keys);
  }

  /** Whether a change of {@code key} in {@code env} first observed at {@code at} is covered. */
  public boolean covers(String env, String key, Instant at) {
    return environment.equals(env)
        && !at.isBefore(from)
        && at.isBefore(until)
        && keys.stream().anyMatch(glob -> KeyPattern.of(glob).matches(key));
  }
}
