package org.plumbline.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftKind;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.MetricBaseline;
import org.plumbline.ontology.MetricSeries;
import org.plumbline.ontology.MetricWindow;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.rules.BehaviouralDrift;
import org.plumbline.rules.DriftFacts;
import org.plumbline.rules.EffectSize;
import org.plumbline.rules.MetricError;
import org.plumbline.rules.MetricEvidence;
import org.plumbline.rules.MetricKind;
import org.plumbline.rules.MetricPolicy;
import org.plumbline.rules.MetricSample;
import org.plumbline.rules.MetricStatus;
import org.plumbline.rules.MetricTestResult;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.RulePack;

/**
 * The governed write path of behavioural metrics, inside the caller's write transaction: a baseline
 * becomes the metric's reference and restarts its tracker; a window is compared with the baseline
 * under the active pack's thresholds for the environment's tier, stored with its results, and moved
 * through {@link MetricDriftTracker}. When the tracker opens a drift, a {@link Drift} of kind
 * {@link DriftKind#METRIC} with key {@code metrics.<name>} opens and is assessed by the rules like
 * any other; it follows every later window and closes when the tracker does.
 *
 * <p>The drift's {@code expected} is the reference, {@code {"baseline": "<window>", "kind":
 * "CONTINUOUS", "psiBelow": 0.1}}; its {@code actual} is the latest window's evidence, {@code
 * {"window": "<window>", "psi": …, "ksStatistic" (or "chiSquare"): …, "pValue": …, "effect":
 * "SIGNIFICANT", "windowsBeyond": 4}}, and its trail holds one such object per window since it
 * opened.
 */
final class MetricIngest {
  /** Metric drifts are keyed {@code metrics.<name>} (CONTRACT section 3 glob space). */
  static final String KEY_PREFIX = "metrics.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<RulePack> rulePack;
  private final Clock clock;

  MetricIngest(Supplier<RulePack> rulePack, Clock clock) {
    this.rulePack = rulePack;
    this.clock = clock;
  }

  /** Stores one sample; see the class description. */
  Governance.IngestResult ingest(StoreWriter w, MetricSample sample, String actor) {
    Environment env =
        w.environment(sample.environment())
            .orElseThrow(
                () ->
                    new PlumblineException(
                        StoreError.UNKNOWN_ENVIRONMENT,
                        "no blueprint declares environment '" + sample.environment() + "'",
                        List.of("/environment: " + sample.environment())));
    return sample.baseline() ? baseline(w, env, sample, actor) : window(w, env, sample, actor);
  }

  // ---- baselines ----

  private Governance.IngestResult baseline(
      StoreWriter w, Environment env, MetricSample sample, String actor) {
    String metric = sample.metric();
    String hash = identity(sample, true);
    String subject = subject(sample);
    Optional<MetricBaseline> same = w.metricBaseline(env.id(), metric, sample.window());
    if (same.isPresent()) {
      if (same.get().contentHash().equals(hash)) {
        return replay(env, sample, subject);
      }
      throw conflict(sample, "baseline");
    }
    Optional<MetricSeries> series = w.metricSeries(env.id(), metric);
    if (series.isPresent() && !series.get().kind().equals(sample.kind().name())) {
      throw kindMismatch(series.get(), sample);
    }
    Optional<Drift> live = liveDrift(w, env.id(), metric);
    if (live.isPresent()) {
      // A new reference would end a governed drift without a governed decision.
      throw new PlumblineException(
          MetricError.METRIC_DRIFT_OPEN,
          "metric "
              + metric
              + " of "
              + env.id()
              + " has drift "
              + live.get().id()
              + " ("
              + live.get().status()
              + "): dispose of it first; CODIFY makes the drifted window the new baseline",
          List.of("/baseline: true", "drift: " + live.get().id()));
    }
    Instant now = clock.instant();
    w.putMetricBaseline(
        new MetricBaseline(
            env.id(),
            metric,
            sample.window(),
            sample.kind().name(),
            valuesJson(sample),
            hash,
            now,
            actor));
    restart(w, env.id(), metric, sample.kind().name(), sample.window(), series);
    w.appendAudit(
        now,
        actor,
        "metric.ingested",
        env.id(),
        subject,
        Governance.detail(
            "metric", metric,
            "window", sample.window(),
            "kind", sample.kind().name(),
            "baseline", true,
            "values", sample.values().values().size(),
            "previousBaseline", series.map(MetricSeries::baseline).orElse(null)));
    Map<String, Object> summary = summary(env, sample);
    summary.put("values", sample.values().values().size());
    summary.put("previousBaseline", series.map(MetricSeries::baseline).orElse(null));
    return new Governance.IngestResult(false, subject, summary);
  }

