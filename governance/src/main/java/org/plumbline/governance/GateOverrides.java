package org.plumbline.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.plumbline.ontology.Approval;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.DispositionStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.GateOverride;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Severity;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.rules.RequiredApprovals;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.RulePack;
import org.plumbline.rules.SignatureMeanings;
import org.plumbline.rules.pack.GateReason;

/**
 * Overrides of promotion gate denials: a DENY is overridden only by a time-boxed exception approved
 * by tier, with the same four-eyes rules as a disposition. The approvals it needs are the pack's
 * approvals row for the environment's tier at severity CRITICAL (never fewer than one): by default
 * one approver in DEV and STAGING, two in PROD, two with one model-risk in REGULATED; the longest
 * it may last is the tier's longest ACCEPT. It covers the reasons of the DENY it was requested
 * against (code and subject), for the content that was denied, until it expires: a later DENY for
 * another reason is not covered.
 */
public final class GateOverrides {
  public static final String REQUESTED = "gate.override.requested";
  public static final String SIGNED = "gate.override.signed";
  public static final String APPROVED = "gate.override.approved";
  public static final String REJECTED = "gate.override.rejected";

  /** How far back the DENY to override is looked for. */
  static final Duration LOOK_BACK = Duration.ofDays(30);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<RulePack> rulePack;
  private final Clock clock;

  GateOverrides(Supplier<RulePack> rulePack, Clock clock) {
    this.rulePack = rulePack;
    this.clock = clock;
  }

  /** Requests an override of the latest DENY for this version and environment. */
  GateOverride request(
      StoreWriter w,
      String environment,
      String bundle,
      String version,
      String justification,
      Instant expiresAt,
      String user) {
    Environment env =
        w.environment(environment)
            .orElseThrow(
                () ->
                    new PlumblineException(
                        StoreError.UNKNOWN_ENVIRONMENT,
                        "no environment '" + environment + "' is registered",
                        List.of("environment: " + environment)));
    if (justification == null || justification.isBlank()) {
      throw invalid("justification must not be blank", "justification");
    }
    Instant now = clock.instant();
    if (expiresAt == null || !expiresAt.isAfter(now)) {
      throw invalid("an override needs expiresAt in the future", "expiresAt: " + expiresAt);
    }
    Instant limit = now.plus(rulePack.get().policyLimits(env.tier()).longestAccept());
    if (expiresAt.isAfter(limit)) {
      throw new PlumblineException(
          RuleError.EXCEPTION_TOO_LONG,
          "an override in a "
              + env.tier()
              + " environment may last until "
              + limit
              + " at the latest",
          List.of("expiresAt: " + expiresAt));
    }
    AuditRecord denied = latestDenial(w, environment, bundle, version, now);
    JsonNode detail = read(denied.detail());
    List<GateOverride.Reason> reasons = new ArrayList<>();
    for (JsonNode r : detail.path("reasons")) {
      reasons.add(
          new GateOverride.Reason(
              r.path("code").asText(), r.path("message").asText(), r.path("subject").asText()));
    }
    String contentHash = detail.path("contentHash").asText(null);
    for (GateOverride o : w.gateOverrides(environment)) {
      if (o.bundle().equals(bundle)
          && o.version().equals(version)
          && o.deniedSeq() == denied.seq()
          && (o.status() == DispositionStatus.PENDING || o.inForceAt(now))) {
        throw new PlumblineException(
            RuleError.GATE_OVERRIDE_CONFLICT,
            "override " + o.id() + " of this denial is already " + o.status(),
            List.of("override: " + o.id()));
      }
    }
    RequiredApprovals required = rulePack.get().requiredApprovals(env.tier(), Severity.CRITICAL);
    List<String> roles = new ArrayList<>(required.roles());
    if (!roles.contains(Signatures.APPROVER)) {
      roles.add(0, Signatures.APPROVER);
    }
    String id =
        "G-"
            + Hashing.sha256Hex(
                    environment
                        + "\n"
                        + bundle
                        + "\n"
                        + version
                        + "\n"
                        + (w.gateOverrides(environment).size() + 1))
                .substring(0, 12);
    GateOverride o =
        new GateOverride(
            id,
            environment,
            bundle,
            version,
            DispositionStatus.PENDING,
            user,
            now,
            justification.strip(),
            expiresAt,
            denied.seq(),
            contentHash,
            reasons,
            Math.max(1, required.count()),
            roles,
            List.of(),
            null,
            null,
            subjectHash(environment, bundle, version, contentHash, reasons, expiresAt));
    w.putGateOverride(o);
    w.appendAudit(
        now,
        user,
        REQUESTED,
        environment,
        id,
        Governance.detail(
            "bundle", bundle,
            "version", version,
            "deniedSeq", denied.seq(),
            "reasons", String.join(" ", reasons.stream().map(GateOverride.Reason::code).toList()),
            "justification", o.justification(),
            "expiresAt", expiresAt,
            "requiredApprovals", o.requiredApprovals(),
            "subjectHash", o.subjectHash()));
    return o;
  }

