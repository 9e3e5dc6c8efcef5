package org.plumbline.governance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftKind;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.MetricSeries;
import org.plumbline.ontology.MetricWindow;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.rules.EffectSize;
import org.plumbline.rules.MetricDriftTracker;
import org.plumbline.rules.MetricEvidence;
import org.plumbline.rules.MetricKind;
import org.plumbline.rules.MetricPolicy;
import org.plumbline.rules.MetricSample;
import org.plumbline.rules.MetricStatus;
import org.plumbline.rules.MetricTestResult;
import org.plumbline.rules.MetricWindowStatus;
import org.plumbline.rules.RulePack;

/**
 * Derives a metric's window statuses and drifts from one window on, so that windows posted in any
 * arrival order give the series and the drifts they give in label order (CONTRACT section 7,
 * Order).
 *
 * <p>The windows of one baseline order by label, compared as strings: ISO dates ({@code
 * 2026-11-20}), ISO weeks ({@code 2026-W47}) and zero-padded counters sort as time does. A window
 * that arrives last in that order (the usual case) is one step of the tracker; a window that sorts
 * before stored windows of the same baseline resumes the tracker where its predecessor left it
 * ({@link MetricDriftTracker#resume}) and re-derives it and every later window of that baseline, so
 * the cost follows the windows after the slot, not the whole history. The drifts of those windows
 * are then reconciled with what is stored: a drift is identified by its baseline and the window
 * that opened it; one whose episode moved keeps its identity only if dispositions were recorded
 * against it (a governed decision is never dropped), otherwise it is replaced by the episode as
 * label order gives it, and one that label order never opens is removed (without dispositions) or
 * closed (with them). The ledger records the arrival: {@code metric.ingested} and every drift
 * record the window caused carry {@code "backfill": true}.
 */
final class MetricDerivation {
  /** What one window did to its series: its status, and whether it slotted in before others. */
  record Outcome(MetricStatus windowStatus, boolean backfill, int rederived) {}

  /** What one window did to the metric's drifts: the last drift it wrote and how, or nulls. */
  record DriftEvent(String drift, String event) {}

  private final StoreWriter w;
  private final Environment env;
  private final MetricSeries series;
  private final MetricPolicy policy;
  private final RulePack pack;
  private final Instant now;
  private final String actor;
  private final String key;
  // set by add, used by drifts
  private final List<Episode> episodes = new ArrayList<>();
  private final List<Drift> affected = new ArrayList<>();
  private final List<String> labels = new ArrayList<>();
  private final List<Instant> ats = new ArrayList<>();
  private boolean backfill;

  MetricDerivation(
      StoreWriter w,
      Environment env,
      MetricSeries series,
      MetricPolicy policy,
      RulePack pack,
      Instant now,
      String actor) {
    this.w = w;
    this.env = env;
    this.series = series;
    this.policy = policy;
    this.pack = pack;
    this.now = now;
    this.actor = actor;
    this.key = MetricIngest.KEY_PREFIX + series.metric();
  }

  /** One window of a continuing or a new drift episode, as label order gives it. */
  private static final class Episode {
    final String onset;
    final List<String> trail = new ArrayList<>();
    int windowsBeyond;
    MetricTestResult last;
    String closedBy;
    Drift stored;

    Episode(String onset) {
      this.onset = onset;
    }
  }

  /** A window to (re-)derive: the new one, or a stored one after it. */
  private record Item(MetricTestResult result, String hash, Instant at, String values) {}

