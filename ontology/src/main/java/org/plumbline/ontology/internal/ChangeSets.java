package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.dateTime;
import static org.plumbline.ontology.internal.Literals.longLiteral;
import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.Vocab.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.plumbline.ontology.Change;
import org.plumbline.ontology.Snapshot;

/**
 * The changes one snapshot produced are one literal on the snapshot's node, linked from its day:
 * they are written and read together, and a literal per change set instead of a node per change
 * keeps the store a few times the size of a relational table of the same changes.
 */
final class ChangeSets {
  private final Triples g;
  private final Facts facts;
  private final Index index;
  private final TimeIndex time;

  ChangeSets(Triples g, TimeIndex time) {
    this.g = g;
    this.facts = g.facts;
    this.index = g.index;
    this.time = time;
  }

  /** The stored form of one snapshot's changes: when, from where, and [key, from, to] rows. */
  record ChangeSet(Instant at, String source, List<String[]> changes) {}

  void put(Snapshot producer, List<Change> changes) {
    if (changes.isEmpty()) {
      return;
    }
    Node s = snapshotNode(producer.contentHash());
    ChangeSet stored = of(s);
    List<String[]> rows = new ArrayList<>(stored == null ? List.of() : stored.changes());
    for (Change c : changes) {
      rows.add(new String[] {c.key(), c.from(), c.to()});
    }
    ChangeSet set = new ChangeSet(producer.observedAt(), producer.source(), rows);
    facts.remove(s, changeSet, Triples.ANY);
    facts.add(s, changeSet, str(JsonCodec.write(set)));
    // When and how many, beside the literal: counting a day's changes reads no JSON.
    facts.remove(s, changeSetSize, Triples.ANY);
    facts.add(s, changeSetSize, longLiteral(rows.size()));
    if (!g.contains(s, observedAt, Triples.ANY)) {
      facts.add(s, observedAt, dateTime(producer.observedAt()));
    }
    index.add(time.dayBucket(producer.environment(), producer.observedAt()), hasChangeSet, s);
    time.addToCounts(producer.environment(), producer.observedAt(), changes.size());
  }

  private ChangeSet of(Node producer) {
    String text = g.string(producer, changeSet);
    return text == null ? null : JsonCodec.read(text, ChangeSet.class);
  }

  void removeProducedBy(Snapshot producer) {
    Node s = snapshotNode(producer.contentHash());
    ChangeSet set = of(s);
    if (set == null) {
      return;
    }
    index.remove(time.dayBucket(producer.environment(), producer.observedAt()), hasChangeSet, s);
    facts.remove(s, changeSet, Triples.ANY);
    facts.remove(s, changeSetSize, Triples.ANY);
    time.addToCounts(producer.environment(), producer.observedAt(), -set.changes().size());
  }

  List<Change> changes(String envId, Instant since, Instant until) {
    Node env = environmentNode(envId);
    Instant first = g.instant(env, firstObservedAt);
    Instant lastAt = time.latestObservedAt(env);
    List<Change> out = new ArrayList<>();
    if (first == null || lastAt == null) {
      return out;
    }
    Instant lo = since == null || since.isBefore(first) ? first : since;
    Instant hi = until == null || until.isAfter(lastAt) ? lastAt.plusNanos(1) : until;
    for (Node bucket : time.dayBuckets(envId, lo, hi)) {
      for (Triple t : g.find(bucket, hasChangeSet, Triples.ANY)) {
        ChangeSet set = of(t.getObject());
        if (set != null && !set.at().isBefore(lo) && set.at().isBefore(hi)) {
          for (String[] c : set.changes()) {
            out.add(new Change(envId, c[0], c[1], c[2], set.at(), set.source()));
          }
        }
      }
    }
    out.sort(Comparator.comparing(Change::at).thenComparing(Change::key));
    return out;
  }

  /**
   * Counts from the time index: each day bucket keeps how many of the environment's changes came
   * before that day, so a window's count is the difference of two running counts, and only a day
   * that the window cuts through is read change by change.
   */
  int count(String envId, Instant since, Instant until) {
    Node env = environmentNode(envId);
    Instant first = g.instant(env, firstObservedAt);
    Instant lastAt = time.latestObservedAt(env);
    if (first == null || lastAt == null) {
      return 0;
    }
    Instant lo = since == null || since.isBefore(first) ? first : since;
    if (until != null && !lo.isBefore(until)) {
      return 0;
    }
    long upTo =
        until == null || until.isAfter(lastAt)
            ? g.number(env, changeTotal)
            : time.changesBefore(envId, until, lastAt);
    return (int) (upTo - time.changesBefore(envId, lo, lastAt));
  }
}
