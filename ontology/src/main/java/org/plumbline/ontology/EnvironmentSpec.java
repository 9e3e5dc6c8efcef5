package org.plumbline.ontology;

import java.time.Duration;

/**
 * An environment as a blueprint declares it.
 *
 * @param ttl how long the environment lives after registration; null for ever
 * @param observeEvery how often a loader is expected to post a snapshot of it; null for the
 *     default, {@link #DEFAULT_OBSERVE_EVERY}. Past twice this interval without one, the
 *     environment is stale ({@link Observation})
 */
public record EnvironmentSpec(
    String id,
    String name,
    Tier tier,
    String owner,
    String system,
    Duration ttl,
    Duration observeEvery) {

  /** How often an environment is expected to be observed when its blueprint does not say. */
  public static final Duration DEFAULT_OBSERVE_EVERY = Duration.ofDays(1);

  /** An environment observed at the default interval. */
  public EnvironmentSpec(
      String id, String name, Tier tier, String owner, String system, Duration ttl) {
    this(id, name, tier, owner, system, ttl, null);
  }

  /** The declared interval, or the default one. */
  public Duration observeEveryOrDefault() {
    return observeEvery == null ? DEFAULT_OBSERVE_EVERY : observeEvery;
  }
}