  /** Makes {@code baseline} the series' reference and restarts its tracker. */
  private static void restart(
      StoreWriter w,
      String env,
      String metric,
      String kind,
      String baseline,
      Optional<MetricSeries> before) {
    w.putMetricSeries(
        new MetricSeries(
            env,
            metric,
            kind,
            baseline,
            MetricStatus.STABLE.name(),
            0,
            0,
            before.map(MetricSeries::windows).orElse(0L)));
  }

  // ---- windows ----

  private Governance.IngestResult window(
      StoreWriter w, Environment env, MetricSample sample, String actor) {
    String metric = sample.metric();
    String hash = identity(sample, false);
    String subject = subject(sample);
    Optional<MetricWindow> same = w.metricWindow(env.id(), metric, sample.window());
    if (same.isPresent()) {
      if (same.get().contentHash().equals(hash)) {
        return replay(env, sample, subject);
      }
      throw conflict(sample, "window");
    }
    MetricSeries series = w.metricSeries(env.id(), metric).orElse(null);
    MetricSample baseline = series == null ? null : baselineSample(w, series);
    MetricPolicy policy = rulePack.get().metricPolicy(env.tier());
    // refuses a window without a baseline, or of another kind than it, saying which
    MetricTestResult result = new BehaviouralDrift(policy).test(baseline, sample);
    Instant now = clock.instant();
    MetricDerivation derivation =
        new MetricDerivation(w, env, series, policy, rulePack.get(), now, actor);
    MetricDerivation.Outcome outcome = derivation.add(sample, result, hash, valuesJson(sample));
    long seq = w.metricWindow(env.id(), metric, sample.window()).orElseThrow().seq();
    // the ingest first, then the drift records it caused
    w.appendAudit(
        now,
        actor,
        "metric.ingested",
        env.id(),
        subject,
        Governance.detail(
            "metric", metric,
            "window", sample.window(),
            "kind", sample.kind().name(),
            "baseline", false,
            "baselineWindow", series.baseline(),
            "values", sample.values().values().size(),
            "statistic", result.statistic(),
            "pValue", result.pValue(),
            "psi", result.psi(),
            "effect", result.effect().name(),
            "beyondThreshold", result.beyondThreshold(),
            "status", outcome.windowStatus().name(),
            "backfill", outcome.backfill(),
            "rederived", outcome.rederived()));
    MetricDerivation.DriftEvent event = derivation.drifts();
    Map<String, Object> summary = summary(env, sample);
    summary.put("seq", seq);
    summary.put("baselineWindow", series.baseline());
    summary.put("values", sample.values().values().size());
    summary.put("statistic", result.statistic());
    summary.put("pValue", result.pValue());
    summary.put("psi", result.psi());
    summary.put("effect", result.effect().name());
    summary.put("beyondThreshold", result.beyondThreshold());
    // "status" of an ingest reply is its outcome (created, unchanged): name the window's apart
    summary.put("windowStatus", outcome.windowStatus().name());
    summary.put("backfill", outcome.backfill());
    summary.put("rederived", outcome.rederived());
    summary.put("drift", event.drift());
    summary.put("driftEvent", event.event());
    return new Governance.IngestResult(false, subject, summary);
  }

  /**
   * Assesses a stored metric drift again as it stands, from the evidence of its latest window (for
   * a change request posted after it was first observed); the caller stores the answer if it
   * changed.
   */
  Assessment reassess(StoreWriter w, Environment env, Drift d, List<String> trail) {
    return assess(
        w,
        rulePack.get(),
        env,
        d.key(),
        d.expected(),
        d.actual(),
        trail,
        d.detectedAt(),
        d.updatedAt(),
        evidenceOf(d.key().substring(KEY_PREFIX.length()), d.expected(), d.actual()));
  }

