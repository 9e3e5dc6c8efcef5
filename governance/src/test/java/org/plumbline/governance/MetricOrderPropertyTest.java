package org.plumbline.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.MetricWindow;
import org.plumbline.rules.MetricSample;
import org.plumbline.rules.RulePack;

/**
 * CONTRACT section 7, Order, for behavioural metrics: the windows of one baseline posted in any
 * arrival order give the same series (every window's statistics and status, the tracker's state)
 * and the same metric drifts (identity, detectedAt, status, expected, actual, trail, assessment) as
 * posted in label order. Worlds mix windows beyond threshold, within, far beyond (a CRITICAL
 * effect) and too small to count, labelled {@code w0}, {@code w1}, … so that {@code w10} follows
 * {@code w9}. Each window arrives on its own day's clock, so detectedAt is checked too. A real
 * in-memory TDB2 store and the shipped Drools pack, two fresh stores per try.
 */
class MetricOrderPropertyTest {
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  private static RulePack pack;

  @BeforeContainer
  static void compile() {
    pack = RulePack.compile(Path.of("../rules/packs/default"));
  }

  /** A world: the kind of each window in label order, and the order the windows arrive in. */
  record World(String windows, List<Integer> arrival) {}

  @Provide
  Arbitrary<World> worlds() {
    Arbitrary<String> windows =
        Arbitraries.strings().withChars('.', 'x', 'X', '_').ofMinLength(1).ofMaxLength(10);
    return windows.flatMap(
        w -> {
          List<Integer> inOrder = new ArrayList<>();
          for (int i = 0; i < w.length(); i++) {
            inOrder.add(i);
          }
          return Combinators.combine(Arbitraries.just(w), Arbitraries.shuffle(inOrder))
              .as(World::new);
        });
  }

  @Property(tries = 200, shrinking = ShrinkingMode.FULL)
  void anyArrivalOrderGivesTheSeriesAndDriftsOfLabelOrder(@ForAll("worlds") World world) {
    List<Integer> labelOrder = new ArrayList<>(world.arrival());
    Collections.sort(labelOrder);
    assertEquals(post(world.windows(), labelOrder), post(world.windows(), world.arrival()));
  }

  /** Everything derived from the windows, arrival facts (seq aside: it is label order) left out. */
  record Derived(List<String> windows, String series, List<String> drifts) {}

  private static Derived post(String kinds, List<Integer> arrival) {
    try (GraphStore store = GraphStore.inMemory()) {
      SettableClock clock = new SettableClock(START);
      Governor governance = new Governor(store, () -> pack, clock);
      governance.ingestBlueprint(MetricIngestTest.blueprint(), "loader");
      String env = MetricIngestTest.PROD;
      String metric = MetricIngestTest.LENGTH;
      governance.ingestMetric(MetricIngestTest.length(env, "base", true, 400, 1), "loader");
      for (int i : arrival) {
        clock.set(START.plus(Duration.ofDays(i + 1)));
        governance.ingestMetric(sample(env, "w" + i, kinds.charAt(i), i), "loader");
      }
      List<String> windows = new ArrayList<>();
      for (MetricWindow w : store.read(r -> r.metricWindows(env, metric))) {
        windows.add(
            w.seq()
                + " "
                + w.window()
                + " "
                + w.status()
                + " "
                + w.statistic()
                + " "
                + w.pValue()
                + " "
                + w.psi()
                + " "
                + w.effect()
                + " "
                + w.beyondThreshold()
                + " "
                + w.baseline());
      }
      String series = store.read(r -> r.metricSeries(env, metric)).orElseThrow().toString();
      List<String> drifts = new ArrayList<>();
      for (Drift d : store.read(r -> r.drifts(env))) {
        drifts.add(
            String.join(
                " | ",
                d.id(),
                d.key(),
                d.detectedAt().toString(),
                d.status().name(),
                d.expected(),
                d.actual(),
                store.read(r -> r.driftTrail(d.id())).toString(),
                d.assessment().severity().name(),
                d.assessment().authorization().name(),
                d.assessment().findings().toString()));
      }
      return new Derived(windows, series, drifts);
    }
  }

  /** One window of the given kind, from a seed of its own. */
  private static MetricSample sample(String env, String label, char kind, long seed) {
    return switch (kind) {
      case 'x' -> MetricIngestTest.length(env, label, false, 450, 100 + seed);
      case 'X' -> MetricIngestTest.length(env, label, false, 600, 100 + seed);
      case '_' -> {
        Random random = new Random(100 + seed);
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          values.add(Math.max(1, Math.round(600 + 60 * random.nextGaussian())));
        }
        yield MetricSample.of(env, MetricIngestTest.LENGTH, "CONTINUOUS", label, false, values);
      }
      default -> MetricIngestTest.length(env, label, false, 400, 100 + seed);
    };
  }
}
