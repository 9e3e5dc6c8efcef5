package org.plumbline.ontology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The month level of the time index and its kept counts: counts must equal what the window's
 * changes are, whatever the window, across month ends, after backfills remove changes.
 */
class TimeIndexTest {
  static final Instant T0 = Instant.parse("2026-01-20T07:30:00Z");

  @Test
  void countsMatchTheChangesOfAnyWindow() {
    try (GraphStore store = GraphStore.inMemory()) {
      List<Snapshot> snaps = new ArrayList<>();
      store.write(
          w -> {
            w.putEnvironment(GraphStoreTest.env("e1"));
            SplittableRandom r = new SplittableRandom(3);
            Instant at = T0;
            for (int i = 0; i < 120; i++) {
              at = at.plus(Duration.ofHours(1 + r.nextInt(60)));
              Snapshot s = GraphStoreTest.snap("e1", at, Map.of("k", Integer.toString(i)));
              w.putSnapshot(s);
              List<Change> changes = new ArrayList<>();
              for (int c = 0; c < r.nextInt(4); c++) {
                changes.add(new Change("e1", "k" + c, "1", "2", at, "test"));
              }
              w.putChanges(s, changes);
              snaps.add(s);
            }
            // A backfill recomputes a successor's changes: the counts must follow the removal,
            // and changes stored on an earlier day must move the running counts of later days.
            w.removeChangesProducedBy(snaps.get(40));
            w.removeChangesProducedBy(snaps.get(41));
            Snapshot early = snaps.get(10);
            w.putChanges(
                early,
                List.of(
                    new Change("e1", "late.a", "1", "2", early.observedAt(), "test"),
                    new Change("e1", "late.b", "1", "2", early.observedAt(), "test")));
            // A snapshot slotted in between two days that held none yet.
            Instant between = snaps.get(60).observedAt().minusSeconds(1);
            Snapshot slotted = GraphStoreTest.snap("e1", between, Map.of("k", "x"));
            w.putSnapshot(slotted);
            w.putChanges(slotted, List.of(new Change("e1", "k", "1", "x", between, "test")));
            return null;
          });
      SplittableRandom r = new SplittableRandom(5);
      Instant end = snaps.get(snaps.size() - 1).observedAt();
      long span = Duration.between(T0, end).toSeconds();
      for (int i = 0; i < 300; i++) {
        Instant since = T0.plusSeconds(r.nextLong(-86_400, span));
        Instant until = since.plusSeconds(r.nextLong(1, span));
        // Whole days and months too: the kept counts answer those without reading changes.
        if (i % 3 == 0) {
          since = since.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
          until = until.truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofDays(1));
        }
        Instant s = since;
        Instant u = until;
        int expected = store.read(rd -> rd.changes("e1", s, u)).size();
        int counted = store.read(rd -> rd.changeCount("e1", s, u));
        assertEquals(expected, counted, s + " .. " + u);
      }
      int all = store.read(rd -> rd.changes("e1", null, null)).size();
      int counted = store.read(rd -> rd.changeCount("e1", null, null));
      assertEquals(all, counted);
      int none = store.read(rd -> rd.changeCount("nobody", null, null));
      assertEquals(0, none);
    }
  }

  @Test
  void environmentsOfATierComeFromTheTierIndex() {
    try (GraphStore store = GraphStore.inMemory()) {
      store.write(
          w -> {
            w.putEnvironment(GraphStoreTest.env("p1"));
            w.putEnvironment(
                new Environment(
                    "d1", "d1", Tier.DEV, "team", "sys", "ACTIVE", T0, null, "bundle", "1.0.0"));
            return null;
          });
      assertEquals(
          List.of("p1"),
          store.read(r -> r.environments(Tier.PROD)).stream().map(Environment::id).toList());
      assertEquals(
          List.of("d1"),
          store.read(r -> r.environments(Tier.DEV)).stream().map(Environment::id).toList());
      assertEquals(List.of(), store.read(r -> r.environments(Tier.REGULATED)));
    }
  }
}