  /**
   * Stores the new window and re-derives the windows of its baseline after it and the series'
   * tracker state; {@link #drifts} then brings the metric's drifts in line.
   */
  Outcome add(MetricSample sample, MetricTestResult result, String hash, String values) {
    List<MetricWindow> epoch =
        w.metricWindows(env.id(), series.metric()).stream()
            .filter(x -> x.baseline().equals(series.baseline()))
            .sorted(Comparator.comparing(MetricWindow::window, MetricWindowOrder.LABELS))
            .toList();
    int slot = 0;
    while (slot < epoch.size()
        && MetricWindowOrder.LABELS.compare(epoch.get(slot).window(), sample.window()) < 0) {
      slot++;
    }
    backfill = slot < epoch.size();
    long firstSeq = series.windows() - epoch.size() + 1;
    List<MetricWindowStatus> before = new ArrayList<>();
    for (MetricWindow x : epoch.subList(0, slot)) {
      before.add(new MetricWindowStatus(stored(x), MetricStatus.valueOf(x.status())));
    }
    MetricDriftTracker tracker = MetricDriftTracker.resume(policy, before);

    List<Item> items = new ArrayList<>();
    items.add(new Item(result, hash, now, values));
    for (MetricWindow x : epoch.subList(slot, epoch.size())) {
      // its comparison with the baseline stands (same baseline, same values); the active pack's
      // thresholds are applied to it again
      String v = w.metricWindowValues(env.id(), series.metric(), x.window()).orElseThrow();
      MetricKind kind = MetricKind.valueOf(x.kind());
      MetricTestResult r =
          new MetricTestResult(
              x.window(),
              kind,
              x.statistic(),
              x.pValue(),
              x.psi(),
              policy.beyondThreshold(kind, x.statistic(), x.pValue(), x.psi()),
              policy.effect(x.psi()),
              MetricIngest.readValues(v).size());
      items.add(new Item(r, x.contentHash(), x.at(), v));
    }

    List<Drift> drifts = epochDrifts();
    Episode current = null;
    Drift open =
        tracker.status() == MetricStatus.DRIFT
            ? drifts.stream()
                .filter(d -> MetricWindowOrder.LABELS.compare(onsetOf(d), sample.window()) < 0)
                .reduce((a, b) -> b)
                .orElse(null)
            : null;
    if (open != null) {
      current = continuing(open, sample.window());
      episodes.add(current);
    }
    MetricStatus newStatus = null;
    for (int k = 0; k < items.size(); k++) {
      MetricTestResult r = items.get(k).result();
      MetricStatus status;
      if (!policy.sufficient(r.sampleSize())) {
        status = MetricStatus.INSUFFICIENT;
      } else {
        boolean wasDrift = tracker.status() == MetricStatus.DRIFT;
        tracker = tracker.next(r.beyondThreshold());
        status = tracker.status();
        if (status == MetricStatus.DRIFT && (!wasDrift || current == null)) {
          current = new Episode(r.window());
          current.windowsBeyond = policy.persistenceWindows() - 1;
          episodes.add(current);
        }
        if (status == MetricStatus.DRIFT && r.beyondThreshold()) {
          current.windowsBeyond++;
          current.last = r;
          current.trail.add(MetricIngest.actual(r, current.windowsBeyond));
        } else if (wasDrift && status != MetricStatus.DRIFT && current != null) {
          current.closedBy = r.window();
          current = null;
        }
      }
      if (k == 0) {
        newStatus = status;
      }
      Item item = items.get(k);
      w.putMetricWindow(
          new MetricWindow(
              env.id(),
              series.metric(),
              firstSeq + slot + k,
              r.window(),
              r.kind().name(),
              series.baseline(),
              r.statistic(),
              r.pValue(),
              r.psi(),
              r.effect().name(),
              r.beyondThreshold(),
              status.name(),
              item.hash(),
              item.at()),
          item.values());
    }
    w.putMetricSeries(
        new MetricSeries(
            env.id(),
            series.metric(),
            series.kind(),
            series.baseline(),
            tracker.status().name(),
            tracker.streak(),
            tracker.cooldownLeft(),
            series.windows() + 1));

    if (open != null) {
      affected.add(open);
    }
    drifts.stream()
        .filter(d -> MetricWindowOrder.LABELS.compare(onsetOf(d), sample.window()) > 0)
        .forEach(affected::add);
    for (MetricWindow x : epoch.subList(0, slot)) {
      labels.add(x.window());
      ats.add(x.at());
    }
    for (Item item : items) {
      labels.add(item.result().window());
      ats.add(item.at());
    }
    return new Outcome(newStatus, backfill, items.size() - 1);
  }

