package org.plumbline.governance;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.plumbline.loaders.BlueprintParser;
import org.plumbline.ontology.Approval;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.BundleVersion;
import org.plumbline.ontology.Disposition;
import org.plumbline.ontology.DispositionKind;
import org.plumbline.ontology.DispositionStatus;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftKind;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.SemVer;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.ontology.Validation;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.RulePack;
import org.plumbline.rules.SignatureMeanings;

/**
 * The act path: governed dispositions of drifts (REVERT, CODIFY, ACCEPT) with approvals as the
 * policy requires, expiring exceptions, environment TTLs and validation evidence. Each step is one
 * write transaction with its audit records; a refused step changes nothing.
 */
public final class Dispositions {
  static final String MODEL_RISK = Signatures.MODEL_RISK;
  static final String APPROVER = Signatures.APPROVER;

  private final Supplier<RulePack> rulePack;
  private final Clock clock;
  private final Governance governance;
  private final BlueprintApprovals blueprints;
  private final Expiries expiries;

  Dispositions(Supplier<RulePack> rulePack, Clock clock, Governance governance) {
    this.rulePack = rulePack;
    this.clock = clock;
    this.governance = governance;
    this.blueprints = new BlueprintApprovals(rulePack, clock, governance);
    this.expiries = new Expiries(rulePack, clock, governance);
  }

  /** Approvals of bundle versions held because they change governed environments. */
  BlueprintApprovals blueprints() {
    return blueprints;
  }

  /** Requests a disposition; one that needs no approval takes effect at once. */
  Disposition request(
      StoreWriter w,
      String driftId,
      DispositionKind kind,
      String justification,
      Instant expiresAt,
      String user) {
    Drift drift = supersedeStale(w, drift(w, driftId), user);
    if (drift.status() != DriftStatus.OPEN) {
      throw illegal(
          "drift " + driftId + " is " + drift.status() + "; only an OPEN drift can be disposed of");
    }
    requireText(justification, "justification");
    if (drift.kind() == DriftKind.OBSERVATION && kind != DispositionKind.ACCEPT) {
      // nothing to revert or codify: the environment's loader has to post a snapshot again
      throw illegal(
          "drift "
              + driftId
              + " is a stale observation; it closes with the next snapshot and can only be"
              + " accepted for a while (ACCEPT), not "
              + kind);
    }
    Instant now = clock.instant();
    Environment env = w.environment(drift.environment()).orElseThrow();
    checkExpiry(kind, expiresAt, env, now);
    if (kind == DispositionKind.CODIFY) { // refuses early what cannot be codified
      if (drift.isMetric()) {
        MetricIngest.checkCodifiable(w, drift);
      } else {
        codified(w, drift, env);
      }
    }
    // The id depends on the drift and how many dispositions it had, not on the clock, so a
    // replay of the same inputs (plumbline rebuild) gives the same ids.
    String id =
        "P-"
            + Hashing.sha256Hex(driftId + "\n" + (w.dispositions(driftId).size() + 1))
                .substring(0, 12);
    Disposition d =
        new Disposition(
            id,
            driftId,
            drift.environment(),
            kind,
            DispositionStatus.PENDING,
            user,
            now,
            justification.strip(),
            expiresAt,
            drift.assessment().requiredApprovals(),
            drift.assessment().approverRoles(),
            List.of(),
            null,
            null,
            subjectHash(drift, kind, expiresAt));
    w.appendAudit(
        now,
        user,
        "disposition.requested",
        drift.environment(),
        id,
        Governance.detail(
            "drift", driftId,
            "key", drift.key(),
            "kind", kind.name(),
            "justification", d.justification(),
            "expiresAt", expiresAt,
            "requiredApprovals", d.requiredApprovals(),
            "severity", drift.assessment().severity().name(),
            "rulePackVersion", drift.assessment().rulePackVersion(),
            "subjectHash", d.subjectHash()));
    if (d.requiredApprovals() == 0) {
      return takeEffect(w, d.decided(DispositionStatus.APPROVED, now, null), drift, user);
    }
    w.putDisposition(d);
    w.putDrift(
        drift.withStatus(DriftStatus.PENDING_APPROVAL, drift.updatedAt()), w.driftTrail(driftId));
    return d;
  }

