package org.plumbline.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftKind;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.Observation;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.rules.DriftFacts;
import org.plumbline.rules.RulePack;
import org.plumbline.rules.StaleObservation;

/**
 * Stale environments as governed findings: an active environment with no snapshot for twice its
 * {@code observeEvery} interval ({@link Observation}) gets a drift of kind {@link
 * DriftKind#OBSERVATION} on key {@code observation}, assessed by the rule pack (finding {@code
 * STALE_OBSERVATION}) and audited like any drift, so the inbox, the evidence report, webhooks and
 * the drift metrics show it. The next snapshot closes it in its own transaction.
 *
 * <p>Arrival order: the scheduler's tick opens a drift; what it says derives from the facts (its id
 * and {@code detectedAt} from the instant the environment became stale, {@code staleSince}); a
 * snapshot closes it at its {@code observedAt}, or withdraws it when it was observed before {@code
 * staleSince} (it arrived late and shows the environment was never stale). See docs/order.md.
 */
public final class Observations {
  /** The key of every observation drift. */
  static final String KEY = "observation";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<RulePack> rulePack;
  private final Clock clock;

  Observations(Supplier<RulePack> rulePack, Clock clock) {
    this.rulePack = rulePack;
    this.clock = clock;
  }

  /** What one check did: the drifts it opened and those it closed or withdrew. */
  public record ObservationReport(List<String> opened, List<String> closed) {
    public ObservationReport {
      opened = List.copyOf(opened);
      closed = List.copyOf(closed);
    }
  }