  /**
   * Brings the drifts of the windows {@link #add} derived in line: pairs their episodes with the
   * stored drifts, writes what changed, removes or closes what label order never opens.
   */
  DriftEvent drifts() {
    List<Drift> unpaired = new ArrayList<>();
    for (Drift d : affected) {
      Episode same =
          episodes.stream()
              .filter(e -> e.stored == null && e.onset.equals(onsetOf(d)))
              .findFirst()
              .orElse(null);
      if (same != null) {
        same.stored = d;
      } else {
        unpaired.add(d);
      }
    }
    String[] last = {null, null};
    for (Drift d : List.copyOf(unpaired)) {
      if (w.dispositions(d.id()).isEmpty()) {
        continue;
      }
      // a governed drift keeps its identity: it follows the episode its windows now belong to
      String from = onsetOf(d);
      String to = lastWindowOf(d);
      Episode overlapping =
          episodes.stream()
              .filter(
                  e ->
                      e.stored == null
                          && MetricWindowOrder.LABELS.compare(e.onset, to) <= 0
                          && (e.closedBy == null
                              || MetricWindowOrder.LABELS.compare(from, e.closedBy) <= 0))
              .findFirst()
              .orElse(null);
      if (overlapping != null) {
        overlapping.stored = d;
        unpaired.remove(d);
      }
    }
    for (Drift d : unpaired) {
      if (!w.dispositions(d.id()).isEmpty()) {
        if (d.status().isLive() || d.status() == DriftStatus.EXCEPTED) {
          DriftStatus end =
              d.status() == DriftStatus.REVERT_APPROVED
                  ? DriftStatus.REVERTED
                  : DriftStatus.RESOLVED;
          w.putDrift(d.withStatus(end, now), w.driftTrail(d.id()));
          audit("drift.closed", d.id(), "status", end.name(), "withdrawn", true);
          last = new String[] {d.id(), end.name().toLowerCase(Locale.ROOT)};
        }
        continue;
      }
      w.removeDrift(d.id());
      audit("drift.withdrawn", d.id(), "status", d.status().name(), "withdrawn", true);
      last = new String[] {d.id(), "withdrawn"};
    }
    for (Episode e : episodes) {
      String event = write(e);
      if (event != null) {
        last = new String[] {e.stored == null ? newId(e.onset) : e.stored.id(), event};
      }
    }
    return new DriftEvent(last[0], last[1]);
  }