  /**
   * Adds one signature (21 CFR 11.50 and 11.70): its meaning must be one the rule pack declares,
   * and it signs the disposition's subject hash, so a disposition whose drift changed while pending
   * is refused as stale. A meaning that approves counts towards the required approvals, and the
   * last one the policy needs makes the disposition take effect; a review-only meaning is recorded
   * and counts for nothing.
   *
   * @param comment optional words of the signer, recorded with the signature
   */
  Disposition approve(
      StoreWriter w,
      String dispositionId,
      String meaning,
      String comment,
      String user,
      Set<String> roles) {
    Disposition d = pending(w, dispositionId);
    Drift drift = drift(w, d.drift());
    SignatureMeanings vocabulary = rulePack.get().signatureMeanings();
    SignatureMeanings.Meaning m = Signatures.meaning(vocabulary, meaning);
    String note = Signatures.comment(comment);
    if (d.requestedBy().equals(user)) {
      throw new PlumblineException(
          RuleError.SELF_APPROVAL, user + " requested " + dispositionId + " and cannot approve it");
    }
    requireCurrent(d, drift);
    if (d.approvals().stream()
        .anyMatch(
            a -> a.by().equals(user) && (!a.reviewOnly() || a.meaning().equals(m.meaning())))) {
      throw new PlumblineException(
          RuleError.DUPLICATE_APPROVAL, user + " has already signed " + dispositionId);
    }
    boolean modelRiskNeeded =
        d.approverRoles().contains(MODEL_RISK)
            && d.approvals().stream().noneMatch(a -> Signatures.fulfilsModelRisk(a));
    String role = Signatures.signingRole(roles, m, modelRiskNeeded);
    Approval approval =
        new Approval(
            user, role, m.meaning(), clock.instant(), note, d.subjectHash(), !m.approves());
    if (m.approves()
        && modelRiskNeeded
        && !Signatures.fulfilsModelRisk(approval)
        && d.approvalCount() + 1 >= d.requiredApprovals()) {
      throw new PlumblineException(
          RuleError.MODEL_RISK_APPROVAL_REQUIRED,
          "the last approval of "
              + dispositionId
              + " must come from a holder of the role model-risk");
    }
    Instant now = approval.at();
    Disposition signed = d.approvedBy(approval);
    w.appendAudit(
        now,
        user,
        "disposition.signed",
        d.environment(),
        d.id(),
        Governance.detail(
            "role", role,
            "meaning", m.meaning(),
            "countsAsApproval", m.approves(),
            "comment", note,
            "subjectHash", d.subjectHash(),
            "approvals", signed.approvalCount(),
            "required", d.requiredApprovals()));
    if (signed.approvalCount() < d.requiredApprovals()) {
      w.putDisposition(signed);
      return signed;
    }
    return takeEffect(w, signed.decided(DispositionStatus.APPROVED, now, null), drift, user);
  }

  /**
   * What a disposition signs: a SHA-256 over the drift's id, the kind, the drift's expected and
   * observed values and the ACCEPT's expiry, length-prefixed so that no field bleeds into another.
   */
  public static String subjectHash(Drift drift, DispositionKind kind, Instant expiresAt) {
    StringBuilder sb = new StringBuilder();
    for (String field :
        new String[] {
          "plumbline.disposition.v1",
          drift.id(),
          kind.name(),
          drift.expected(),
          drift.actual(),
          expiresAt == null ? null : expiresAt.toString()
        }) {
      if (field == null) {
        sb.append("-;");
      } else {
        sb.append(field.length()).append(':').append(field).append(';');
      }
    }
    return "sha256:" + Hashing.sha256Hex(sb.toString());
  }

  /**
   * Whether a pending disposition's subject changed since it was requested (the drift's expected or
   * observed value moved): it can then never take effect and must be requested again. One requested
   * before subjects were hashed is stale too.
   */
  public static boolean isStale(Disposition d, Drift drift) {
    return d.status() == DispositionStatus.PENDING
        && (d.subjectHash() == null
            || !d.subjectHash().equals(subjectHash(drift, d.kind(), d.expiresAt())));
  }