  /**
   * Adds one signature, as on a disposition: a meaning from the pack's vocabulary, never by the
   * requester, once per signer; the last approval of a REGULATED override comes from model-risk.
   */
  GateOverride approve(
      StoreWriter w, String id, String meaning, String comment, String user, Set<String> roles) {
    GateOverride o = pending(w, id);
    SignatureMeanings.Meaning m = Signatures.meaning(rulePack.get().signatureMeanings(), meaning);
    String note = Signatures.comment(comment);
    if (o.requestedBy().equals(user)) {
      throw new PlumblineException(
          RuleError.SELF_APPROVAL, user + " requested " + id + " and cannot approve it");
    }
    if (o.approvals().stream()
        .anyMatch(
            a -> a.by().equals(user) && (!a.reviewOnly() || a.meaning().equals(m.meaning())))) {
      throw new PlumblineException(
          RuleError.DUPLICATE_APPROVAL, user + " has already signed " + id);
    }
    boolean modelRiskNeeded =
        o.approverRoles().contains(Signatures.MODEL_RISK)
            && o.approvals().stream().noneMatch(Signatures::fulfilsModelRisk);
    String role = Signatures.signingRole(roles, m, modelRiskNeeded);
    Instant now = clock.instant();
    Approval approval =
        new Approval(user, role, m.meaning(), now, note, o.subjectHash(), !m.approves());
    if (m.approves()
        && modelRiskNeeded
        && !Signatures.fulfilsModelRisk(approval)
        && o.approvalCount() + 1 >= o.requiredApprovals()) {
      throw new PlumblineException(
          RuleError.MODEL_RISK_APPROVAL_REQUIRED,
          "the last approval of " + id + " must come from a holder of the role model-risk");
    }
    GateOverride signed = o.signedBy(approval);
    w.appendAudit(
        now,
        user,
        SIGNED,
        o.environment(),
        id,
        Governance.detail(
            "role", role,
            "meaning", m.meaning(),
            "countsAsApproval", m.approves(),
            "comment", note,
            "subjectHash", o.subjectHash(),
            "approvals", signed.approvalCount(),
            "required", o.requiredApprovals()));
    if (signed.approvalCount() < o.requiredApprovals()) {
      w.putGateOverride(signed);
      return signed;
    }
    GateOverride approved = signed.decided(DispositionStatus.APPROVED, now, null);
    w.putGateOverride(approved);
    w.appendAudit(
        now,
        user,
        APPROVED,
        o.environment(),
        id,
        Governance.detail(
            "bundle", o.bundle(),
            "version", o.version(),
            "approvals", approved.approvalCount(),
            "approvedBy", String.join(" ", approvers(approved)),
            "expiresAt", o.expiresAt(),
            "subjectHash", o.subjectHash()));
    return approved;
  }

  /** Rejects a pending override; the denial stands. */
  GateOverride reject(StoreWriter w, String id, String reason, String user, Set<String> roles) {
    GateOverride o = pending(w, id);
    if (reason == null || reason.isBlank()) {
      throw invalid("reason must not be blank", "reason");
    }
    Signatures.signingRole(roles, null, false);
    if (o.requestedBy().equals(user)) {
      throw new PlumblineException(
          RuleError.SELF_APPROVAL, user + " requested " + id + " and cannot decide it");
    }
    Instant now = clock.instant();
    GateOverride rejected =
        o.decided(DispositionStatus.REJECTED, now, user + ": " + reason.strip());
    w.putGateOverride(rejected);
    w.appendAudit(
        now,
        user,
        REJECTED,
        o.environment(),
        id,
        Governance.detail("bundle", o.bundle(), "version", o.version(), "reason", reason.strip()));
    return rejected;
  }