  /** The evidence a stored drift's {@code expected} and {@code actual} hold. */
  static MetricEvidence evidenceOf(String metric, String expectedJson, String actualJson) {
    JsonNode expected = read(expectedJson);
    JsonNode actual = read(actualJson);
    MetricKind kind = MetricKind.valueOf(expected.path("kind").asText());
    return new MetricEvidence(
        metric,
        kind,
        expected.path("baseline").asText(),
        actual.path("window").asText(),
        actual.path(kind == MetricKind.CONTINUOUS ? "ksStatistic" : "chiSquare").asDouble(),
        actual.path("pValue").asDouble(),
        actual.path("psi").asDouble(),
        EffectSize.valueOf(actual.path("effect").asText()),
        actual.path("windowsBeyond").asInt());
  }

  /**
   * Asks the pack about a metric drift. A change request whose keys cover {@code metrics.<name>}
   * authorizes it like any drift (CONTRACT section 2); blast radius and dependents stay empty, as a
   * metric is measured per environment and blueprint dependencies are between configuration keys.
   */
  static Assessment assess(
      StoreWriter w,
      RulePack pack,
      Environment env,
      String key,
      String expected,
      String actual,
      List<String> trail,
      Instant detectedAt,
      Instant observedAt,
      MetricEvidence evidence) {
    return pack.assess(
        new DriftFacts(
            env.id(),
            env.tier(),
            env.owner(),
            key,
            expected,
            actual,
            trail,
            detectedAt,
            observedAt,
            List.of(),
            List.of(),
            w.changeRequests(env.id()).stream()
                .filter(r -> r.covers(env.id(), key, detectedAt))
                .map(ChangeRequest::id)
                .sorted()
                .toList(),
            evidence));
  }

  static MetricEvidence evidence(MetricSeries series, MetricTestResult result, int windowsBeyond) {
    return new MetricEvidence(
        series.metric(),
        result.kind(),
        series.baseline(),
        result.window(),
        result.statistic(),
        result.pValue(),
        result.psi(),
        result.effect(),
        windowsBeyond);
  }

  /** The reference a metric drift departs from: the baseline and the stable PSI band. */
  static String expected(MetricSeries series, MetricPolicy policy) {
    ObjectNode o = JSON.createObjectNode();
    o.put("baseline", series.baseline());
    o.put("kind", series.kind());
    o.put("psiBelow", policy.psiModerate());
    return o.toString();
  }

  /** The latest window's evidence, named as a reviewer reads it. */
  static String actual(MetricTestResult result, int windowsBeyond) {
    ObjectNode o = JSON.createObjectNode();
    o.put("window", result.window());
    o.put("psi", result.psi());
    o.put(result.kind() == MetricKind.CONTINUOUS ? "ksStatistic" : "chiSquare", result.statistic());
    o.put("pValue", result.pValue());
    o.put("effect", result.effect().name());
    o.put("windowsBeyond", windowsBeyond);
    return o.toString();
  }

  /** The label of the window a metric drift's {@code actual} describes. */
  static String windowOf(Drift d) {
    return read(d.actual()).path("window").asText();
  }

  // ---- CODIFY ----

  /**
   * Refuses early what a CODIFY could not do: the drifted window must be stored, and its label must
   * not name another baseline of the metric.
   */
  static void checkCodifiable(StoreWriter w, Drift drift) {
    codifiedBaseline(w, drift, Instant.EPOCH, "check");
  }

  /**
   * Makes the drifted window (the one the drift's {@code actual} names) the metric's baseline and
   * restarts its tracker; the caller closes the drift as CODIFIED.
   *
   * @return the new baseline's window label
   */
  static String codify(StoreWriter w, Drift drift, Instant now, String actor) {
    MetricBaseline baseline = codifiedBaseline(w, drift, now, actor);
    MetricSeries before = w.metricSeries(drift.environment(), baseline.metric()).orElseThrow();
    w.putMetricBaseline(baseline);
    restart(
        w,
        drift.environment(),
        baseline.metric(),
        baseline.kind(),
        baseline.window(),
        Optional.of(before));
    w.appendAudit(
        now,
        actor,
        "metric.baseline.codified",
        drift.environment(),
        "metric " + baseline.metric() + "/" + baseline.window(),
        Governance.detail(
            "drift", drift.id(),
            "key", drift.key(),
            "baseline", baseline.window(),
            "previousBaseline", before.baseline(),
            "contentHash", baseline.contentHash()));
    return baseline.window();
  }

