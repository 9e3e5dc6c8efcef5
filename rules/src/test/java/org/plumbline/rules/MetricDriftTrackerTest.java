package org.plumbline.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Crafted sequences: {@code x} a window beyond threshold, {@code .} one within, {@code _} one too
 * small to count; statuses {@code S} STABLE, {@code B} BREACH, {@code D} DRIFT, {@code C} COOLDOWN,
 * {@code I} INSUFFICIENT.
 */
class MetricDriftTrackerTest {
  @ParameterizedTest(name = "{0} -> {1} (closing {2}, cooldown {3})")
  @CsvSource({
    // closing as deliberate as opening: 3 windows within threshold close the drift
    "xxx..x...xx,     BBDDDDDDSCC,    3, 2",
    // a window too small to test changes nothing: it neither closes nor counts towards closing
    "xxx_.._.,        BBDIDDIS,       3, 2",
    "x_x_x,           BIBID,          3, 2",
    "xxx._,           BBDSI,          1, 2"
  })
  void closingAndInsufficient(String windows, String statuses, int closing, int cooldown) {
    MetricPolicy policy =
        new MetricPolicy(0.1, 0.2, 0.5, 0.1, 0.05, 30, 3, closing, cooldown, 10, 1e-4);
    assertEquals(statuses, statuses(MetricDriftTracker.track(results(windows), policy)));
  }

  @ParameterizedTest(name = "{0} -> {1} (persistence {2}, cooldown {3}, closing 1)")
  @CsvSource({
    // the class Javadoc's example: drift opens at the 3rd, closes at the first '.', 2 cool-down
    "xxxx.xxxxx,      BBDDSCCBBD,     3, 2",
    "'',              '',             3, 2",
    ".....,           SSSSS,          3, 2",
    // two breaches then a stable window: the count starts again
    "xx.xx.xxx,       BBSBBSBBD,      3, 2",
    // a drift stays open while windows stay beyond threshold
    "xxxxxxx.,        BBDDDDDS,       3, 2",
    // breaches during cool-down are ignored, also for persistence: 2 + 3 fresh ones to reopen
    "xxx.xxxxx,       BBDSCCBBD,      3, 2",
    // a stable cool-down window does not end the cool-down early
    "xxx..x.x,        BBDSCCSB,       3, 2",
    // one window of persistence: every breach outside cool-down is a drift
    "x.x.xx.x,        DSCSDDSC,       1, 1",
    // no cool-down: a drift may reopen straight after it closes
    "xxx.xxx,         BBDSBBD,        3, 0",
    "x.x,             DSD,            1, 0",
    // a long cool-down swallows a whole second episode
    "xx.xxx.x,        BDSCCCCC,       2, 5"
  })
  void sequences(String windows, String statuses, int persistence, int cooldown) {
    MetricPolicy policy =
        new MetricPolicy(0.1, 0.2, 0.5, 0.1, 0.05, 30, persistence, 1, cooldown, 10, 1e-4);
    assertEquals(statuses, statuses(MetricDriftTracker.track(results(windows), policy)));
  }

  /**
   * A backfill resumes the tracker from the stored statuses before its slot: for every sequence and
   * every prefix, that is the state stepping through the prefix reaches.
   */
  @Property(tries = 300)
  void resumingFromStoredStatusesEqualsStepping(
      @ForAll @StringLength(max = 24) @Chars({'.', 'x', '_'}) String windows,
      @ForAll @IntRange(min = 1, max = 4) int persistence,
      @ForAll @IntRange(min = 1, max = 4) int closing,
      @ForAll @IntRange(min = 0, max = 3) int cooldown) {
    MetricPolicy policy =
        new MetricPolicy(0.1, 0.2, 0.5, 0.1, 0.05, 30, persistence, closing, cooldown, 10, 1e-4);
    List<MetricTestResult> results = results(windows);
    List<MetricWindowStatus> series = MetricDriftTracker.track(results, policy);
    MetricDriftTracker state = MetricDriftTracker.start(policy);
    for (int i = 0; i <= results.size(); i++) {
      assertEquals(state, MetricDriftTracker.resume(policy, series.subList(0, i)), "after " + i);
      if (i < results.size() && policy.sufficient(results.get(i).sampleSize())) {
        state = state.next(results.get(i).beyondThreshold());
      }
    }
  }

  private static String statuses(List<MetricWindowStatus> series) {
    StringBuilder actual = new StringBuilder();
    series.forEach(s -> actual.append(s.status().name().charAt(0)));
    return actual.toString();
  }

  @Test
  void eachStatusKeepsItsWindowsResult() {
    List<MetricTestResult> results = results("x.");
    List<MetricWindowStatus> series = MetricDriftTracker.track(results, MetricPolicy.DEFAULT);
    assertEquals(new MetricWindowStatus(results.get(0), MetricStatus.BREACH), series.get(0));
    assertEquals(new MetricWindowStatus(results.get(1), MetricStatus.STABLE), series.get(1));
  }

  @Test
  void stepByStepEqualsTheWholeSeries() {
    MetricDriftTracker state = MetricDriftTracker.start(MetricPolicy.DEFAULT);
    state = state.next(true).next(true).next(true);
    assertEquals(new MetricDriftTracker(MetricPolicy.DEFAULT, MetricStatus.DRIFT, 0, 0), state);
    state = state.next(false).next(false);
    assertEquals(new MetricDriftTracker(MetricPolicy.DEFAULT, MetricStatus.DRIFT, 2, 0), state);
    state = state.next(false);
    assertEquals(new MetricDriftTracker(MetricPolicy.DEFAULT, MetricStatus.STABLE, 0, 2), state);
    assertEquals(MetricStatus.COOLDOWN, state.next(true).status());
  }

  private static List<MetricTestResult> results(String windows) {
    List<MetricTestResult> results = new ArrayList<>();
    for (int i = 0; i < windows.length(); i++) {
      boolean beyond = windows.charAt(i) == 'x';
      int size = windows.charAt(i) == '_' ? 5 : 200;
      results.add(
          new MetricTestResult(
              "w" + i,
              MetricKind.CONTINUOUS,
              beyond ? 0.3 : 0.02,
              beyond ? 0.001 : 0.9,
              beyond ? 0.25 : 0.01,
              beyond,
              beyond ? EffectSize.SIGNIFICANT : EffectSize.STABLE,
              size));
    }
    return results;
  }
}
