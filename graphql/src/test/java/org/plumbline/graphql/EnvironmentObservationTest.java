package org.plumbline.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plumbline.governance.Caller;
import org.plumbline.governance.Governor;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.Tier;
import org.plumbline.rules.RulePack;

/**
 * CONTRACT section 7 (Operations): {@code Environment.lastObservedAt} and {@code stale}, computed
 * from the stored snapshots and the clock, on a real in-memory TDB2 store and the shipped pack. An
 * environment is stale once no snapshot was observed for twice its blueprint's {@code observeEvery}
 * (one day by default), counted from registration before its first snapshot.
 */
class EnvironmentObservationTest {
  static final Caller VIEWER = new Caller("victor", Set.of("viewer"));
  static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
  static final String QUERY = "{ environments { id lastObservedAt stale observeEvery } }";

  final AtomicReference<Instant> now = new AtomicReference<>(T0);
  final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now.get();
        }

        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }
      };

  static RulePack pack;
  GraphStore store;
  GraphQLApi api;
  Governor governance;

  @BeforeAll
  static void compile() {
    pack = RulePack.compile(Path.of("../rules/packs/default"));
  }

  @BeforeEach
  void world() {
    store = GraphStore.inMemory();
    governance = new Governor(store, () -> pack, clock);
    governance.ingestBlueprint(
        new Blueprint(
            "b",
            "1.0.0",
            List.of(
                new EnvironmentSpec(
                    "e-hourly", "H", Tier.PROD, "team", "sys", null, Duration.ofHours(1)),
                new EnvironmentSpec("e-daily", "D", Tier.DEV, "team", "sys", null)),
            null,
            FlatConfig.of(Map.of("llm.temperature", "0.3")),
            Map.of(),
            List.of(),
            List.of(),
            "sha256:b-1.0.0"),
        "test");
    api = GraphQLApi.create(store, clock, () -> pack, governance);
  }

  @AfterEach
  void close() {
    store.close();
  }

  Map<String, Map<String, Object>> environments() {
    GraphQLApi.Response r = api.run(QUERY, Map.of(), null, VIEWER);
    assertNull(r.requestError(), () -> String.valueOf(r.body()));
    assertNull(r.body().get("errors"), () -> String.valueOf(r.body()));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> envs =
        (List<Map<String, Object>>)
            ((Map<String, Object>) r.body().get("data")).get("environments");
    Map<String, Map<String, Object>> byId = new java.util.TreeMap<>();
    envs.forEach(e -> byId.put((String) e.get("id"), e));
    return byId;
  }

  void observe(String env, Instant at) {
    governance.ingestSnapshot(
        new Snapshot(
            env,
            at,
            "test",
            FlatConfig.of(Map.of("llm.temperature", "0.3")),
            "sha256:" + GraphQLCostAndPagingTest.sha256(env + at)),
        "test");
  }

  @Test
  void freshAfterASnapshotStaleAfterTwiceTheInterval() {
    Map<String, Map<String, Object>> envs = environments();
    assertNull(envs.get("e-hourly").get("lastObservedAt"), "never observed");
    assertEquals(false, envs.get("e-hourly").get("stale"), "just registered");
    assertEquals("PT1H", envs.get("e-hourly").get("observeEvery"));
    assertEquals("PT24H", envs.get("e-daily").get("observeEvery"), "the default, one day");

    now.set(T0.plus(Duration.ofHours(2)).plusSeconds(1));
    assertEquals(true, environments().get("e-hourly").get("stale"), "registered, never observed");
    assertEquals(false, environments().get("e-daily").get("stale"));

    Instant observed = T0.plus(Duration.ofHours(2));
    observe("e-hourly", observed);
    envs = environments();
    assertEquals(observed.toString(), envs.get("e-hourly").get("lastObservedAt").toString());
    assertEquals(false, envs.get("e-hourly").get("stale"), "the next snapshot clears it");

    now.set(observed.plus(Duration.ofHours(2)));
    assertEquals(false, environments().get("e-hourly").get("stale"), "exactly twice: not yet");
    now.set(observed.plus(Duration.ofHours(2)).plusSeconds(1));
    assertEquals(true, environments().get("e-hourly").get("stale"));

    now.set(T0.plus(Duration.ofDays(2)).plusSeconds(1));
    assertEquals(true, environments().get("e-daily").get("stale"), "two days without a snapshot");
  }

  @Test
  void aSnapshotThatArrivesLateButObservedLongAgoLeavesItStale() {
    now.set(T0.plus(Duration.ofHours(5)));
    observe("e-hourly", T0.plus(Duration.ofMinutes(30)));
    Map<String, Object> e = environments().get("e-hourly");
    assertEquals(true, e.get("stale"), "the facts are 4.5 hours old: " + e);
  }
}