  /**
   * The approved, unexpired override that covers a DENY: same version, environment and content, and
   * every reason (code and subject) among those it overrides. The latest approved wins.
   */
  static Optional<GateOverride> covering(
      StoreReader r,
      String environment,
      String bundle,
      String version,
      String contentHash,
      List<GateReason> reasons,
      Instant now) {
    return r.gateOverrides(environment).stream()
        .filter(o -> o.bundle().equals(bundle) && o.version().equals(version))
        .filter(o -> o.inForceAt(now))
        .filter(o -> o.contentHash() == null || o.contentHash().equals(contentHash))
        .filter(
            o ->
                reasons.stream()
                    .allMatch(
                        g ->
                            o.overridden().stream()
                                .anyMatch(
                                    x ->
                                        x.code().equals(g.code())
                                            && x.subject().equals(String.valueOf(g.subject())))))
        .max(Comparator.comparing(GateOverride::decidedAt));
  }

  /** Who signed an override as an approval, in signing order. */
  public static List<String> approvers(GateOverride o) {
    return o.approvals().stream().filter(a -> !a.reviewOnly()).map(Approval::by).toList();
  }

  /**
   * What an override's signatures sign: a SHA-256 over the environment, bundle, version, the denied
   * content's hash, the overridden reasons (code and subject) and the expiry, length-prefixed so
   * that no field bleeds into another.
   */
  public static String subjectHash(
      String environment,
      String bundle,
      String version,
      String contentHash,
      List<GateOverride.Reason> reasons,
      Instant expiresAt) {
    List<String> fields =
        new ArrayList<>(List.of("plumbline.gate-override.v1", environment, bundle, version));
    fields.add(contentHash);
    for (GateOverride.Reason r : reasons) {
      fields.add(r.code());
      fields.add(r.subject());
    }
    fields.add(expiresAt.toString());
    StringBuilder sb = new StringBuilder();
    for (String field : fields) {
      if (field == null) {
        sb.append("-;");
      } else {
        sb.append(field.length()).append(':').append(field).append(';');
      }
    }
    return "sha256:" + Hashing.sha256Hex(sb.toString());
  }

  private static AuditRecord latestDenial(
      StoreReader r, String environment, String bundle, String version, Instant now) {
    String subject = bundle + "@" + version;
    List<AuditRecord> records =
        r.audit(environment, now.minus(LOOK_BACK), now.plus(Duration.ofDays(1)));
    AuditRecord latest = null;
    for (AuditRecord a : records) {
      if (a.action().equals(PromotionGates.DECIDED)
          && a.subject().equals(subject)
          && (latest == null || a.seq() > latest.seq())) {
        latest = a;
      }
    }
    if (latest == null || !"DENY".equals(read(latest.detail()).path("decision").asText())) {
      throw new PlumblineException(
          RuleError.NOTHING_TO_OVERRIDE,
          latest == null
              ? "no promotion gate decided "
                  + subject
                  + " -> "
                  + environment
                  + " in the last "
                  + LOOK_BACK.toDays()
                  + " days; ask the gate first"
              : "the latest promotion gate decision for "
                  + subject
                  + " -> "
                  + environment
                  + " (audit record "
                  + latest.seq()
                  + ") allowed; there is nothing to override",
          List.of("environment: " + environment, "bundle: " + bundle, "version: " + version));
    }
    return latest;
  }

  private GateOverride pending(StoreWriter w, String id) {
    GateOverride o =
        w.gateOverride(id)
            .orElseThrow(
                () ->
                    new PlumblineException(
                        RuleError.GATE_OVERRIDE_NOT_FOUND,
                        "no gate override '" + id + "'",
                        List.of("override: " + id)));
    if (o.status() != DispositionStatus.PENDING) {
      throw new PlumblineException(
          RuleError.ILLEGAL_TRANSITION, "gate override " + id + " is already " + o.status());
    }
    if (!o.expiresAt().isAfter(clock.instant())) {
      throw new PlumblineException(
          RuleError.ILLEGAL_TRANSITION,
          "gate override " + id + " expired at " + o.expiresAt() + " while pending; request again");
    }
    return o;
  }

  private static JsonNode read(String detail) {
    try {
      return JSON.readTree(detail == null ? "{}" : detail);
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode();
    }
  }

  private static PlumblineException invalid(String message, String where) {
    return new PlumblineException(RuleError.INVALID_GATE_OVERRIDE, message, List.of(where));
  }
}
