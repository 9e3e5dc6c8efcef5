package org.plumbline.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.Dependency;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.Tier;
import org.plumbline.rules.BlastRadius;
import org.plumbline.rules.ConformanceCheck;
import org.plumbline.rules.RulePack;

/**
 * CONTRACT section 7, "Order": the same snapshots and change requests, posted in any arrival order,
 * give the same derived facts as posted in time order. jqwik generates small worlds (a blueprint
 * with overrides and ignores, incidents, reverts, gradual steps, keys appearing and disappearing,
 * duplicates, change requests) and arrival orders, compares every derived fact with the in-order
 * result on a real in-memory TDB2 store with the shipped pack, and shrinks a failure to its
 * smallest world and least disorder.
 *
 * <p>Tries: 200 by default; {@code mvn -Pnightly verify} runs 5,000 (junit-platform.properties sets
 * the default).
 */
class ArrivalOrderPropertyTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant NOW = T0.plus(Duration.ofDays(400));
  private static RulePack shipped;

  @BeforeContainer
  static void compile() {
    shipped = RulePack.compile(Path.of("../rules/packs/default"));
  }

  /** The keys a world plays with, each with the values it may take (canonical JSON). */
  static final Map<String, List<String>> VALUES = new LinkedHashMap<>();

  static {
    VALUES.put("llm.temperature", List.of("0.3", "0.2", "0.7", "0.9"));
    VALUES.put("guardrails.toxicity.threshold", List.of("0.8", "0.76", "0.73", "0.7", "0.5"));
    VALUES.put("guardrails.enabled", List.of("true", "false"));
    VALUES.put("model.version", List.of("\"m-2024-01-01\"", "\"m-latest\"", "\"m\""));
    VALUES.put("retrieval.top_k", List.of("8", "10"));
    VALUES.put("flags.beta", List.of("true", "false"));
    VALUES.put("runtime.podName", List.of("\"pod-a\"", "\"pod-b\""));
  }

  static final List<String> KEYS = List.copyOf(VALUES.keySet());
  static final List<String> ENVS = List.of("e-prod", "e-reg", "e-dev");
  static final List<String> GLOBS = List.of("llm.*", "guardrails.*", "*", "model.version");

  /** One edit a loader might observe: a key set to one of its values, or removed (value -1). */
  record Edit(int key, int value) {}

  /** One observation: days after the previous one, and the edits since it. */
  record Step(int gapDays, List<Edit> edits) {}

  /** A change request window, in days from T0. */
  record Window(int env, int glob, int fromDay, int days) {}

  record World(
      boolean devOverride, List<List<Step>> histories, List<Window> windows, List<Integer> dups) {}

  @Provide
  Arbitrary<World> worlds() {
    Arbitrary<Edit> edit =
        Combinators.combine(
                Arbitraries.integers().between(0, KEYS.size() - 1),
                Arbitraries.integers().between(-1, 4))
            .as(Edit::new);
    Arbitrary<Step> step =
        Combinators.combine(Arbitraries.integers().between(1, 12), edit.list().ofMaxSize(3))
            .as(Step::new);
    Arbitrary<List<Step>> history = step.list().ofMaxSize(8);
    Arbitrary<Window> window =
        Combinators.combine(
                Arbitraries.integers().between(0, ENVS.size() - 1),
                Arbitraries.integers().between(0, GLOBS.size() - 1),
                Arbitraries.integers().between(0, 60),
                Arbitraries.integers().between(1, 20))
            .as(Window::new);
    return Combinators.combine(
            Arbitraries.of(true, false),
            history.list().ofSize(ENVS.size()),
            window.list().ofMaxSize(3),
            Arbitraries.integers().between(0, 40).list().ofMaxSize(2))
        .as(World::new);
  }

  @Property
  void arrivalOrderNeverChangesTheFacts(
      @ForAll("worlds") World world, @ForAll("sortKeys") List<Integer> sortKeys) {
    List<Event> inOrder = events(world);
    List<Event> arrival = arrivalOrder(inOrder, sortKeys);
    Map<String, Object> expected = facts(world, inOrder);
    Map<String, Object> actual = facts(world, arrival);
    for (String name : expected.keySet()) {
      assertEquals(expected.get(name), actual.get(name), name);
    }
  }

  @Provide
  Arbitrary<List<Integer>> sortKeys() {
    // All zeros (where shrinking heads) is the in-order posting; a failure shrinks towards the
    // least disorder that still breaks.
    return Arbitraries.integers().between(0, 30).list().ofMaxSize(40);
  }

  /** A posting: one snapshot or one change request. */
  record Event(Snapshot snapshot, ChangeRequest request) {
    @Override
    public String toString() {
      return snapshot != null
          ? snapshot.environment() + "@" + Duration.between(T0, snapshot.observedAt()).toDays()
          : request.id();
    }
  }

  /** The in-order posting: change requests first, then snapshots by time, then duplicates. */
  static List<Event> events(World world) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < world.windows().size(); i++) {
      Window w = world.windows().get(i);
      out.add(
          new Event(
              null,
              new ChangeRequest(
                  "CHG-" + i,
                  ENVS.get(w.env()),
                  List.of(GLOBS.get(w.glob())),
                  T0.plus(Duration.ofDays(w.fromDay())),
                  T0.plus(Duration.ofDays(w.fromDay() + w.days())),
                  "cab")));
    }
    List<Snapshot> snapshots = new ArrayList<>();
    for (int e = 0; e < ENVS.size(); e++) {
      Map<String, String> config = new TreeMap<>(expected(ENVS.get(e), world.devOverride()));
      config.put("runtime.podName", "\"pod-a\"");
      Instant at = T0;
      for (Step step : world.histories().get(e)) {
        at = at.plus(Duration.ofDays(step.gapDays())).plus(Duration.ofHours(e));
        for (Edit edit : step.edits()) {
          String key = KEYS.get(edit.key());
          List<String> values = VALUES.get(key);
          if (edit.value() < 0) {
            config.remove(key);
          } else {
            config.put(key, values.get(edit.value() % values.size()));
          }
        }
        snapshots.add(snapshot(ENVS.get(e), at, config));
      }
    }
    snapshots.sort(Comparator.comparing(Snapshot::observedAt));
    snapshots.forEach(s -> out.add(new Event(s, null)));
    for (int d : world.dups()) {
      if (!snapshots.isEmpty()) {
        out.add(new Event(snapshots.get(d % snapshots.size()), null));
      }
    }
    return out;
  }

  /** Stable sort by the generated keys: missing keys are 0, so all zeros keeps the order. */
  static List<Event> arrivalOrder(List<Event> inOrder, List<Integer> sortKeys) {
    List<Integer> index = new ArrayList<>();
    for (int i = 0; i < inOrder.size(); i++) {
      index.add(i);
    }
    index.sort(Comparator.comparing(i -> i < sortKeys.size() ? sortKeys.get(i) : 0));
    return index.stream().map(inOrder::get).toList();
  }

  static Map<String, String> expected(String env, boolean devOverride) {
    Map<String, String> c = new TreeMap<>();
    c.put("llm.temperature", env.equals("e-dev") && devOverride ? "0.7" : "0.3");
    c.put("guardrails.toxicity.threshold", "0.8");
    c.put("guardrails.enabled", "true");
    c.put("model.version", "\"m-2024-01-01\"");
    c.put("retrieval.top_k", "8");
    return c;
  }

  static Blueprint blueprint(boolean devOverride) {
    return new Blueprint(
        "b",
        "1.0.0",
        List.of(
            new EnvironmentSpec("e-prod", "Prod", Tier.PROD, "team", "sys", null),
            new EnvironmentSpec("e-reg", "Regulated", Tier.REGULATED, "team", "sys", null),
            new EnvironmentSpec("e-dev", "Dev", Tier.DEV, "team", "sys", null)),
        null,
        FlatConfig.of(expected("e-prod", false)),
        devOverride ? Map.of("e-dev", FlatConfig.of(Map.of("llm.temperature", "0.7"))) : Map.of(),
        List.of(
            new Dependency("llm.temperature", List.of("model.version")),
            new Dependency("guardrails.*", List.of("model.version")),
            new Dependency("retrieval.*", List.of("llm.temperature"))),
        List.of("runtime.*"),
        "sha256:world-" + devOverride);
  }

  static Snapshot snapshot(String env, Instant at, Map<String, String> config) {
    return new Snapshot(
        env,
        at,
        "collector",
        FlatConfig.of(config),
        "sha256:" + GovernanceTest.sha256(env + at + config));
  }

  /** Posts the world in the given order into a fresh store and reads back every derived fact. */
  static Map<String, Object> facts(World world, List<Event> order) {
    try (GraphStore store = GraphStore.inMemory()) {
      Governor g = new Governor(store, () -> shipped, Clock.fixed(NOW, ZoneOffset.UTC));
      g.ingestBlueprint(blueprint(world.devOverride()), "test");
      for (Event e : order) {
        if (e.snapshot() != null) {
          g.ingestSnapshot(e.snapshot(), "loader");
        } else {
          g.ingestChangeRequests(List.of(e.request()), "cab");
        }
      }
      return store.read(r -> read(r, order));
    }
  }

  static Map<String, Object> read(org.plumbline.ontology.StoreReader r, List<Event> order) {
    Map<String, Object> facts = new LinkedHashMap<>();
    TreeSet<Instant> instants = new TreeSet<>();
    // Derived facts only change at observed instants: between two of them they hold still.
    order.stream()
        .filter(e -> e.snapshot() != null)
        .forEach(e -> instants.add(e.snapshot().observedAt()));
    instants.add(NOW);
    for (String env : ENVS) {
      facts.put(env + " changes", r.changes(env, null, null));
      List<String> drifts = new ArrayList<>();
      for (Drift d : r.drifts(env)) {
        // As a drift is read: its blast radius is that of the latest values (a stored assessment
        // keeps the radius it saw, which depends on arrival; BlastRadius, docs/order.md).
        drifts.add(BlastRadius.current(r, d) + " trail=" + r.driftTrail(d.id()));
      }
      facts.put(env + " drifts", drifts);
      for (Instant at : instants) {
        facts.put(
            env + " configAt " + at,
            r.snapshotAtOrBefore(env, at).map(s -> s.config().values().toString()).orElse("-"));
        ConformanceCheck.Result c = ConformanceCheck.at(r, shipped, env, at);
        facts.put(
            env + " conformance " + at,
            c.matchesBlueprint()
                + " "
                + c.matchesValidated()
                + " "
                + c.differences().stream()
                    .map(d -> d.id() + " " + d.key() + " " + d.actual() + " " + d.assessment())
                    .toList());
      }
    }
    return facts;
  }
}