  private static void requireCurrent(Disposition d, Drift drift) {
    if (isStale(d, drift)) {
      throw new PlumblineException(
          RuleError.DISPOSITION_STALE,
          "disposition "
              + d.id()
              + " is stale: drift "
              + drift.id()
              + " now observes "
              + drift.actual()
              + " against "
              + drift.expected()
              + ", not what was requested; request a new disposition",
          List.of("disposition: " + d.id(), "drift: " + drift.id()));
    }
  }

  /**
   * A new request for a drift whose pending disposition went stale first closes that one (as
   * REJECTED, audited), so the drift is OPEN for the new request.
   */
  private Drift supersedeStale(StoreWriter w, Drift drift, String user) {
    if (drift.status() != DriftStatus.PENDING_APPROVAL) {
      return drift;
    }
    List<Disposition> stale =
        w.dispositions(drift.id()).stream().filter(x -> isStale(x, drift)).toList();
    List<Disposition> pending =
        w.dispositions(drift.id()).stream()
            .filter(x -> x.status() == DispositionStatus.PENDING)
            .toList();
    if (stale.isEmpty() || stale.size() != pending.size()) {
      return drift;
    }
    Instant now = clock.instant();
    for (Disposition old : stale) {
      w.putDisposition(
          old.decided(
              DispositionStatus.REJECTED,
              now,
              "stale: the drift changed while the disposition was pending; superseded by a new"
                  + " request of "
                  + user));
      w.appendAudit(
          now,
          user,
          "disposition.superseded",
          old.environment(),
          old.id(),
          Governance.detail(
              "drift", drift.id(),
              "kind", old.kind().name(),
              "reason", "stale",
              "subjectHash", old.subjectHash(),
              "actual", drift.actual()));
    }
    Drift open = drift.withStatus(DriftStatus.OPEN, drift.updatedAt());
    w.putDrift(open, w.driftTrail(drift.id()));
    return open;
  }

  /** Rejects a pending disposition; its drift is OPEN again. */
  Disposition reject(
      StoreWriter w, String dispositionId, String reason, String user, Set<String> roles) {
    Disposition d = pending(w, dispositionId);
    requireText(reason, "reason");
    Signatures.signingRole(roles, null, false);
    if (d.requestedBy().equals(user)) {
      throw new PlumblineException(
          RuleError.SELF_APPROVAL, user + " requested " + dispositionId + " and cannot decide it");
    }
    Instant now = clock.instant();
    Disposition rejected = d.decided(DispositionStatus.REJECTED, now, user + ": " + reason.strip());
    w.putDisposition(rejected);
    Drift drift = drift(w, d.drift());
    if (drift.status() == DriftStatus.PENDING_APPROVAL) {
      w.putDrift(drift.withStatus(DriftStatus.OPEN, drift.updatedAt()), w.driftTrail(drift.id()));
    }
    w.appendAudit(
        now,
        user,
        "disposition.rejected",
        d.environment(),
        d.id(),
        Governance.detail("drift", d.drift(), "kind", d.kind().name(), "reason", reason.strip()));
    return rejected;
  }

  private Disposition takeEffect(StoreWriter w, Disposition d, Drift drift, String actor) {
    Instant now = clock.instant();
    w.putDisposition(d);
    w.appendAudit(
        now,
        actor,
        "disposition.approved",
        d.environment(),
        d.id(),
        Governance.detail(
            "drift",
            d.drift(),
            "kind",
            d.kind().name(),
            "approvals",
            d.approvalCount(),
            "subjectHash",
            d.subjectHash()));
    switch (d.kind()) {
      case REVERT -> {
        w.putDrift(
            drift.withStatus(DriftStatus.REVERT_APPROVED, drift.updatedAt()),
            w.driftTrail(drift.id()));
        w.appendAudit(
            now,
            actor,
            "remediation.planned",
            d.environment(),
            drift.id(),
            Governance.detail(
                "key",
                drift.key(),
                "current",
                drift.actual(),
                "blueprint",
                drift.expected(),
                "disposition",
                d.id()));
      }
      case ACCEPT -> {
        w.putDrift(drift.withStatus(DriftStatus.EXCEPTED, now), w.driftTrail(drift.id()));
        closedAudit(w, drift, DriftStatus.EXCEPTED, actor, "expiresAt", d.expiresAt());
      }
      case CODIFY -> {
        if (drift.isMetric()) {
          codifyBaseline(w, drift, actor, now);
        } else {
          codifyBlueprint(w, drift, actor, now);
        }
      }
    }
    return d;
  }

