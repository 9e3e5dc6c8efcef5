package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.bool;
import static org.plumbline.ontology.internal.Literals.dateTime;
import static org.plumbline.ontology.internal.Literals.doubleLiteral;
import static org.plumbline.ontology.internal.Literals.integer;
import static org.plumbline.ontology.internal.Literals.longLiteral;
import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.Vocab.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.MetricBaseline;
import org.plumbline.ontology.MetricSeries;
import org.plumbline.ontology.MetricWindow;

/**
 * Behavioural metrics: a series per environment and metric, its baselines and its windows, which
 * hang below it; sample values are content-addressed nodes, so a baseline codified from a window
 * shares the window's values.
 */
final class Metrics {
  private final Triples g;
  private final Facts facts;
  private final Index index;

  Metrics(Triples g) {
    this.g = g;
    this.facts = g.facts;
    this.index = g.index;
  }

  // ---- series ----

  Optional<MetricSeries> series(String envId, String metricName) {
    Node n = metricSeriesNode(envId, metricName);
    return g.contains(n, TYPE, METRIC_SERIES_CLASS) ? Optional.of(readSeries(n)) : Optional.empty();
  }

  List<MetricSeries> seriesOf(String envId) {
    List<MetricSeries> out = new ArrayList<>();
    for (Triple t : g.find(environmentNode(envId), hasMetric, Triples.ANY)) {
      out.add(readSeries(t.getObject()));
    }
    out.sort(Comparator.comparing(MetricSeries::metric));
    return out;
  }

  private MetricSeries readSeries(Node n) {
    return new MetricSeries(
        g.string(g.object(n, environment), id),
        g.string(n, metric),
        g.string(n, kind),
        g.string(g.object(n, currentBaseline), window),
        g.string(n, status),
        (int) g.number(n, streak),
        (int) g.number(n, cooldownLeft),
        g.number(n, windowCount));
  }

  void putSeries(MetricSeries series) {
    Node n = metricSeriesNode(series.environment(), series.metric());
    Node env = environmentNode(series.environment());
    // Only the series' own statements: its baselines and windows point at it and stay.
    for (Node p :
        List.of(
            TYPE,
            environment,
            metric,
            kind,
            currentBaseline,
            status,
            streak,
            cooldownLeft,
            windowCount)) {
      facts.remove(n, p, Triples.ANY);
    }
    facts.add(n, TYPE, METRIC_SERIES_CLASS);
    facts.add(n, environment, env);
    facts.add(n, metric, str(series.metric()));
    facts.add(n, kind, str(series.kind()));
    facts.add(
        n,
        currentBaseline,
        metricBaselineNode(series.environment(), series.metric(), series.baseline()));
    facts.add(n, status, str(series.status()));
    facts.add(n, streak, integer(series.streak()));
    facts.add(n, cooldownLeft, integer(series.cooldownLeft()));
    facts.add(n, windowCount, longLiteral(series.windows()));
    if (!g.contains(env, hasMetric, n)) {
      index.add(env, hasMetric, n);
    }
  }

  // ---- baselines ----

  Optional<MetricBaseline> baseline(String envId, String metricName, String windowLabel) {
    Node n = metricBaselineNode(envId, metricName, windowLabel);
    if (!g.contains(n, TYPE, METRIC_BASELINE_CLASS)) {
      return Optional.empty();
    }
    return Optional.of(
        new MetricBaseline(
            envId,
            metricName,
            g.string(n, window),
            g.string(n, kind),
            g.string(g.object(n, values), json),
            g.string(n, contentHash),
            g.instant(n, at),
            g.string(n, createdBy)));
  }

  void putBaseline(MetricBaseline b) {
    Node n = metricBaselineNode(b.environment(), b.metric(), b.window());
    facts.remove(n, Triples.ANY, Triples.ANY);
    facts.add(n, TYPE, METRIC_BASELINE_CLASS);
    facts.add(n, baselineOf, metricSeriesNode(b.environment(), b.metric()));
    facts.add(n, window, str(b.window()));
    facts.add(n, kind, str(b.kind()));
    facts.add(n, values, valuesNode(b.values()));
    facts.add(n, contentHash, str(b.contentHash()));
    facts.add(n, at, dateTime(b.setAt()));
    facts.add(n, createdBy, str(b.setBy()));
  }

  // ---- windows ----

  List<MetricWindow> windows(String envId, String metricName) {
    List<MetricWindow> out = new ArrayList<>();
    for (Triple t : g.find(Triples.ANY, windowOf, metricSeriesNode(envId, metricName))) {
      out.add(readWindow(envId, metricName, t.getSubject()));
    }
    out.sort(Comparator.comparingLong(MetricWindow::seq));
    return out;
  }

  Optional<MetricWindow> window(String envId, String metricName, String windowLabel) {
    Node n = metricWindowNode(envId, metricName, windowLabel);
    return g.contains(n, TYPE, METRIC_WINDOW_CLASS)
        ? Optional.of(readWindow(envId, metricName, n))
        : Optional.empty();
  }

  Optional<String> windowValues(String envId, String metricName, String windowLabel) {
    Node v = g.object(metricWindowNode(envId, metricName, windowLabel), values);
    return v == null ? Optional.empty() : Optional.ofNullable(g.string(v, json));
  }

  private MetricWindow readWindow(String envId, String metricName, Node n) {
    return new MetricWindow(
        envId,
        metricName,
        g.number(n, seq),
        g.string(n, window),
        g.string(n, kind),
        g.string(g.object(n, testedAgainst), window),
        g.decimal(n, statistic),
        g.decimal(n, pValue),
        g.decimal(n, psi),
        g.string(n, effect),
        Boolean.parseBoolean(g.string(n, beyondThreshold)),
        g.string(n, status),
        g.string(n, contentHash),
        g.instant(n, at));
  }

  void putWindow(MetricWindow w, String valuesJson) {
    Node n = metricWindowNode(w.environment(), w.metric(), w.window());
    facts.remove(n, Triples.ANY, Triples.ANY);
    facts.add(n, TYPE, METRIC_WINDOW_CLASS);
    facts.add(n, windowOf, metricSeriesNode(w.environment(), w.metric()));
    facts.add(n, seq, longLiteral(w.seq()));
    facts.add(n, window, str(w.window()));
    facts.add(n, kind, str(w.kind()));
    facts.add(n, testedAgainst, metricBaselineNode(w.environment(), w.metric(), w.baseline()));
    facts.add(n, statistic, doubleLiteral(w.statistic()));
    facts.add(n, pValue, doubleLiteral(w.pValue()));
    facts.add(n, psi, doubleLiteral(w.psi()));
    facts.add(n, effect, str(w.effect()));
    facts.add(n, beyondThreshold, bool(w.beyondThreshold()));
    facts.add(n, status, str(w.status()));
    facts.add(n, values, valuesNode(valuesJson));
    facts.add(n, contentHash, str(w.contentHash()));
    facts.add(n, at, dateTime(w.at()));
  }

  /** The content-addressed node holding a sample's values, created on first use. */
  private Node valuesNode(String valuesJson) {
    Node v = metricValuesNode(Hashing.sha256Hex(valuesJson));
    if (!g.contains(v, TYPE, METRIC_VALUES_CLASS)) {
      facts.add(v, TYPE, METRIC_VALUES_CLASS);
      facts.add(v, json, str(valuesJson));
    }
    return v;
  }
}
