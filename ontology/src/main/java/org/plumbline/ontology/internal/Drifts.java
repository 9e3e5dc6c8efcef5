package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.dateTime;
import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.Vocab.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.Authorization;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftKind;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.DriftSummary;
import org.plumbline.ontology.RiskCategory;
import org.plumbline.ontology.Severity;

/**
 * Drifts, with their assessment and the trail of values that led to them. Each environment links
 * all its drifts, and the index of governed drifts links the live and excepted ones from the
 * environment and from the environment's key, so reconciling an ingest and re-assessing a blast
 * radius visit those only.
 *
 * <p>Each drift also carries its {@link DriftSummary} as one literal, and the governed ones'
 * summaries are listed from one node ({@code GOVERNED_DRIFTS}), so the inbox reads every governed
 * drift's summary in one range scan and decodes in full only the drifts of the page it shows. The
 * summary is written by the same {@link #put} as the drift, in the same transaction.
 */
final class Drifts {
  private final Triples g;
  private final Facts facts;
  private final Index index;

  /**
   * The drifts this transaction read or wrote, by node, with their trails by id: reconciling a
   * batch of snapshots reads an environment's live drifts again for each one. Every drift write
   * goes through here, and a {@code Drifts} lives for one transaction ({@link GraphAccess}), so
   * what is kept is what the graph holds.
   */
  private final java.util.Map<Node, Drift> known = new java.util.HashMap<>();

  private final java.util.Map<String, List<String>> trails = new java.util.HashMap<>();

  Drifts(Triples g) {
    this.g = g;
    this.facts = g.facts;
    this.index = g.index;
  }

  void put(Drift d, List<String> trailValues) {
    Node n = driftNode(d.id());
    Node env = environmentNode(d.environment());
    Facts.Statements f = new Facts.Statements(n);
    f.add(TYPE, DRIFT_CLASS);
    f.add(id, str(d.id()));
    f.add(environment, env);
    f.add(key, str(d.key()));
    f.addOptional(expected, d.expected());
    f.addOptional(actual, d.actual());
    f.add(detectedAt, dateTime(d.detectedAt()));
    f.add(updatedAt, dateTime(d.updatedAt()));
    f.add(status, str(d.status().name()));
    Assessment a = d.assessment();
    f.add(riskCategory, str(a.riskCategory().name()));
    f.add(severity, str(a.severity().name()));
    for (String finding : a.findings()) {
      f.add(Vocab.finding, str(finding));
    }
    f.add(assessment, str(JsonCodec.write(a)));
    f.add(trail, str(JsonCodec.write(trailValues)));
    f.add(driftKind, str(d.kind().name()));
    Node summary = str(encode(DriftSummary.of(d)));
    // The summary names the status, so an unchanged summary is listed (or not) as it should be.
    Node old = g.object(n, driftSummary);
    if (!summary.equals(old)) {
      if (old != null) {
        index.remove(GOVERNED_DRIFTS, driftSummary, old);
      }
      if (governed(d.status())) {
        index.add(GOVERNED_DRIFTS, driftSummary, summary);
      }
    }
    facts.replace(n, f.list, List.of(Triple.create(n, driftSummary, summary)));
    if (!g.contains(env, hasDrift, n)) {
      index.add(env, hasDrift, n);
    }
    linkIfActive(env, d.environment(), n, d.key(), d.status());
    known.put(n, d);
    trails.put(d.id(), frozen(trailValues));
  }

  private static boolean governed(DriftStatus s) {
    return s.isLive() || s == DriftStatus.EXCEPTED;
  }

  /** Takes a drift's summary as stored off the list of governed drifts. */
  private void unlistSummary(Node drift) {
    Node old = g.object(drift, driftSummary);
    if (old != null) {
      index.remove(GOVERNED_DRIFTS, driftSummary, old);
    }
  }

  private void linkIfActive(Node env, String envId, Node drift, String configKey, DriftStatus s) {
    Node byKey = activeDriftsNode(envId, configKey);
    if (governed(s)) {
      index.add(env, hasActiveDrift, drift);
      index.add(byKey, hasActiveDrift, drift);
    } else {
      index.remove(env, hasActiveDrift, drift);
      index.remove(byKey, hasActiveDrift, drift);
    }
  }

  List<Drift> active(String envId) {
    List<Drift> out = readAll(environmentNode(envId), hasActiveDrift);
    out.sort(Comparator.comparing(Drift::detectedAt).thenComparing(Drift::key));
    return out;
  }

  List<Drift> active(String envId, String configKey) {
    return readAll(activeDriftsNode(envId, configKey), hasActiveDrift);
  }

