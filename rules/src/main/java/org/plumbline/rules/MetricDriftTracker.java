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
 *   <li>An open drift stays {@link MetricStatus#DRIFT} until {@code closingWindows} consecutive
 *       windows are back within threshold: the last of them closes it and is {@link
 *       MetricStatus#STABLE}, the ones before it are still DRIFT. A window beyond threshold resets
 *       that count: closing is as deliberate as opening.
 *   <li>The {@code cooldownWindows} windows after that are {@link MetricStatus#COOLDOWN} whatever
 *       their results, and a breach among them does not count towards persistence: a metric
 *       hovering at the threshold must not reopen a drift every few windows. After the cool-down a
 *       new drift again needs {@code persistenceWindows} fresh consecutive windows beyond
 *       threshold.
 *   <li>A window with fewer values than {@code minSampleSize} is {@link MetricStatus#INSUFFICIENT}
 *       and leaves the state as it was ({@link #track}; callers of {@link #next} skip it).
 * </ul>
 *
 * With persistence 3, closing 1 and cool-down 2, windows beyond (x) or within (.) threshold {@code
 * x x x x . x x x x x} are {@code BREACH BREACH DRIFT DRIFT STABLE COOLDOWN COOLDOWN BREACH BREACH
 * DRIFT}; with closing 3, {@code x x x . . x . . .} are {@code B B D D D D D D S}.
 *
 * @param policy where the window counts come from
 * @param status the status of the last window counted ({@link MetricStatus#STABLE} before any)
 * @param streak consecutive windows counted towards the next transition: beyond threshold towards
 *     opening (outside a drift), within threshold towards closing (in a drift)
 * @param cooldownLeft windows of cool-down still to come
 */
public record MetricDriftTracker(
    MetricPolicy policy, MetricStatus status, int streak, int cooldownLeft) {
  public MetricDriftTracker {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(status, "status");
    if (status == MetricStatus.INSUFFICIENT) {
      throw new IllegalArgumentException("INSUFFICIENT is a window's status, never a state");
    }
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
      if (!policy.sufficient(result.sampleSize())) {
        series.add(new MetricWindowStatus(result, MetricStatus.INSUFFICIENT));
        continue;
      }
      state = state.next(result.beyondThreshold());
      series.add(new MetricWindowStatus(result, state.status()));
    }
    return List.copyOf(series);
  }

  /**
   * The state after the given windows, read back from their stored statuses rather than folded from
   * the first window: a backfilled window resumes the tracker where its predecessor left it, at a
   * cost bounded by the policy's counts (and the INSUFFICIENT windows among them).
   *
   * @param before the windows before the resume point, oldest first
   */
  public static MetricDriftTracker resume(MetricPolicy policy, List<MetricWindowStatus> before) {
    List<MetricWindowStatus> counted = new ArrayList<>();
    for (int i = before.size() - 1; i >= 0 && counted.size() < 2; i--) {
      if (before.get(i).status() != MetricStatus.INSUFFICIENT) {
        counted.add(0, before.get(i));
      }
    }
    if (counted.isEmpty()) {
      return start(policy);
    }
    MetricStatus last = counted.get(counted.size() - 1).status();
    return switch (last) {
      case STABLE -> {
        boolean closedADrift = counted.size() == 2 && counted.get(0).status() == MetricStatus.DRIFT;
        yield new MetricDriftTracker(
            policy, MetricStatus.STABLE, 0, closedADrift ? policy.cooldownWindows() : 0);
      }
      case BREACH -> new MetricDriftTracker(policy, last, trailing(before, s -> true, last), 0);
      case DRIFT ->
          new MetricDriftTracker(
              policy, last, trailing(before, s -> !s.result().beyondThreshold(), last), 0);
      case COOLDOWN ->
          new MetricDriftTracker(
              policy,
              last,
              0,
              Math.max(0, policy.cooldownWindows() - trailing(before, s -> true, last)));
      case INSUFFICIENT -> throw new IllegalStateException("skipped above");
    };
  }

  /** Counted windows of {@code status} at the end of {@code before} that also pass {@code also}. */
  private static int trailing(
      List<MetricWindowStatus> before,
      java.util.function.Predicate<MetricWindowStatus> also,
      MetricStatus status) {
    int n = 0;
    for (int i = before.size() - 1; i >= 0; i--) {
      MetricWindowStatus s = before.get(i);
      if (s.status() == MetricStatus.INSUFFICIENT) {
        continue;
      }
      if (s.status() != status || !also.test(s)) {
        break;
      }
      n++;
    }
    return n;
  }

  /** The state after one more window (of enough values), beyond threshold or not. */
  public MetricDriftTracker next(boolean beyondThreshold) {
    if (status == MetricStatus.DRIFT) {
      if (beyondThreshold) {
        return new MetricDriftTracker(policy, MetricStatus.DRIFT, 0, 0);
      }
      int within = streak + 1;
      return within >= policy.closingWindows()
          ? new MetricDriftTracker(policy, MetricStatus.STABLE, 0, policy.cooldownWindows())
          : new MetricDriftTracker(policy, MetricStatus.DRIFT, within, 0);
    }
    if (cooldownLeft > 0) {
      return new MetricDriftTracker(policy, MetricStatus.COOLDOWN, 0, cooldownLeft - 1);
    }
    if (!beyondThreshold) {
      return new MetricDriftTracker(policy, MetricStatus.STABLE, 0, 0);
    }
    int breaches = streak + 1;
    return breaches >= policy.persistenceWindows()
        ? new MetricDriftTracker(policy, MetricStatus.DRIFT, 0, 0)
        : new MetricDriftTracker(policy, MetricStatus.BREACH, breaches, 0);
  }
}
