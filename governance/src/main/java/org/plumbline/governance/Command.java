package org.plumbline.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.plumbline.loaders.BlueprintParser;
import org.plumbline.loaders.ChangeRequestParser;
import org.plumbline.loaders.Secrets;
import org.plumbline.loaders.SnapshotParser;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.BlueprintProposal;
import org.plumbline.ontology.BundleVersion;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.Disposition;
import org.plumbline.ontology.DispositionKind;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.GateOverride;
import org.plumbline.ontology.PromptVersion;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.rules.MetricSample;

/**
 * Everything a user (or the scheduler) can do to the store, one record per thing. The {@link
 * Governor} journals a command's {@linkplain #journaled() journal form} and applies it in one write
 * transaction; {@code plumbline rebuild} reads the journal back into the same commands ({@link
 * Inputs#fromJournal}) and applies them again.
 *
 * <p>Inputs that arrive as documents (snapshots, blueprints, change requests, prompt versions,
 * metric samples) are journaled as the document the user sent, so that the journal holds what was
 * posted, in the contract's formats; a document from which a secret was redacted is journaled as
 * the redacted record instead, so no secret reaches the disk. Decisions (dispositions, approvals,
 * extensions, validations) are journaled as their arguments; a signer's re-entered credential is
 * checked before the command is made and is never part of it.
 *
 * @param <R> what applying it answers
 */
public sealed interface Command<R> {
  /** Who asks (the scheduler for the commands it issues). */
  Caller caller();

  /** Applies the command in the governor's write transaction. */
  R apply(Governor governor, StoreWriter w);

  /** What the input journal keeps of it, or null for bookkeeping that is not an input. */
  Journaled journaled();

