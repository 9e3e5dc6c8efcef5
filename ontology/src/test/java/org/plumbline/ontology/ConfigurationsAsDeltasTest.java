package org.plumbline.ontology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.jena.fuseki.main.FusekiServer;
import org.apache.jena.sparql.core.DatasetGraphFactory;

/**
 * Configurations are stored as deltas against the predecessor's with a keyframe every 32 (see
 * Snapshots): whatever order snapshots arrive in, each one's configuration reads back as posted, on
 * TDB2 (read again after reopening, so nothing comes from what the writer kept decoded) and on a
 * shared store (Fuseki in this JVM, read through a second store with nothing kept).
 */
class ConfigurationsAsDeltasTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final AtomicInteger ENVIRONMENTS = new AtomicInteger();
  private static FusekiServer fuseki;
  private static String url;

  @BeforeContainer
  static void startFuseki() {
    fuseki =
        FusekiServer.create()
            .port(0)
            .loopback(true)
            .add("/plumbline", DatasetGraphFactory.createTxnMem(), true)
            .build()
            .start();
    url = "http://127.0.0.1:" + fuseki.getHttpPort() + "/plumbline";
  }

  @AfterContainer
  static void stopFuseki() {
    fuseki.stop();
  }

  /** One snapshot of a history, and its position in the order the store receives them. */
  record Posted(int index, int arrival, Map<String, String> values) {}

  @Property(tries = 15)
  void everySnapshotReadsBackAsPostedOnTdb2(@ForAll("histories") List<Posted> history)
      throws IOException {
    Path folder = Files.createTempDirectory("deltas");
    try {
      String env = "e" + ENVIRONMENTS.incrementAndGet();
      List<Snapshot> posted;
      try (GraphStore store = GraphStore.openTdb2(folder)) {
        posted = post(store, env, history);
        readsBackAsPosted(store, env, posted);
      }
      try (GraphStore reopened = GraphStore.openTdb2(folder)) {
        readsBackAsPosted(reopened, env, posted);
      }
    } finally {
      deleteTree(folder);
    }
  }

  /** Fewer and shorter (still past one keyframe): each remote write and read costs round trips. */
  @Property(tries = 3)
  void everySnapshotReadsBackAsPostedOnASharedStore(
      @ForAll("shorterHistories") List<Posted> history) {
    String env = "e" + ENVIRONMENTS.incrementAndGet();
    try (GraphStore writer = GraphStore.openSparql(SparqlEndpoint.open(url));
        GraphStore reader = GraphStore.openSparql(SparqlEndpoint.open(url))) {
      List<Snapshot> posted = post(writer, env, history);
      readsBackAsPosted(writer, env, posted);
      readsBackAsPosted(reader, env, posted);
    }
  }

  /**
   * 70 snapshots in order, each changing 2 of 40 keys: one keyframe every 32 configurations, the
   * rest deltas, and a late one in the middle is a delta of its own that leaves the chain as it
   * was.
   */
  @Example
  void aLongHistoryIsDeltasWithAKeyframeEvery32() throws IOException {
    String env = "e" + ENVIRONMENTS.incrementAndGet();
    List<Posted> history = new ArrayList<>();
    TreeMap<String, String> values = new TreeMap<>();
    for (int k = 0; k < 40; k++) {
      values.put("k" + k, "0");
    }
    for (int i = 0; i < 70; i++) {
      values.put("k" + (i % 40), Integer.toString(i + 1));
      values.put("k" + ((i + 20) % 40), Integer.toString(-i));
      history.add(new Posted(i, i == 40 ? 100 : i, new TreeMap<>(values)));
    }
    try (GraphStore store = GraphStore.inMemory()) {
      List<Snapshot> posted = post(store, env, history);
      readsBackAsPosted(store, env, posted);
      String configs =
          "PREFIX pl: <https://w3id.org/plumbline#> SELECT %s WHERE { ?c a pl:ConfigContent ."
              + " OPTIONAL { ?c pl:json ?full } OPTIONAL { ?c pl:configDelta ?delta ;"
              + " pl:configDepth ?depth } } %s";
      var counts =
          firstRow(
              store,
              configs.formatted("(COUNT(?full) AS ?keyframes) (COUNT(?delta) AS ?deltas)", ""));
      var deepest = firstRow(store, configs.formatted("?depth", "ORDER BY DESC(?depth) LIMIT 1"));
      // 0 to 31 in one chain; 32 to 64 in the next (41 on 39: 40 is not there yet); 65 to 69 in
      // the third; the late 40 is a delta on 39 (depth 8), beside 41
      assertEquals("3", counts.path("keyframes").path("value").asText(), counts.toString());
      assertEquals("67", counts.path("deltas").path("value").asText(), counts.toString());
      assertEquals("31", deepest.path("depth").path("value").asText(), deepest.toString());
    }
  }

  /** A snapshot whose write fails leaves no configuration behind, and the chain goes on. */
  @Example
  void aFailedWriteLeavesNoHalfOfItsConfigurationBehind() throws IOException {
    Path folder = Files.createTempDirectory("deltas");
    try {
      String env = "e" + ENVIRONMENTS.incrementAndGet();
      Map<String, String> values = new TreeMap<>();
      for (int k = 0; k < 40; k++) {
        values.put("k" + k, Integer.toString(k));
      }
      Snapshot first = snap(env, T0, values);
      values.put("k1", "\"changed\"");
      Snapshot failed = snap(env, T0.plusSeconds(60), values);
      values.put("k2", "\"again\"");
      Snapshot third = snap(env, T0.plusSeconds(120), values);
      try (GraphStore store = GraphStore.openTdb2(folder)) {
        write(store, w -> w.putEnvironment(environment(env)));
        write(store, w -> w.putSnapshot(first));
        assertThrows(
            RuntimeException.class,
            () ->
                write(
                    store,
                    w -> {
                      w.putSnapshot(failed);
                      throw new IllegalStateException("the process dies here");
                    }));
        write(store, w -> w.putSnapshot(third));
      }
      try (GraphStore reopened = GraphStore.openTdb2(folder)) {
        assertTrue(reopened.read(r -> r.snapshot(failed.contentHash())).isEmpty());
        readsBackAsPosted(reopened, env, List.of(first, third));
      }
    } finally {
      deleteTree(folder);
    }
  }

  /**
   * Many snapshots in one transaction (a bulk load), in any arrival order: asked right after each
   * is stored, and after the commit, the snapshot before an instant is the one before it in time
   * among those stored, backfills between the latest and the one before it included.
   */
  @Property(tries = 30)
  void theSnapshotBeforeIsThePredecessorInTimeWithinOneTransaction(
      @ForAll("shorterHistories") List<Posted> history) throws IOException {
    Path folder = Files.createTempDirectory("before");
    try (GraphStore store = GraphStore.openTdb2(folder)) {
      String env = "e" + ENVIRONMENTS.incrementAndGet();
      write(store, w -> w.putEnvironment(environment(env)));
      List<Snapshot> posted = new ArrayList<>();
      for (Posted p : history) {
        // ten minutes apart: a day holds many, so the store walks a day's snapshots to answer
        posted.add(snap(env, T0.plus(Duration.ofMinutes(10L * p.index())), p.values()));
      }
      List<Snapshot> stored = new ArrayList<>();
      write(
          store,
          w ->
              history.stream()
                  .sorted(Comparator.comparingInt(Posted::arrival).thenComparingInt(Posted::index))
                  .forEach(
                      p -> {
                        Snapshot s = posted.get(p.index());
                        w.putSnapshot(s);
                        stored.add(s);
                        Snapshot latest =
                            stored.stream().max(Comparator.comparing(Snapshot::observedAt)).get();
                        for (Snapshot asked : List.of(s, latest)) {
                          assertEquals(
                              before(stored, asked.observedAt()),
                              w.snapshotBefore(env, asked.observedAt()),
                              "before " + asked.observedAt() + ", inside the transaction");
                        }
                      }));
      for (Snapshot s : posted) {
        assertEquals(
            before(posted, s.observedAt()),
            store.read(r -> r.snapshotBefore(env, s.observedAt())),
            "before " + s.observedAt() + ", after the commit");
      }
    } finally {
      deleteTree(folder);
    }
  }

  private static java.util.Optional<Snapshot> before(List<Snapshot> stored, Instant t) {
    return stored.stream()
        .filter(s -> s.observedAt().isBefore(t))
        .max(Comparator.comparing(Snapshot::observedAt));
  }

  private static com.fasterxml.jackson.databind.JsonNode firstRow(GraphStore store, String query)
      throws IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(store.sparql(query, SparqlLimits.DEFAULT).body())
        .path("results")
        .path("bindings")
        .path(0);
  }

  private static List<Snapshot> post(GraphStore store, String env, List<Posted> history) {
    write(store, w -> w.putEnvironment(environment(env)));
    List<Snapshot> posted = new ArrayList<>();
    for (Posted p : history) {
      posted.add(snap(env, T0.plus(Duration.ofHours(p.index())), p.values()));
    }
    history.stream()
        .sorted(Comparator.comparingInt(Posted::arrival).thenComparingInt(Posted::index))
        .forEach(p -> write(store, w -> w.putSnapshot(posted.get(p.index()))));
    return posted;
  }

  private static void readsBackAsPosted(GraphStore store, String env, List<Snapshot> posted) {
    for (Snapshot s : posted) {
      assertEquals(s, store.read(r -> r.snapshot(s.contentHash())).orElseThrow());
      assertEquals(s, store.read(r -> r.snapshotAtOrBefore(env, s.observedAt())).orElseThrow());
    }
    Snapshot latest = posted.stream().max(Comparator.comparing(Snapshot::observedAt)).orElseThrow();
    assertEquals(latest, store.read(r -> r.latestSnapshot(env)).orElseThrow());
  }

  /**
   * Histories of 1 to 80 snapshots: each configuration is its predecessor with a few keys set or
   * removed (of 40 to 70 keys), now and then one replaced wholesale or one seen before again; most
   * arrive in order, some late (anywhere later in the sequence), so chains run long and are cut in
   * the middle.
   */
  @Provide
  Arbitrary<List<Posted>> histories() {
    return histories(80);
  }

  @Provide
  Arbitrary<List<Posted>> shorterHistories() {
    return histories(40);
  }

  private static Arbitrary<List<Posted>> histories(int longest) {
    Arbitrary<int[]> step =
        Combinators.combine(
                Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 29),
                Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 999))
            .as((kind, key, count, value) -> new int[] {kind, key, count, value});
    Arbitrary<Integer> delay =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(7, Arbitraries.just(0)),
            net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, longest)));
    return Combinators.combine(
            step.list().ofMinSize(1).ofMaxSize(longest), delay.list().ofSize(longest))
        .as(
            (steps, delays) -> {
              List<Posted> out = new ArrayList<>();
              List<Map<String, String>> seen = new ArrayList<>();
              TreeMap<String, String> values = new TreeMap<>();
              for (int k = 0; k < 40; k++) {
                values.put("base." + k, Integer.toString(k));
              }
              for (int i = 0; i < steps.size(); i++) {
                int[] s = steps.get(i);
                if (s[0] < 5) {
                  values = new TreeMap<>(Map.of("only", Integer.toString(s[3])));
                } else if (s[0] < 10 && !seen.isEmpty()) {
                  values = new TreeMap<>(seen.get(s[3] % seen.size()));
                } else {
                  for (int c = 0; c <= s[2]; c++) {
                    String key = "key." + ((s[1] + c * 7) % 30);
                    if ((s[3] + c) % 4 == 0) {
                      values.remove(key);
                    } else {
                      values.put(key, "\"v" + (s[3] + c) + "\"");
                    }
                  }
                }
                seen.add(new TreeMap<>(values));
                out.add(new Posted(i, i + delays.get(i), new TreeMap<>(values)));
              }
              return out;
            });
  }

  private static Snapshot snap(String env, Instant at, Map<String, String> values) {
    String hash = "sha256:" + Hashing.sha256Hex(env + at + values);
    return new Snapshot(env, at, "test", FlatConfig.of(new TreeMap<>(values)), hash);
  }

  private static Environment environment(String id) {
    return new Environment(id, id, Tier.PROD, "team", "sys", "ACTIVE", T0, null, "bundle", "1.0.0");
  }

  private static void write(GraphStore store, Consumer<StoreWriter> work) {
    store.write(
        w -> {
          work.accept(w);
          return null;
        });
  }

  private static void deleteTree(Path folder) throws IOException {
    try (var paths = Files.walk(folder)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