  /** Writes one episode's drift if it changed; the event it was, or null. */
  private String write(Episode e) {
    Drift d = e.stored;
    Instant detectedAt = Instant.EPOCH;
    for (int i = 0;
        i < labels.size() && MetricWindowOrder.LABELS.compare(labels.get(i), e.onset) <= 0;
        i++) {
      detectedAt = ats.get(i).isAfter(detectedAt) ? ats.get(i) : detectedAt;
    }
    String expected = d != null ? d.expected() : MetricIngest.expected(series, policy);
    String actual = e.trail.get(e.trail.size() - 1);
    MetricEvidence evidence =
        d != null && e.last == null
            ? MetricIngest.evidenceOf(series.metric(), expected, actual)
            : MetricIngest.evidence(series, e.last, e.windowsBeyond);
    Assessment a =
        MetricIngest.assess(
            w, pack, env, key, expected, actual, e.trail, detectedAt, now, evidence);
    DriftStatus prior = d == null ? null : d.status();
    DriftStatus status;
    boolean reopened = false;
    if (e.closedBy != null) {
      status =
          prior == DriftStatus.REVERT_APPROVED || prior == DriftStatus.REVERTED
              ? DriftStatus.REVERTED
              : DriftStatus.RESOLVED;
    } else if (prior == null || !(prior.isLive() || prior == DriftStatus.EXCEPTED)) {
      status = DriftStatus.OPEN;
    } else {
      // An exception accepted the drift as it stood; a shift grown into a higher severity needs
      // governing again, as a configuration value that moves on does.
      reopened =
          prior == DriftStatus.EXCEPTED && a.severity().compareTo(d.assessment().severity()) > 0;
      status = reopened ? DriftStatus.OPEN : prior;
    }
    if (d != null
        && d.status() == status
        && Objects.equals(d.actual(), actual)
        && d.detectedAt().equals(detectedAt)
        && w.driftTrail(d.id()).equals(e.trail)) {
      return null;
    }
    String id = d != null ? d.id() : newId(e.onset);
    w.putDrift(
        new Drift(
            id, env.id(), key, expected, actual, detectedAt, now, status, a, DriftKind.METRIC),
        e.trail);
    if (d == null) {
      w.appendAudit(
          now,
          actor,
          "drift.opened",
          env.id(),
          id,
          Governance.detail(
              "key", key,
              "expected", expected,
              "actual", actual,
              "riskCategory", a.riskCategory().name(),
              "severity", a.severity().name(),
              "rulePackVersion", a.rulePackVersion(),
              "backfill", backfill));
      return status == DriftStatus.OPEN
          ? "opened"
          : "opened and " + status.name().toLowerCase(Locale.ROOT);
    }
    if (status == DriftStatus.RESOLVED || status == DriftStatus.REVERTED) {
      if (prior != status) {
        audit("drift.closed", id, "status", status.name(), "window", e.closedBy);
        return status.name().toLowerCase(Locale.ROOT);
      }
    }
    w.appendAudit(
        now,
        actor,
        "drift.updated",
        env.id(),
        id,
        Governance.detail(
            "key",
            key,
            "window",
            e.last == null ? null : e.last.window(),
            "psi",
            e.last == null ? null : e.last.psi(),
            "severity",
            a.severity().name(),
            "status",
            status.name(),
            "reopened",
            reopened,
            "backfill",
            backfill));
    return "updated";
  }

  private void audit(String action, String id, String n1, Object v1, String n2, Object v2) {
    w.appendAudit(
        now,
        actor,
        action,
        env.id(),
        id,
        Governance.detail("key", key, n1, v1, n2, v2, "backfill", backfill));
  }

  /** The episode a drift open at the slot continues: its trail up to the slot. */
  private Episode continuing(Drift open, String slotLabel) {
    Episode e = new Episode(onsetOf(open));
    for (String entry : w.driftTrail(open.id())) {
      JsonNode n = MetricIngest.read(entry);
      if (MetricWindowOrder.LABELS.compare(n.path("window").asText(), slotLabel) < 0) {
        e.trail.add(entry);
        e.windowsBeyond = n.path("windowsBeyond").asInt();
      }
    }
    return e;
  }

  /** The metric's drifts compared with the current baseline, by the window that opened them. */
  private List<Drift> epochDrifts() {
    return w.drifts(env.id()).stream()
        .filter(d -> d.isMetric() && d.key().equals(key))
        .filter(
            d ->
                MetricIngest.read(d.expected()).path("baseline").asText().equals(series.baseline()))
        .sorted(Comparator.comparing(this::onsetOf, MetricWindowOrder.LABELS))
        .toList();
  }

  private String onsetOf(Drift d) {
    List<String> trail = w.driftTrail(d.id());
    return trail.isEmpty()
        ? MetricIngest.windowOf(d)
        : MetricIngest.read(trail.get(0)).path("window").asText();
  }

  private String lastWindowOf(Drift d) {
    return MetricIngest.windowOf(d);
  }

  /** A drift's identity: its metric, baseline and the window that opened it. */
  private String newId(String onset) {
    return "D-"
        + Hashing.sha256Hex(env.id() + "\n" + key + "\n" + series.baseline() + "\n" + onset)
            .substring(0, 12);
  }

  private MetricTestResult stored(MetricWindow x) {
    return new MetricTestResult(
        x.window(),
        MetricKind.valueOf(x.kind()),
        x.statistic(),
        x.pValue(),
        x.psi(),
        x.beyondThreshold(),
        EffectSize.valueOf(x.effect()),
        0);
  }
}