  List<Drift> of(String envId) {
    List<Drift> out = readAll(environmentNode(envId), hasDrift);
    out.sort(Comparator.comparing(Drift::detectedAt).thenComparing(Drift::key));
    return out;
  }

  List<Drift> of(String envId, String configKey) {
    Node k = str(configKey);
    List<Drift> out = new ArrayList<>();
    for (Triple t : g.find(environmentNode(envId), hasDrift, Triples.ANY)) {
      if (g.contains(t.getObject(), key, k)) {
        out.add(read(t.getObject()));
      }
    }
    out.sort(Comparator.comparing(Drift::detectedAt));
    return out;
  }

  private List<Drift> readAll(Node from, Node link) {
    List<Drift> out = new ArrayList<>();
    for (Triple t : g.find(from, link, Triples.ANY)) {
      out.add(read(t.getObject()));
    }
    return out;
  }

  void remove(String driftId) {
    Node n = driftNode(driftId);
    Node env = g.object(n, environment);
    String configKey = g.string(n, key);
    unlistSummary(n);
    if (env != null) {
      index.remove(env, hasDrift, n);
      index.remove(env, hasActiveDrift, n);
      index.remove(activeDriftsNode(g.string(env, id), configKey), hasActiveDrift, n);
    }
    facts.remove(n, Triples.ANY, Triples.ANY);
    known.remove(n);
    trails.remove(driftId);
  }

  /** The summaries of every governed drift (live or excepted), in no order: one range scan. */
  List<DriftSummary> governedSummaries() {
    List<DriftSummary> out = new ArrayList<>();
    for (Triple t : g.find(GOVERNED_DRIFTS, driftSummary, Triples.ANY)) {
      out.add(decode(t.getObject().getLiteralLexicalForm()));
    }
    return out;
  }

  /** The summaries of every drift of one environment, of every status, in no order. */
  List<DriftSummary> summaries(String envId) {
    List<DriftSummary> out = new ArrayList<>();
    for (Triple t : g.find(environmentNode(envId), hasDrift, Triples.ANY)) {
      out.add(decode(g.string(t.getObject(), driftSummary)));
    }
    return out;
  }

  private static String encode(DriftSummary s) {
    return JsonCodec.write(
        List.of(
            s.id(),
            s.environment(),
            s.key(),
            s.status().name(),
            s.severity().name(),
            s.riskCategory().name(),
            s.authorization() == null ? "" : s.authorization().name(),
            s.kind().name(),
            s.detectedAt().toString()));
  }

  private static DriftSummary decode(String stored) {
    List<String> f = JsonCodec.readStringList(stored);
    return new DriftSummary(
        f.get(0),
        f.get(1),
        f.get(2),
        DriftStatus.valueOf(f.get(3)),
        Severity.valueOf(f.get(4)),
        RiskCategory.valueOf(f.get(5)),
        f.get(6).isEmpty() ? null : Authorization.valueOf(f.get(6)),
        DriftKind.valueOf(f.get(7)),
        Instant.parse(f.get(8)));
  }

  Optional<Drift> get(String driftId) {
    Node n = driftNode(driftId);
    return g.contains(n, TYPE, DRIFT_CLASS) ? Optional.of(read(n)) : Optional.empty();
  }

  List<String> trail(String driftId) {
    List<String> kept = trails.get(driftId);
    if (kept != null) {
      return kept;
    }
    String t = g.string(driftNode(driftId), trail);
    List<String> read = t == null ? List.of() : frozen(JsonCodec.readStringList(t));
    trails.put(driftId, read);
    return read;
  }

  /** A copy nobody can change (a trail may hold nulls, which {@code List.copyOf} refuses). */
  private static List<String> frozen(List<String> values) {
    return java.util.Collections.unmodifiableList(new ArrayList<>(values));
  }

  private Drift read(Node n) {
    Drift kept = known.get(n);
    if (kept == null) {
      kept = decode(n);
      known.put(n, kept);
    }
    return kept;
  }

  private Drift decode(Node n) {
    Triples.About a = g.about(n);
    String kindName = a.string(driftKind);
    return new Drift(
        a.string(id),
        g.string(a.object(environment), id),
        a.string(key),
        a.string(expected),
        a.string(actual),
        a.instant(detectedAt),
        a.instant(updatedAt),
        DriftStatus.valueOf(a.string(status)),
        JsonCodec.read(a.string(assessment), Assessment.class),
        // drifts stored before behavioural metrics existed carry no kind: they are all of config
        kindName == null ? DriftKind.CONFIG : DriftKind.valueOf(kindName));
  }
}