  /**
   * CODIFY of a configuration drift: the next patch version of the bundle declares the observed
   * value; the drift closes as CODIFIED and the environment's drifts are re-derived against it.
   */
  private void codifyBlueprint(StoreWriter w, Drift drift, String actor, Instant now) {
    Environment env = w.environment(drift.environment()).orElseThrow();
    Blueprint next = codified(w, drift, env);
    w.putBlueprint(next, now, actor);
    for (var spec : next.environments()) {
      w.environment(spec.id())
          .ifPresent(
              e ->
                  w.putEnvironment(
                      new Environment(
                          e.id(),
                          e.name(),
                          e.tier(),
                          e.owner(),
                          e.system(),
                          e.status(),
                          e.registeredAt(),
                          e.expiresAt(),
                          e.bundle(),
                          next.version())));
    }
    w.putDrift(drift.withStatus(DriftStatus.CODIFIED, now), w.driftTrail(drift.id()));
    w.appendAudit(
        now,
        actor,
        "blueprint.codified",
        null,
        next.bundle() + "@" + next.version(),
        Governance.detail(
            "drift",
            drift.id(),
            "key",
            drift.key(),
            "value",
            drift.actual(),
            "environment",
            drift.environment(),
            "validated",
            false));
    closedAudit(w, drift, DriftStatus.CODIFIED, actor, "version", next.version());
    governance.reconcileLatest(w, drift.environment(), actor);
  }

  /**
   * CODIFY of a behavioural drift: the drifted window becomes the metric's baseline (the observed
   * behaviour is declared the new normal, as a bundle version declares an observed value) and its
   * tracker restarts; the drift closes as CODIFIED.
   */
  private void codifyBaseline(StoreWriter w, Drift drift, String actor, Instant now) {
    String baseline = MetricIngest.codify(w, drift, now, actor);
    w.putDrift(drift.withStatus(DriftStatus.CODIFIED, now), w.driftTrail(drift.id()));
    closedAudit(w, drift, DriftStatus.CODIFIED, actor, "baseline", baseline);
  }

  private void closedAudit(
      StoreWriter w, Drift drift, DriftStatus status, String actor, String name, Object value) {
    w.appendAudit(
        clock.instant(),
        actor,
        "drift.closed",
        drift.environment(),
        drift.id(),
        Governance.detail("key", drift.key(), "status", status.name(), name, value));
  }

  /**
   * The next patch version of the drift's bundle, declaring the observed value: as the
   * environment's override when the bundle governs several environments, in the base config when it
   * governs one.
   */
  private static Blueprint codified(StoreWriter w, Drift drift, Environment env) {
    Blueprint current = w.currentBlueprint(env.bundle()).orElseThrow();
    boolean shared = current.environments().size() > 1;
    if (drift.actual() == null && shared) {
      throw new PlumblineException(
          RuleError.CODIFY_UNSUPPORTED,
          "cannot declare '"
              + drift.key()
              + "' absent for "
              + env.id()
              + " alone: bundle "
              + current.bundle()
              + " governs "
              + current.environments().size()
              + " environments; remove it from the blueprint by publishing a new version instead");
    }
    TreeMap<String, String> base = new TreeMap<>(current.config().values());
    Map<String, FlatConfig> overrides = new TreeMap<>(current.overrides());
    if (shared) {
      TreeMap<String, String> own =
          new TreeMap<>(overrides.getOrDefault(env.id(), FlatConfig.EMPTY).values());
      own.put(drift.key(), drift.actual());
      overrides.put(env.id(), new FlatConfig(own));
    } else {
      if (drift.actual() == null) {
        base.remove(drift.key());
      } else {
        base.put(drift.key(), drift.actual());
      }
      overrides.remove(env.id());
    }
    SemVer version = SemVer.parse(current.version()).nextPatch();
    while (w.blueprint(current.bundle(), version.toString()).isPresent()) {
      version = version.nextPatch();
    }
    Blueprint draft =
        new Blueprint(
            current.bundle(),
            version.toString(),
            current.environments(),
            null,
            new FlatConfig(base),
            overrides,
            current.dependencies(),
            current.ignore(),
            current.map(),
            "");
    // The parser's canonical hash: the version exported and posted again is this version.
    return draft.withContentHash(BlueprintParser.contentHash(draft));
  }