  /** One journal entry's kind, content type and bytes. */
  record Journaled(String kind, String contentType, byte[] body) {
    static Journaled json(String kind, Map<String, Object> arguments) {
      try {
        return new Journaled(kind, "application/json", JSON.writeValueAsBytes(arguments));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  ObjectMapper JSON = new ObjectMapper();

  private static Map<String, Object> args(Object... namesAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Object v = namesAndValues[i + 1];
      m.put((String) namesAndValues[i], v instanceof Instant t ? t.toString() : v);
    }
    return m;
  }

  /** A document that is journaled only as posted (null only where nothing is journaled). */
  private static byte[] posted(byte[] document, String what) {
    if (document == null) {
      throw new IllegalStateException(what + " is journaled as posted: give its document");
    }
    return document;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- inputs posted as documents ----

  /** A snapshot; {@code document} is the body as posted (null: journaled in contract JSON). */
  record PostSnapshot(Snapshot snapshot, byte[] document, Caller caller)
      implements Command<Governance.IngestResult> {
    public PostSnapshot {
      Objects.requireNonNull(snapshot, "snapshot");
    }

    @Override
    public Governance.IngestResult apply(Governor g, StoreWriter w) {
      Governance.IngestResult r = g.governance.ingestSnapshot(w, snapshot, caller.user());
      if (!r.replay()) {
        // the environment was observed: its stale finding closes in this transaction
        g.observations.observed(w, snapshot.environment(), snapshot.observedAt(), caller.user());
      }
      return r;
    }

    @Override
    public Journaled journaled() {
      boolean redacted = Secrets.hasMarkers(snapshot.config());
      return new Journaled(
          "snapshot",
          "application/json",
          document == null || redacted ? utf8(SnapshotParser.toJson(snapshot)) : document);
    }
  }

  /**
   * A bundle version. {@code mayValidate}: whether its {@code validated} block is honoured (the
   * poster may record validations: model-risk, admin).
   */
  record PostBlueprint(
      Blueprint blueprint, byte[] document, String contentType, Caller caller, boolean mayValidate)
      implements Command<Governance.IngestResult> {
    public PostBlueprint {
      Objects.requireNonNull(blueprint, "blueprint");
    }

    @Override
    public Governance.IngestResult apply(Governor g, StoreWriter w) {
      return g.governance.ingestBlueprint(w, blueprint, caller.user(), mayValidate);
    }

    @Override
    public Journaled journaled() {
      boolean redacted =
          Secrets.hasMarkers(blueprint.config())
              || blueprint.overrides().values().stream().anyMatch(Secrets::hasMarkers);
      return document == null || redacted
          ? new Journaled("blueprint", "application/json", utf8(BlueprintParser.toJson(blueprint)))
          : new Journaled("blueprint", contentType, document);
    }
  }

  /** Change requests, stored together or not at all. */
  record PostChangeRequests(List<ChangeRequest> requests, byte[] document, Caller caller)
      implements Command<Governance.IngestResult> {
    public PostChangeRequests {
      requests = List.copyOf(requests);
    }

    @Override
    public Governance.IngestResult apply(Governor g, StoreWriter w) {
      return g.governance.ingestChangeRequests(w, requests, caller.user());
    }

    @Override
    public Journaled journaled() {
      return new Journaled(
          "change-request",
          "application/json",
          document != null ? document : utf8(ChangeRequestParser.toJson(requests)));
    }
  }

  /**
   * A prompt version with its evaluation evidence; {@code document} is the body as posted (null
   * only for a governor that journals nothing).
   */
  record RegisterPrompt(PromptVersion version, byte[] document, Caller caller)
      implements Command<Governance.IngestResult> {
    public RegisterPrompt {
      Objects.requireNonNull(version, "version");
    }

    @Override
    public Governance.IngestResult apply(Governor g, StoreWriter w) {
      return g.prompts.register(w, version, caller.user());
    }

    @Override
    public Journaled journaled() {
      return new Journaled("prompt", "application/json", posted(document, "a prompt version"));
    }
  }

  /**
   * A behavioural metric sample; {@code document} is the body as posted (null only for a governor
   * that journals nothing).
   */
  record PostMetric(MetricSample sample, byte[] document, Caller caller)
      implements Command<Governance.IngestResult> {
    public PostMetric {
      Objects.requireNonNull(sample, "sample");
    }

    @Override
    public Governance.IngestResult apply(Governor g, StoreWriter w) {
      return g.governance.ingestMetric(w, sample, caller.user());
    }

    @Override
    public Journaled journaled() {
      return new Journaled("metric", "application/json", posted(document, "a metric sample"));
    }
  }

  // ---- decisions ----

  /** Requests REVERT, CODIFY or ACCEPT (with {@code expiresAt}) of an open drift. */
  record RequestDisposition(
      String drift, DispositionKind kind, String justification, Instant expiresAt, Caller caller)
      implements Command<Disposition> {
    @Override
    public Disposition apply(Governor g, StoreWriter w) {
      return g.dispositions.request(w, drift, kind, justification, expiresAt, caller.user());
    }

    @Override
    public Journaled journaled() {
      return Journaled.json(
          "disposition.request",
          args(
              "drift",
              drift,
              "kind",
              kind.name(),
              "justification",
              justification,
              "expiresAt",
              expiresAt));
    }
  }

  /** Signs a pending disposition with a meaning from the pack's vocabulary. */
  record ApproveDisposition(String disposition, String meaning, String comment, Caller caller)
      implements Command<Disposition> {
    @Override
    public Disposition apply(Governor g, StoreWriter w) {
      return g.dispositions.approve(
          w, disposition, meaning, comment, caller.user(), caller.roles());
    }

    @Override
    public Journaled journaled() {
      return Journaled.json(
          "disposition.approve",
          args("disposition", disposition, "meaning", meaning, "comment", comment));
    }
  }

  /** Rejects a pending disposition; its drift is open again. */
  record RejectDisposition(String disposition, String reason, Caller caller)
      implements Command<Disposition> {
    @Override
    public Disposition apply(Governor g, StoreWriter w) {
      return g.dispositions.reject(w, disposition, reason, caller.user(), caller.roles());
    }

    @Override
    public Journaled journaled() {
      return Journaled.json(
          "disposition.reject", args("disposition", disposition, "reason", reason));
    }
  }

  /** Signs a held bundle version; the last approval it needs publishes it. */
  record ApproveBlueprint(
      String bundle, String version, String meaning, String comment, Caller caller)
      implements Command<BlueprintProposal> {
    @Override
    public BlueprintProposal apply(Governor g, StoreWriter w) {
      return g.dispositions
          .blueprints()
          .approve(w, bundle, version, meaning, comment, caller.user(), caller.roles());
    }

    @Override
    public Journaled journaled() {
      return Journaled.json(
          "blueprint.approve",
          args("bundle", bundle, "version", version, "meaning", meaning, "comment", comment));
    }
  }

  /** Rejects a held bundle version: the current version stays. */
  record RejectBlueprint(String bundle, String version, String reason, Caller caller)
      implements Command<BlueprintProposal> {
    @Override
    public BlueprintProposal apply(Governor g, StoreWriter w) {
      return g.dispositions
          .blueprints()
          .reject(w, bundle, version, reason, caller.user(), caller.roles());
    }

    @Override
    public Journaled journaled() {
      return Journaled.json(
          "blueprint.reject", args("bundle", bundle, "version", version, "reason", reason));
    }
  }

  /** Moves an environment's TTL, within the tier's longest extension. */
  record ExtendEnvironment(String environment, Instant until, String justification, Caller caller)
      implements Command<Environment> {
    @Override
    public Environment apply(Governor g, StoreWriter w) {
      return g.dispositions.extendEnvironment(w, environment, until, justification, caller.user());
    }

    @Override
    public Journaled journaled() {
      return Journaled.json(
          "environment.extend",
          args("environment", environment, "until", until, "justification", justification));
    }
  }

  /** Records validation evidence for a bundle version. */
  record RecordValidation(String bundle, String version, String evidence, Caller caller)
      implements Command<BundleVersion> {
    @Override
    public BundleVersion apply(Governor g, StoreWriter w) {
      return g.dispositions.recordValidation(w, bundle, version, evidence, caller.user());
    }

    @Override
    public Journaled journaled() {
      return Journaled.json(
          "bundle.validate", args("bundle", bundle, "version", version, "evidence", evidence));
    }
  }

  /**
   * Opens and closes the drifts of environments not observed for twice their interval (the
   * scheduler's tick); see {@link Observations}.
   */
  record CheckObservations(Caller caller) implements Command<Observations.ObservationReport> {
    @Override
    public Observations.ObservationReport apply(Governor g, StoreWriter w) {
      return g.observations.check(w, caller.user());
    }

    @Override
    public Journaled journaled() {
      return new Journaled("observation.check", null, new byte[0]);
    }
  }

  /**
   * Decides whether a bundle version may be promoted to an environment now, and audits the answer
   * ({@code gate.decided}). A decision is a write because its audit record is evidence. A candidate
   * is journaled as its parsed (redacted) blueprint, never stored.
   */
  record DecidePromotion(PromotionGates.Question question, Caller caller)
      implements Command<PromotionGates.Outcome> {
    public DecidePromotion {
      Objects.requireNonNull(question, "question");
    }

    @Override
    public PromotionGates.Outcome apply(Governor g, StoreWriter w) {
      return g.gates.decide(w, question, caller.user());
    }

    @Override
    public Journaled journaled() {
      Map<String, Object> a =
          args(
              "bundle",
              question.bundle(),
              "version",
              question.version(),
              "environment",
              question.environment());
      if (question.candidate() != null) {
        try {
          a.put("blueprint", JSON.readTree(BlueprintParser.toJson(question.candidate())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException("a blueprint always writes as JSON", e);
        }
        a.put("mayValidate", question.mayValidate());
      }
      return Journaled.json("gate.decide", a);
    }
  }

  /** Requests an override of the latest promotion gate DENY of a version in an environment. */
  record RequestGateOverride(
      String environment,
      String bundle,
      String version,
      String justification,
      Instant expiresAt,
      Caller caller)
      implements Command<GateOverride> {
    @Override
    public GateOverride apply(Governor g, StoreWriter w) {
      return g.overrides.request(
          w, environment, bundle, version, justification, expiresAt, caller.user());
    }

    @Override
    public Journaled journaled() {
      return Journaled.json(
          "gate.override.request",
          args(
              "environment", environment,
              "bundle", bundle,
              "version", version,
              "justification", justification,
              "expiresAt", expiresAt));
    }
  }

  /** Signs a pending gate override; the last approval it needs puts it in force. */
  record ApproveGateOverride(String override, String meaning, String comment, Caller caller)
      implements Command<GateOverride> {
    @Override
    public GateOverride apply(Governor g, StoreWriter w) {
      return g.overrides.approve(w, override, meaning, comment, caller.user(), caller.roles());
    }

    @Override
    public Journaled journaled() {
      return Journaled.json(
          "gate.override.approve",
          args("override", override, "meaning", meaning, "comment", comment));
    }
  }

  /** Rejects a pending gate override: the denial stands. */
  record RejectGateOverride(String override, String reason, Caller caller)
      implements Command<GateOverride> {
    @Override
    public GateOverride apply(Governor g, StoreWriter w) {
      return g.overrides.reject(w, override, reason, caller.user(), caller.roles());
    }

    @Override
    public Journaled journaled() {
      return Journaled.json("gate.override.reject", args("override", override, "reason", reason));
    }
  }

  /** Ends the exceptions and environment TTLs that are due (the scheduler's tick). */
  record Expire(Caller caller) implements Command<Dispositions.ExpiryReport> {
    @Override
    public Dispositions.ExpiryReport apply(Governor g, StoreWriter w) {
      return g.dispositions.checkExpiries(w);
    }

    @Override
    public Journaled journaled() {
      return new Journaled("expiry", null, new byte[0]);
    }
  }

  /**
   * Records a change of the ledger's signing key ({@value
   * org.plumbline.ontology.ledger.KeyRotation#ACTION}), signed by the old key. Journaled with its
   * public parts and signature only (never a private key), so a rebuild records it again as it was.
   * Refused with KEY_ROTATION_INVALID when the old key did not sign it or when it does not rotate
   * from the key the ledger's last rotation named. Answers the ledger's length after it.
   */
  record RotateSigningKey(org.plumbline.ontology.ledger.KeyRotation rotation, Caller caller)
      implements Command<Long> {
    public RotateSigningKey {
      Objects.requireNonNull(rotation, "rotation");
    }

    @Override
    public Long apply(Governor g, StoreWriter w) {
      String problem = rotation.problem();
      List<org.plumbline.ontology.AuditRecord> earlier =
          w.auditOfAction(org.plumbline.ontology.ledger.KeyRotation.ACTION);
      if (problem == null && !earlier.isEmpty()) {
        String last = earlier.get(earlier.size() - 1).subject();
        if (!last.equals(rotation.oldFingerprint())) {
          problem =
              "the ledger's signing key is "
                  + last
                  + " since its last rotation; this one rotates from "
                  + rotation.oldFingerprint();
        }
      }
      if (problem != null) {
        throw new org.plumbline.ontology.PlumblineException(
            org.plumbline.ontology.StoreError.KEY_ROTATION_INVALID,
            "key rotation refused: " + problem,
            List.of("/newFingerprint: " + rotation.newFingerprint()));
      }
      w.appendAudit(
          g.clock().instant(),
          caller.user(),
          org.plumbline.ontology.ledger.KeyRotation.ACTION,
          null,
          rotation.newFingerprint(),
          rotation.toJsonText());
      return w.auditCount();
    }

    @Override
    public Journaled journaled() {
      try {
        return new Journaled(
            "audit.key.rotate", "application/json", JSON.writeValueAsBytes(rotation.toJson()));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  // ---- bookkeeping: written through the governor, not inputs, so not journaled ----

  /**
   * Appends audit records that no input caused (refused authentications, a rebuild's end, a rule
   * pack activated); answers the ledger's length after them.
   */
  record RecordAudit(List<AuditEntry> entries, Caller caller) implements Command<Long> {
    public RecordAudit {
      entries = List.copyOf(entries);
    }

    @Override
    public Long apply(Governor g, StoreWriter w) {
      for (AuditEntry e : entries) {
        w.appendAudit(e.at(), e.actor(), e.action(), e.environment(), e.subject(), e.detail());
      }
      return w.auditCount();
    }

    @Override
    public Journaled journaled() {
      return null;
    }
  }

  /** One audit record to append: {@code detail} is a JSON object's text. */
  record AuditEntry(
      Instant at, String actor, String action, String environment, String subject, String detail) {}

  /**
   * Records that a rule pack became active ({@code rulepack.activated}); see {@link
   * org.plumbline.rules.RulePackActivation}.
   */
  record ActivateRulePack(
      org.plumbline.rules.RulePack pack, Instant at, String reason, int testsPassed, Caller caller)
      implements Command<Void> {
    @Override
    public Void apply(Governor g, StoreWriter w) {
      org.plumbline.rules.RulePackActivation.record(
          w, at, caller.user(), pack, reason, testsPassed);
      return null;
    }

    @Override
    public Journaled journaled() {
      return null;
    }
  }

  /**
   * Moves a named delivery cursor (a webhook's position in the ledger). {@code position} null
   * starts a cursor that is not set yet at the ledger's head; answers the cursor's position.
   */
  record MoveCursor(String name, Long position, Caller caller) implements Command<Long> {
    @Override
    public Long apply(Governor g, StoreWriter w) {
      if (position != null) {
        w.putCursor(name, position);
      } else if (w.cursor(name) == 0) {
        w.putCursor(name, w.auditCount());
      }
      return w.cursor(name);
    }

    @Override
    public Journaled journaled() {
      return null;
    }
  }
}
