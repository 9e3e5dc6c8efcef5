package org.plumbline.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The persistence and cool-down rules of behavioural drift, as an immutable state machine: the
 * state after one window, from which {@link #next} gives the state after the following one.
 *
 * <ul>
 *   <li>Outside drift and cool-down, a window beyond threshold is a {@link MetricStatus#BREACH};
 *       the {@code persistenceWindows}-th consecutive one opens the drift and is {@link
 *       MetricStatus#DRIFT}. A window within threshold is {@link MetricStatus#STABLE} and resets
 *       the count.
 *   <li>An open drift stays {@link MetricStatus#DRIFT} while windows stay beyond threshold and
 *       closes at the first window back within threshold, which is {@link MetricStatus#STABLE}.
 *   <li>The {@code cooldownWindows} windows after that are {@link MetricStatus#COOLDOWN} whatever
 *       their results, and a breach among them does not count towards persistence: a metric
 *       hovering at the threshold must not reopen a drift every few windows, and counting those
 *       breaches would make any cool-down shorter than the persistence (as the defaults, 2 &lt; 3)
 *       a no-op. After the cool-down a new drift again needs {@code persistenceWindows} fresh
 *       consecutive windows beyond threshold.
 * </ul>
 *
 * With the defaults (3, 2), windows beyond (x) or within (.) threshold {@code x x x x . x x x x x}
 * are {@code BREACH BREACH DRIFT DRIFT STABLE COOLDOWN COOLDOWN BREACH BREACH DRIFT}.
 *
 * @param policy where {@code persistenceWindows} and {@code cooldownWindows} come from
 * @param status the status of the last window seen ({@link MetricStatus#STABLE} before any)
 * @param streak consecutive windows beyond threshold counted towards opening a drift
 * @param cooldownLeft windows of cool-down still to come
 */
public record MetricDriftTracker(
    MetricPolicy policy, MetricStatus status, int streak, int cooldownLeft) {
  public MetricDriftTracker {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(status, "status");
    if (streak < 0 || cooldownLeft < 0) {
      throw new IllegalArgumentException("streak and cooldownLeft must be >= 0");
    }
  }

  /** The state before the first window. */
  public static MetricDriftTracker start(MetricPolicy policy) {
    return new MetricDriftTracker(policy, MetricStatus.STABLE, 0, 0);
  }

  /** The status of every window, given their results oldest first. */
  public static List<MetricWindowStatus> track(
      List<MetricTestResult> results, MetricPolicy policy) {
    List<MetricWindowStatus> series = new ArrayList<>(results.size());
    MetricDriftTracker state = start(policy);
    for (MetricTestResult result : results) {
      state = state.next(result.beyondThreshold());
      series.add(new MetricWindowStatus(result, state.status()));
    }
    return List.copyOf(series);
  }

  /** The state after one more window, beyond threshold or not. */
  public MetricDriftTracker next(boolean beyondThreshold) {
    if (status == MetricStatus.DRIFT) {
      return beyondThreshold
          ? this
          : new MetricDriftTracker(policy, MetricStatus.STABLE, 0, policy.cooldownWindows());
    }
    if (cooldownLeft > 0) {
      return new MetricDriftTracker(policy, MetricStatus.COOLDOWN, 0, cooldownLeft - 1);
    }
    if (!beyondThreshold) {
      return new MetricDriftTracker(policy, MetricStatus.STABLE, 0, 0);
    }
    int breaches = streak + 1;
    MetricStatus next =
        breaches >= policy.persistenceWindows() ? MetricStatus.DRIFT : MetricStatus.BREACH;
    return new MetricDriftTracker(policy, next, breaches, 0);
  }
}