  // ---- expiries, TTL and validation ----

  /** What one expiry check changed. */
  public record ExpiryReport(List<String> exceptionsExpired, List<String> environmentsExpired) {}

  /** Whether {@link #checkExpiries} would change anything now (a read, no write). */
  boolean expiriesDue(StoreReader r) {
    return expiries.due(r);
  }

  /** Ends due exceptions and TTLs; see {@link Expiries}. */
  ExpiryReport checkExpiries(StoreWriter w) {
    return expiries.check(w);
  }

  /** Moves an environment's TTL within the policy's limit; see {@link Expiries}. */
  Environment extendEnvironment(
      StoreWriter w, String environment, Instant until, String justification, String user) {
    return expiries.extend(w, environment, until, justification, user);
  }

  /** Records validation evidence for a bundle version (e.g. after a CODIFY). */
  BundleVersion recordValidation(
      StoreWriter w, String bundle, String version, String evidence, String user) {
    if (w.blueprint(bundle, version).isEmpty()) {
      throw new PlumblineException(
          RuleError.UNKNOWN_BUNDLE_VERSION,
          "no version " + version + " of bundle '" + bundle + "'",
          List.of("bundle: " + bundle, "version: " + version));
    }
    requireText(evidence, "evidence");
    Instant now = clock.instant();
    w.recordValidation(bundle, version, new Validation(now, user, evidence.strip()));
    w.appendAudit(
        now,
        user,
        "bundle.validated",
        null,
        bundle + "@" + version,
        Governance.detail("evidence", evidence.strip()));
    return w.bundleVersions(bundle).stream()
        .filter(v -> v.version().equals(version))
        .findFirst()
        .orElseThrow();
  }

  // ---- checks ----

  private void checkExpiry(DispositionKind kind, Instant expiresAt, Environment env, Instant now) {
    if (kind != DispositionKind.ACCEPT) {
      if (expiresAt != null) {
        throw new PlumblineException(
            RuleError.INVALID_DISPOSITION,
            "only ACCEPT takes expiresAt",
            List.of("expiresAt: " + expiresAt));
      }
      return;
    }
    if (expiresAt == null || !expiresAt.isAfter(now)) {
      throw new PlumblineException(
          RuleError.INVALID_DISPOSITION,
          "ACCEPT needs expiresAt in the future",
          List.of("expiresAt: " + expiresAt));
    }
    Instant limit = now.plus(rulePack.get().policyLimits(env.tier()).longestAccept());
    if (expiresAt.isAfter(limit)) {
      throw new PlumblineException(
          RuleError.EXCEPTION_TOO_LONG,
          "an exception in a "
              + env.tier()
              + " environment may last until "
              + limit
              + " at the latest",
          List.of("expiresAt: " + expiresAt));
    }
  }

  private static Drift drift(StoreWriter w, String id) {
    return w.drift(id)
        .orElseThrow(
            () ->
                new PlumblineException(
                    RuleError.DRIFT_NOT_FOUND, "no drift '" + id + "'", List.of("drift: " + id)));
  }

  private static Disposition pending(StoreWriter w, String id) {
    Disposition d =
        w.disposition(id)
            .orElseThrow(
                () ->
                    new PlumblineException(
                        RuleError.DISPOSITION_NOT_FOUND,
                        "no disposition '" + id + "'",
                        List.of("disposition: " + id)));
    if (d.status() != DispositionStatus.PENDING) {
      throw illegal("disposition " + id + " is already " + d.status());
    }
    Drift drift = drift(w, d.drift());
    if (drift.status() != DriftStatus.PENDING_APPROVAL) {
      throw illegal(
          "drift "
              + drift.id()
              + " is "
              + drift.status()
              + "; the disposition can no longer take effect");
    }
    return d;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new PlumblineException(
          RuleError.INVALID_DISPOSITION, name + " must not be blank", List.of(name));
    }
  }

  private static PlumblineException illegal(String message) {
    return new PlumblineException(RuleError.ILLEGAL_TRANSITION, message);
  }
}
