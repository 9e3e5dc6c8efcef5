package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Vocab.*;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;

/**
 * The time index: each environment has one node per UTC day that links that day's snapshots and
 * change sets, grouped by month, so a window query visits only the days it covers instead of
 * scanning and filtering the environment's whole history. Each day bucket keeps how many of the
 * environment's changes came before that day (a running count), so counting a window reads two
 * numbers. Index writes only: no shape describes a bucket.
 */
final class TimeIndex {
  private final Triples g;
  private final Index index;

  TimeIndex(Triples g) {
    this.g = g;
    this.index = g.index;
  }

  static LocalDate day(Instant when) {
    return LocalDate.ofInstant(when, ZoneOffset.UTC);
  }

  /** The bucket of the environment's day of {@code when}, created (with its counts) if new. */
  Node dayBucket(String envId, Instant when) {
    LocalDate d = day(when);
    Node bucket = dayNode(envId, d);
    if (!g.contains(bucket, TYPE, DAY_BUCKET_CLASS)) {
      // Its running count: the environment's changes less those of the days after it.
      long later = 0;
      for (Node after : daysAfter(envId, d)) {
        later += g.number(after, changeCount);
      }
      index.add(bucket, TYPE, DAY_BUCKET_CLASS);
      index.add(bucket, day, NodeFactory.createLiteralDT(d.toString(), XSDDatatype.XSDdate));
      index.setLong(bucket, changesBefore, g.number(environmentNode(envId), changeTotal) - later);
      linkMonth(envId, bucket, d);
    }
    return bucket;
  }

  private void linkMonth(String envId, Node bucket, LocalDate d) {
    Node month = monthNode(envId, YearMonth.from(d));
    if (!g.contains(month, TYPE, MONTH_BUCKET_CLASS)) {
      index.add(month, TYPE, MONTH_BUCKET_CLASS);
    }
    index.add(month, hasDay, bucket);
  }

  /** The objects {@code p} links from the environment's bucket of day {@code d}. */
  List<Node> linkedFrom(String envId, LocalDate d, Node p) {
    List<Node> out = new ArrayList<>();
    for (Triple t : g.find(dayNode(envId, d), p, Triples.ANY)) {
      out.add(t.getObject());
    }
    return out;
  }

  /** When the environment's latest snapshot was observed, without reading that snapshot. */
  Instant latestObservedAt(Node env) {
    Node latest = g.object(env, latestSnapshot);
    return latest == null ? null : g.instant(latest, observedAt);
  }

  /** How many of the environment's changes happened strictly before {@code t}. */
  long changesBefore(String envId, Instant t, Instant lastAt) {
    LocalDate d = day(t);
    Node bucket = dayNode(envId, d);
    if (g.contains(bucket, TYPE, DAY_BUCKET_CLASS)) {
      long before = g.number(bucket, changesBefore);
      if (!t.equals(d.atStartOfDay(ZoneOffset.UTC).toInstant())) {
        for (Triple c : g.find(bucket, hasChangeSet, Triples.ANY)) {
          if (g.instant(c.getObject(), observedAt).isBefore(t)) {
            before += g.number(c.getObject(), changeSetSize);
          }
        }
      }
      return before;
    }
    Node next = nextDayAfter(envId, d, day(lastAt));
    return next == null
        ? g.number(environmentNode(envId), changeTotal)
        : g.number(next, changesBefore);
  }

  /** The first day bucket after {@code d}, up to {@code last}, or null. */
  private Node nextDayAfter(String envId, LocalDate d, LocalDate last) {
    for (YearMonth m = YearMonth.from(d); !m.isAfter(YearMonth.from(last)); m = m.plusMonths(1)) {
      Node best = null;
      LocalDate bestDay = null;
      for (Triple t : g.find(monthNode(envId, m), hasDay, Triples.ANY)) {
        LocalDate day = dayOf(t.getObject());
        if (day.isAfter(d) && (bestDay == null || day.isBefore(bestDay))) {
          best = t.getObject();
          bestDay = day;
        }
      }
      if (best != null) {
        return best;
      }
    }
    return null;
  }

  /** The day buckets after {@code d} (a backfill must move their running counts). */
  private List<Node> daysAfter(String envId, LocalDate d) {
    List<Node> out = new ArrayList<>();
    Instant lastAt = latestObservedAt(environmentNode(envId));
    if (lastAt == null || !day(lastAt).isAfter(d)) {
      return out;
    }
    for (YearMonth m = YearMonth.from(d);
        !m.isAfter(YearMonth.from(day(lastAt)));
        m = m.plusMonths(1)) {
      for (Triple t : g.find(monthNode(envId, m), hasDay, Triples.ANY)) {
        if (dayOf(t.getObject()).isAfter(d)) {
          out.add(t.getObject());
        }
      }
    }
    return out;
  }

  /**
   * The day buckets that exist between two instants, in no particular order: through the month
   * level, so days without facts cost nothing.
   */
  List<Node> dayBuckets(String envId, Instant lo, Instant hi) {
    List<Node> out = new ArrayList<>();
    LocalDate first = day(lo);
    LocalDate last = day(hi);
    for (YearMonth m = YearMonth.from(first);
        !m.isAfter(YearMonth.from(last));
        m = m.plusMonths(1)) {
      for (Triple t : g.find(monthNode(envId, m), hasDay, Triples.ANY)) {
        LocalDate d = dayOf(t.getObject());
        if (!d.isBefore(first) && !d.isAfter(last)) {
          out.add(t.getObject());
        }
      }
    }
    return out;
  }

  /**
   * Adds {@code delta} to the counts of the day and month of {@code when} and to the environment's
   * total, and moves the running count of every later day (none when appending, the usual case).
   */
  void addToCounts(String envId, Instant when, long delta) {
    if (delta == 0) {
      return;
    }
    Node bucket = dayBucket(envId, when);
    addLong(bucket, changeCount, delta);
    addLong(monthNode(envId, YearMonth.from(day(when))), changeCount, delta);
    addLong(environmentNode(envId), changeTotal, delta);
    for (Node later : daysAfter(envId, day(when))) {
      addLong(later, changesBefore, delta);
    }
  }

  private void addLong(Node s, Node p, long delta) {
    index.setLong(s, p, g.number(s, p) + delta);
  }
}