  private static MetricBaseline codifiedBaseline(
      StoreWriter w, Drift drift, Instant now, String actor) {
    String metric = drift.key().substring(KEY_PREFIX.length());
    String window = windowOf(drift);
    MetricWindow stored =
        w.metricWindow(drift.environment(), metric, window)
            .orElseThrow(
                () ->
                    new PlumblineException(
                        RuleError.CODIFY_UNSUPPORTED,
                        "drift "
                            + drift.id()
                            + " names window '"
                            + window
                            + "', which is not stored",
                        List.of("drift: " + drift.id())));
    String values = w.metricWindowValues(drift.environment(), metric, window).orElseThrow();
    MetricSample sample =
        MetricSample.of(
            drift.environment(), metric, stored.kind(), window, true, readValues(values));
    String hash = identity(sample, true);
    Optional<MetricBaseline> taken = w.metricBaseline(drift.environment(), metric, window);
    if (taken.isPresent() && !taken.get().contentHash().equals(hash)) {
      throw new PlumblineException(
          MetricError.METRIC_WINDOW_CONFLICT,
          "metric "
              + metric
              + " already has another baseline labelled '"
              + window
              + "'; window "
              + window
              + " cannot become a baseline under that label",
          List.of("drift: " + drift.id(), "window: " + window));
    }
    return new MetricBaseline(
        drift.environment(), metric, window, stored.kind(), valuesJson(sample), hash, now, actor);
  }

  // ---- helpers ----

  /** The metric's drift that still needs governing or is under an exception, if any. */
  static Optional<Drift> liveDrift(StoreWriter w, String env, String metric) {
    String key = KEY_PREFIX + metric;
    return w.activeDrifts(env, key).stream().filter(Drift::isMetric).findFirst();
  }

  private static MetricSample baselineSample(StoreWriter w, MetricSeries series) {
    MetricBaseline b =
        w.metricBaseline(series.environment(), series.metric(), series.baseline()).orElseThrow();
    return MetricSample.of(
        series.environment(), series.metric(), b.kind(), b.window(), true, readValues(b.values()));
  }

  /**
   * A sample's identity: environment, metric, kind, window, whether it is a baseline, and the
   * values as parsed ({@code 412} and {@code 412.0} are one value).
   */
  private static String identity(MetricSample sample, boolean baseline) {
    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put("environment", sample.environment());
    canonical.put("metric", sample.metric());
    canonical.put("kind", sample.kind().name());
    canonical.put("window", sample.window());
    canonical.put("baseline", baseline);
    canonical.put("values", sample.values().values());
    return "sha256:" + Hashing.sha256Hex(write(canonical));
  }

  private static String valuesJson(MetricSample sample) {
    return write(sample.values().values());
  }

  static List<Object> readValues(String json) {
    try {
      return JSON.readValue(json, new TypeReference<List<Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored metric values are corrupt", e);
    }
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json == null ? "{}" : json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored metric drift is corrupt", e);
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("lists and maps of plain values always serialize", e);
    }
  }

  private static String subject(MetricSample sample) {
    return "metric " + sample.metric() + "/" + sample.window();
  }

  private static Map<String, Object> summary(Environment env, MetricSample sample) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("environment", env.id());
    summary.put("metric", sample.metric());
    summary.put("kind", sample.kind().name());
    summary.put("window", sample.window());
    summary.put("baseline", sample.baseline());
    return summary;
  }

  private static Governance.IngestResult replay(
      Environment env, MetricSample sample, String subject) {
    return new Governance.IngestResult(true, subject, summary(env, sample));
  }

  private static PlumblineException conflict(MetricSample sample, String what) {
    return new PlumblineException(
        MetricError.METRIC_WINDOW_CONFLICT,
        "metric "
            + sample.metric()
            + " of "
            + sample.environment()
            + " already has a "
            + what
            + " '"
            + sample.window()
            + "' with other values; a window label names one sample",
        List.of("/window: " + sample.window()));
  }

  private static PlumblineException kindMismatch(MetricSeries series, MetricSample sample) {
    return new PlumblineException(
        MetricError.METRIC_KIND_MISMATCH,
        "metric "
            + sample.metric()
            + " of "
            + sample.environment()
            + " is "
            + series.kind()
            + "; a "
            + sample.kind()
            + " sample cannot join it",
        List.of("/kind: " + sample.kind() + " differs from the series' " + series.kind()));
  }
}
