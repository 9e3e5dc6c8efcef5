package org.plumbline.ontology;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How recently an environment was observed, and whether that is too long ago: "does prod match the
 * validated configuration?" must never be answered from old facts without saying how old they are.
 *
 * <p>An active environment is stale when no snapshot of it was observed for twice its {@code
 * observeEvery} interval (the interval its current bundle version declares, one day by default),
 * counted from its last snapshot or, before the first, from its registration. Expired and
 * decommissioned environments are never stale: nobody is expected to observe them.
 *
 * @param lastObservedAt the {@code observedAt} of its latest snapshot; null if never observed
 * @param observeEvery the interval a loader is expected to keep
 * @param staleSince when it became (or becomes) stale; null for an environment that cannot be
 */
public record Observation(
    String environment,
    Instant lastObservedAt,
    Duration observeEvery,
    Instant staleSince,
    boolean stale) {

  /** The state of {@code environment} at {@code now}, read in one transaction. */
  public static Observation of(StoreReader reader, Environment environment, Instant now) {
    Instant last = reader.latestSnapshot(environment.id()).map(Snapshot::observedAt).orElse(null);
    return of(environment, last, observeEvery(reader, environment), now);
  }

  /** As {@link #of(StoreReader, Environment, Instant)}, from what was read already. */
  public static Observation of(
      Environment environment, Instant lastObservedAt, Duration observeEvery, Instant now) {
    Instant since = lastObservedAt != null ? lastObservedAt : environment.registeredAt();
    Instant staleSince =
        !"ACTIVE".equals(environment.status()) || since == null
            ? null
            : since.plus(observeEvery.multipliedBy(2));
    boolean stale = staleSince != null && now.isAfter(staleSince);
    return new Observation(environment.id(), lastObservedAt, observeEvery, staleSince, stale);
  }

  /** The interval the environment's current bundle version declares for it, else the default. */
  public static Duration observeEvery(StoreReader reader, Environment environment) {
    if (environment.bundle() == null || environment.bundleVersion() == null) {
      return EnvironmentSpec.DEFAULT_OBSERVE_EVERY;
    }
    Optional<EnvironmentSpec> spec =
        reader
            .blueprint(environment.bundle(), environment.bundleVersion())
            .flatMap(b -> b.environment(environment.id()));
    return spec.map(EnvironmentSpec::observeEveryOrDefault)
        .orElse(EnvironmentSpec.DEFAULT_OBSERVE_EVERY);
  }
}
