package org.plumbline.ontology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.apache.jena.fuseki.main.FusekiServer;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.plumbline.ontology.internal.SparqlGraphStore;

/**
 * The read shapes of a shared store (W2a: one environment's changes in a window; W2b: the change
 * counts of a tier's environments) cost a bounded number of queries, counted at the client against
 * a real Fuseki, whatever the window, and answer exactly what TDB2 answers over the same writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedStoreReadsTest {
  /** Four months of history ending yesterday, so that an open window ends near the clock. */
  private static final Instant END = Instant.now().truncatedTo(ChronoUnit.DAYS);

  private static final Instant START = END.minus(Duration.ofDays(120));
  private static final List<String> ENVS = List.of("p1", "p2", "p3", "d1");

  private FusekiServer fuseki;
  private SparqlGraphStore shared;
  private GraphStore tdb2;

  /** The history is written to TDB2, and its backup loaded into the shared store's dataset. */
  @BeforeAll
  void writeTheSameHistoryToBoth() throws IOException {
    tdb2 = GraphStore.inMemory();
    tdb2.write(
        w -> {
          history(w);
          return null;
        });
    ByteArrayOutputStream backup = new ByteArrayOutputStream();
    tdb2.backup(backup);
    DatasetGraph dataset = DatasetGraphFactory.createTxnMem();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(backup.toByteArray()))) {
      RDFDataMgr.read(dataset, in, Lang.NQUADS);
    }
    fuseki = FusekiServer.create().port(0).loopback(true).add("/plumbline", dataset, true).build();
    fuseki.start();
    shared =
        SparqlGraphStore.open(
            SparqlEndpoint.open("http://127.0.0.1:" + fuseki.getHttpPort() + "/plumbline"));
  }

  @AfterAll
  void stop() {
    shared.close();
    tdb2.close();
    fuseki.stop();
  }

  /**
   * Each environment: a snapshot on most days (some days skipped, some with two), each changing a
   * few keys; p3 starts late and d1 is not PROD.
   */
  private static void history(StoreWriter w) {
    SplittableRandom random = new SplittableRandom(22);
    for (String env : ENVS) {
      Tier tier = env.startsWith("p") ? Tier.PROD : Tier.DEV;
      w.putEnvironment(
          new Environment(env, env, tier, "team", "sys", "ACTIVE", START, null, "bundle", "1.0.0"));
      Map<String, String> config = new TreeMap<>(Map.of("a", "0", "b", "0", "c", "0"));
      Snapshot previous = null;
      int firstDay = env.equals("p3") ? 70 : 0;
      for (int day = firstDay; day < 120; day++) {
        if (random.nextInt(5) == 0) {
          continue; // no snapshot that day
        }
        for (int n = 0; n < 1 + random.nextInt(2); n++) {
          Instant at = START.plus(Duration.ofDays(day)).plusSeconds(3_600L * (1 + 6 * n));
          Map<String, String> next = new TreeMap<>(config);
          List<Change> changes = new ArrayList<>();
          for (String key : List.of("a", "b", "c")) {
            if (previous != null && random.nextInt(3) == 0) {
              String to = Integer.toString(random.nextInt(1000));
              changes.add(new Change(env, key, config.get(key), to, at, "test"));
              next.put(key, to);
            }
          }
          String hash = "sha256:" + Hashing.sha256Hex(env + at + next);
          Snapshot s = new Snapshot(env, at, "test", FlatConfig.of(next), hash);
          w.putSnapshot(s);
          if (!changes.isEmpty()) {
            w.putChanges(s, changes);
          }
          config = next;
          previous = s;
        }
      }
    }
  }

  /** The answer of a read on the shared store, asserted equal to TDB2's, and its query count. */
  private <T> long queries(Function<StoreReader, T> read) {
    T expected = tdb2.read(read);
    long before = shared.requestsSent();
    T got = shared.read(read);
    long sent = shared.requestsSent() - before;
    assertEquals(expected, got);
    return sent;
  }

  @Test
  void oneEnvironmentsChangesInAWindowAreOneQuery() {
    Instant since = END.minus(Duration.ofDays(90));
    for (String env : ENVS) {
      long sent = queries(r -> r.changes(env, since, null));
      assertEquals(1, sent, "W2a on " + env + ": the window's days and change sets in one query");
    }
    assertTrue(tdb2.read(r -> r.changes("p1", since, null)).size() > 50, "the window is not empty");
  }

  @Test
  void theChangeCountsOfATiersEnvironmentsAreTwoQueries() {
    Instant since = END.minus(Duration.ofDays(90));
    Function<StoreReader, Map<String, Integer>> w2b =
        r -> {
          Map<String, Integer> counts = new LinkedHashMap<>();
          for (Environment e : r.environments(Tier.PROD)) {
            counts.put(e.id(), r.changeCount(e.id(), since, null));
          }
          return counts;
        };
    assertEquals(
        2, queries(w2b), "W2b: the tier's environments, then all of their windows at once");
    assertEquals(3, tdb2.read(w2b).size());
    assertEquals(1, queries(r -> r.changeCount("d1", since, null)), "one count alone: one query");
    assertEquals(1, queries(StoreReader::environments), "the list of all environments");
  }

  /**
   * Windows anywhere (before the history, cutting through days, empty, open at either end, over the
   * start of p3's history): the same answers as TDB2, in one query each, two when the window starts
   * at the environment's first instant.
   */
  @Test
  void anyWindowAnswersAsTdb2DoesInOneQueryOrTwo() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 30; i++) {
      String env = ENVS.get(random.nextInt(ENVS.size()));
      Instant since = START.plus(Duration.ofHours(random.nextInt(-500, 24 * 125)));
      Instant until =
          random.nextInt(4) == 0 ? null : since.plus(Duration.ofHours(random.nextInt(0, 2000)));
      Instant from = random.nextInt(8) == 0 ? null : since;
      long changes = queries(r -> r.changes(env, from, until));
      long count = queries(r -> r.changeCount(env, from, until));
      long expected = from == null ? 2 : 1; // from the start: its first instant, then the window
      assertEquals(expected, changes, "changes " + env + " " + from + " " + until);
      assertEquals(expected, count, "count " + env + " " + from + " " + until);
    }
  }

  /**
   * A write of a 200-key snapshot (the ingest of W1) reads the current values of its keys in one
   * query, not one per key (it sent 207 and 109 requests before), and leaves the same current
   * values as TDB2.
   */
  @Test
  void aSnapshotWriteReadsItsKeysCurrentValuesInOneQuery() {
    Map<String, String> first = new TreeMap<>();
    Map<String, String> second = new TreeMap<>();
    for (int k = 0; k < 200; k++) {
      first.put("key." + k, Integer.toString(k));
      second.put("key." + k, Integer.toString(k % 2 == 0 ? k : -k)); // half of them move
    }
    long[] sent = new long[2];
    int n = 0;
    for (Map<String, String> config : List.of(first, second)) {
      Instant at = END.minus(Duration.ofDays(2 - n));
      Snapshot s =
          new Snapshot(
              "w1", at, "test", FlatConfig.of(config), "sha256:" + Hashing.sha256Hex("w1" + at));
      for (GraphStore store : List.of(tdb2, shared)) {
        long before = shared.requestsSent();
        store.write(
            w -> {
              if (w.environment("w1").isEmpty()) {
                w.putEnvironment(
                    new Environment(
                        "w1", "w1", Tier.DEV, "t", "s", "ACTIVE", START, null, "bundle", "1.0.0"));
              }
              w.putSnapshot(s);
              return null;
            });
        sent[n] = shared.requestsSent() - before;
      }
      n++;
    }
    for (String key : List.of("key.0", "key.1", "key.199")) {
      queries(r -> r.currentValue("w1", key)); // asserts the same answer as TDB2's
    }
    queries(r -> r.currentValues("key.7"));
    assertTrue(sent[1] <= 20, "the second snapshot's write sent " + sent[1] + " requests");
  }
}