  /** Whether {@link #check} would change anything now (a read, no write). */
  boolean due(StoreReader r) {
    Instant now = clock.instant();
    for (Environment env : r.environments()) {
      Observation o = Observation.of(r, env, now);
      Optional<Drift> open = active(r, env.id());
      if (o.stale()
          ? open.isEmpty() || !open.get().detectedAt().equals(o.staleSince())
          : open.isPresent()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Opens the drift of every environment stale now, and closes those of environments no longer to
   * be observed (expired) (the scheduler's tick).
   */
  ObservationReport check(StoreWriter w, String actor) {
    List<String> opened = new ArrayList<>();
    List<String> closed = new ArrayList<>();
    Instant now = clock.instant();
    for (Environment env : w.environments()) {
      Observation o = Observation.of(w, env, now);
      Optional<Drift> open = active(w, env.id());
      if (open.isPresent() && !(o.stale() && open.get().detectedAt().equals(o.staleSince()))) {
        // a snapshot closes its gap's drift itself: what is left is an environment that expired
        close(w, open.get(), now, "no longer to be observed", false, actor);
        closed.add(open.get().id());
      }
      if (o.stale() && (open.isEmpty() || !open.get().detectedAt().equals(o.staleSince()))) {
        Instant last = o.lastObservedAt() != null ? o.lastObservedAt() : env.registeredAt();
        episode(w, env, last, o.observeEvery(), null, actor).ifPresent(opened::add);
      }
    }
    return new ObservationReport(opened, closed);
  }

  /**
   * After a snapshot of {@code environment} observed at {@code t} was stored: the drift of the gap
   * it falls in (from the observation before it, or the registration), if a tick opened one, closes
   * at {@code t} (still stale until then), or is withdrawn when {@code t} falls before its {@code
   * staleSince} (it never was stale). A snapshot opens nothing: only the scheduler's tick notices a
   * gap, so a history loaded after the fact carries no stale episodes nobody saw.
   */
  ObservationReport observed(StoreWriter w, String environment, Instant t, String actor) {
    List<String> opened = new ArrayList<>();
    List<String> closed = new ArrayList<>();
    Environment env = w.environment(environment).orElse(null);
    if (env == null || !"ACTIVE".equals(env.status())) {
      return new ObservationReport(opened, closed);
    }
    Duration every = Observation.observeEvery(w, env);
    Instant prev =
        w.snapshotBefore(environment, t).map(Snapshot::observedAt).orElse(env.registeredAt());
    if (prev != null && prev.isBefore(t)) {
      Instant staleSince = prev.plus(every.multipliedBy(2));
      Optional<Drift> old = w.drift(id(environment, staleSince));
      if (old.isPresent() && t.isAfter(staleSince)) {
        // stale from staleSince until t: closed at t
        episode(w, env, prev, every, t, actor).ifPresent(closed::add);
      } else if (old.isPresent()) {
        withdraw(w, old.get(), t, actor, clock.instant());
        closed.add(old.get().id());
      }
    }
    return new ObservationReport(opened, closed);
  }

  /**
   * Brings the episode of the gap after {@code last} in line: closed at {@code end}, or open when
   * {@code end} is null and the gap has lasted beyond twice the interval by now. Answers the
   * drift's id when it wrote something.
   */
  private Optional<String> episode(
      StoreWriter w, Environment env, Instant last, Duration every, Instant end, String actor) {
    Instant staleSince = last.plus(every.multipliedBy(2));
    Instant now = clock.instant();
    if (end == null && !now.isAfter(staleSince)) {
      return Optional.empty();
    }
    String id = id(env.id(), staleSince);
    Optional<Drift> stored = w.drift(id);
    DriftStatus status = end == null ? DriftStatus.OPEN : DriftStatus.RESOLVED;
    Instant updatedAt = end == null ? staleSince : end;
    if (stored.isPresent()) {
      Drift d = stored.get();
      if (end == null
          ? d.status().isLive() || d.status() == DriftStatus.EXCEPTED
          : !d.status().isLive()
              && d.status() != DriftStatus.EXCEPTED
              && d.updatedAt().equals(end)) {
        return Optional.empty();
      }
      if (end != null) {
        close(w, d, end, "observed again", true, actor);
        return Optional.of(id);
      }
    }
    String observed =
        last.equals(env.registeredAt()) && !observedAt(w, env, last) ? null : last.toString();
    ObjectNode expected = JSON.createObjectNode().put("observeEvery", every.toString());
    ObjectNode actual = JSON.createObjectNode();
    if (observed == null) {
      actual.putNull("lastObservedAt");
    } else {
      actual.put("lastObservedAt", observed);
    }
    actual.put("staleSince", staleSince.toString());
    Assessment a =
        rulePack
            .get()
            .assess(
                new DriftFacts(
                    env.id(),
                    env.tier(),
                    env.owner(),
                    KEY,
                    expected.toString(),
                    actual.toString(),
                    List.of(actual.toString()),
                    staleSince,
                    staleSince,
                    List.of(),
                    List.of(),
                    List.of(),
                    null,
                    new StaleObservation(observed == null ? null : last, every, staleSince)));
    w.putDrift(
        new Drift(
            id,
            env.id(),
            KEY,
            expected.toString(),
            actual.toString(),
            staleSince,
            updatedAt,
            status,
            a,
            DriftKind.OBSERVATION),
        List.of(actual.toString()));
    w.appendAudit(
        now,
        actor,
        "drift.opened",
        env.id(),
        id,
        Governance.detail(
            "key", KEY,
            "expected", expected.toString(),
            "actual", actual.toString(),
            "finding", "STALE_OBSERVATION",
            "riskCategory", a.riskCategory().name(),
            "severity", a.severity().name(),
            "rulePackVersion", a.rulePackVersion(),
            "reopened", stored.isPresent(),
            "closedAt", end));
    return Optional.of(id);
  }

  /** Whether a snapshot of the environment was observed at {@code at}. */
  private static boolean observedAt(StoreReader r, Environment env, Instant at) {
    return r.snapshotAtOrBefore(env.id(), at).filter(s -> s.observedAt().equals(at)).isPresent();
  }

  private static String id(String environment, Instant staleSince) {
    return "D-" + Hashing.sha256Hex(environment + "\n" + KEY + "\n" + staleSince).substring(0, 12);
  }

  /** Closes an observation drift at {@code end} (RESOLVED), audited. */
  private void close(
      StoreWriter w, Drift d, Instant end, String reason, boolean observed, String actor) {
    w.putDrift(d.withStatus(DriftStatus.RESOLVED, end), w.driftTrail(d.id()));
    w.appendAudit(
        clock.instant(),
        actor,
        "drift.closed",
        d.environment(),
        d.id(),
        Governance.detail(
            "key",
            KEY,
            "status",
            DriftStatus.RESOLVED.name(),
            "reason",
            reason,
            "observedAt",
            observed ? end : null));
  }

  /** Removes a drift a late snapshot disproves, or closes it if it carries dispositions. */
  private static void withdraw(
      StoreWriter w, Drift d, Instant observedAt, String actor, Instant now) {
    if (w.dispositions(d.id()).isEmpty()) {
      w.removeDrift(d.id());
      w.appendAudit(
          now,
          actor,
          "drift.withdrawn",
          d.environment(),
          d.id(),
          Governance.detail(
              "key", KEY, "status", d.status().name(), "observedAt", observedAt, "backfill", true));
      return;
    }
    if (d.status().isLive() || d.status() == DriftStatus.EXCEPTED) {
      w.putDrift(d.withStatus(DriftStatus.RESOLVED, observedAt), w.driftTrail(d.id()));
      w.appendAudit(
          now,
          actor,
          "drift.closed",
          d.environment(),
          d.id(),
          Governance.detail(
              "key",
              KEY,
              "status",
              DriftStatus.RESOLVED.name(),
              "withdrawn",
              true,
              "observedAt",
              observedAt,
              "backfill",
              true));
    }
  }

  /** The environment's observation drift still governed (open, pending or excepted), if any. */
  public static Optional<Drift> active(StoreReader r, String environment) {
    return r.activeDrifts(environment, KEY).stream()
        .filter(d -> d.kind() == DriftKind.OBSERVATION)
        .findFirst();
  }
}
