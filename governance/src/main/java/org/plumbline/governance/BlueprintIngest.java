package org.plumbline.governance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.BlueprintProposal;
import org.plumbline.ontology.DispositionStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.SemVer;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.rules.RequiredApprovals;
import org.plumbline.rules.RuleError;

/**
 * Bundle versions in: the first version of a bundle registers its environments; a later one takes
 * effect at once, or is held as a {@link BlueprintProposal} when it changes what a {@code PROD} or
 * {@code REGULATED} environment declares ({@link BlueprintApprovals}). Runs in the caller's write
 * transaction.
 */
final class BlueprintIngest {
  private final Governance governance;
  private final Clock clock;

  BlueprintIngest(Governance governance, Clock clock) {
    this.governance = governance;
    this.clock = clock;
  }

  /**
   * Stores a bundle version. The first version of a bundle registers its environments at once. A
   * later version that changes what an existing {@code PROD} or {@code REGULATED} environment
   * declares (its values, ignore globs, tier, or its removal) is held as a {@link
   * BlueprintProposal} until approved ({@link BlueprintApprovals}); any other takes effect now.
   *
   * @param mayValidate whether the poster may record validations (model-risk, admin): from anyone
   *     else a {@code validated} block is honoured only on a bundle's first version, and the answer
   *     says when it was not
   */
  Governance.IngestResult ingest(
      StoreWriter w, Blueprint posted, String actor, boolean mayValidate) {
    String subject = posted.bundle() + "@" + posted.version();
    Optional<Blueprint> existing = w.blueprint(posted.bundle(), posted.version());
    Optional<BlueprintProposal> proposed = w.blueprintProposal(posted.bundle(), posted.version());
    String storedHash =
        existing
            .map(Blueprint::contentHash)
            .orElse(proposed.map(BlueprintProposal::contentHash).orElse(null));
    if (storedHash != null) {
      if (storedHash.equals(posted.contentHash())) {
        return new Governance.IngestResult(
            true,
            subject,
            Map.of(
                "bundle", posted.bundle(),
                "version", posted.version(),
                "publication",
                    existing.isPresent()
                        ? "PUBLISHED"
                        : proposed.get().status() == DispositionStatus.PENDING
                            ? "PENDING_APPROVAL"
                            : proposed.get().status().name()));
      }
      throw new PlumblineException(
          RuleError.BLUEPRINT_CONFLICT,
          "bundle '"
              + posted.bundle()
              + "' already has version "
              + posted.version()
              + " with other content; publish a new version",
          List.of("/version: " + posted.version()));
    }
    checkOwnership(w, posted);
    Optional<Blueprint> current = w.currentBlueprint(posted.bundle());
    // A bundle's first version is its onboarding: it arrives with the evidence it was
    // declared with (CONTRACT section 2). Later, only a role that records validations may.
    boolean validationIgnored = !mayValidate && posted.validated() != null && current.isPresent();
    Blueprint bp = validationIgnored ? posted.withoutValidation() : posted;
    boolean becomesCurrent =
        current.isEmpty()
            || SemVer.parse(bp.version()).compareTo(SemVer.parse(current.get().version())) >= 0;
    List<BlueprintApprovals.GovernedChange> changes =
        current.isPresent() && becomesCurrent
            ? BlueprintApprovals.governedChanges(w, current.get(), bp)
            : List.of();
    if (!changes.isEmpty()) {
      return propose(w, bp, current.get(), changes, actor, validationIgnored);
    }
    return publish(w, bp, actor, validationIgnored);
  }

  private static void checkOwnership(StoreWriter w, Blueprint bp) {
    List<String> conflicts = new ArrayList<>();
    for (int i = 0; i < bp.environments().size(); i++) {
      EnvironmentSpec spec = bp.environments().get(i);
      int index = i;
      w.environment(spec.id())
          .filter(e -> !e.bundle().equals(bp.bundle()))
          .ifPresent(
              e ->
                  conflicts.add(
                      "/environments/"
                          + index
                          + "/id: '"
                          + e.id()
                          + "' is governed by bundle '"
                          + e.bundle()
                          + "'"));
    }
    if (!conflicts.isEmpty()) {
      throw new PlumblineException(
          RuleError.ENVIRONMENT_CONFLICT, "an environment belongs to one bundle only", conflicts);
    }
  }

  private Governance.IngestResult propose(
      StoreWriter w,
      Blueprint bp,
      Blueprint current,
      List<BlueprintApprovals.GovernedChange> changes,
      String actor,
      boolean validationIgnored) {
    Instant now = clock.instant();
    RequiredApprovals required = BlueprintApprovals.required(changes);
    List<String> reasons = changes.stream().flatMap(c -> c.reasons().stream()).toList();
    BlueprintProposal proposal =
        new BlueprintProposal(
            bp.bundle(),
            bp.version(),
            bp.contentHash(),
            bp,
            actor,
            now,
            reasons,
            required.count(),
            required.roles(),
            List.of(),
            DispositionStatus.PENDING,
            null,
            null);
    w.putBlueprintProposal(proposal);
    String subject = bp.bundle() + "@" + bp.version();
    w.appendAudit(
        now,
        actor,
        "blueprint.proposed",
        null,
        subject,
        Governance.detail(
            "contentHash", bp.contentHash(),
            "current", current.version(),
            "reasons", String.join("; ", reasons),
            "requiredApprovals", required.count(),
            "approverRoles", String.join(" ", required.roles()),
            "validationIgnored", validationIgnored));
    Map<String, Object> summary = new java.util.LinkedHashMap<>();
    summary.put("bundle", bp.bundle());
    summary.put("version", bp.version());
    summary.put("publication", "PENDING_APPROVAL");
    summary.put("currentVersion", current.version());
    summary.put("reasons", reasons);
    summary.put("requiredApprovals", required.count());
    summary.put("approverRoles", required.roles());
    summary.put("validationIgnored", validationIgnored);
    return new Governance.IngestResult(false, subject, summary);
  }

  /**
   * Makes a version the bundle's current one (when it is the highest), registers or updates its
   * environments, and re-derives their drifts against it.
   */
  Governance.IngestResult publish(
      StoreWriter w, Blueprint bp, String actor, boolean validationIgnored) {
    String subject = bp.bundle() + "@" + bp.version();
    Instant now = clock.instant();
    w.putBlueprint(bp, now, actor);
    Blueprint current = w.currentBlueprint(bp.bundle()).orElseThrow();
    List<String> registered = new ArrayList<>();
    for (EnvironmentSpec spec : current.environments()) {
      Optional<Environment> before = w.environment(spec.id());
      Instant registeredAt = before.map(Environment::registeredAt).orElse(now);
      Instant expiresAt =
          before
              .map(Environment::expiresAt)
              .orElse(spec.ttl() == null ? null : registeredAt.plus(spec.ttl()));
      w.putEnvironment(
          new Environment(
              spec.id(),
              spec.name() == null ? spec.id() : spec.name(),
              spec.tier(),
              spec.owner(),
              spec.system(),
              before.map(Environment::status).orElse("ACTIVE"),
              registeredAt,
              expiresAt,
              bp.bundle(),
              current.version()));
      if (before.isEmpty()) {
        registered.add(spec.id());
        w.appendAudit(
            now,
            actor,
            "environment.registered",
            spec.id(),
            spec.id(),
            Governance.detail(
                "tier", spec.tier().name(), "bundle", bp.bundle(), "expiresAt", expiresAt));
      } else if (before.get().tier() != spec.tier()) {
        w.appendAudit(
            now,
            actor,
            "environment.tier.changed",
            spec.id(),
            spec.id(),
            Governance.detail(
                "from", before.get().tier().name(),
                "to", spec.tier().name(),
                "bundle", bp.bundle(),
                "version", current.version()));
      }
    }
    w.appendAudit(
        now,
        actor,
        "blueprint.published",
        null,
        subject,
        Governance.detail(
            "contentHash",
            bp.contentHash(),
            "current",
            current.version(),
            "validated",
            bp.validated() != null,
            "validationIgnored",
            validationIgnored));
    int driftsMoved = 0;
    for (EnvironmentSpec spec : current.environments()) {
      Optional<Snapshot> latest = w.latestSnapshot(spec.id());
      if (latest.isPresent()) {
        driftsMoved += governance.reconcileAgainst(w, current, latest.get(), actor);
      }
    }
    Map<String, Object> summary = new java.util.LinkedHashMap<>();
    summary.put("bundle", bp.bundle());
    summary.put("version", bp.version());
    summary.put("publication", "PUBLISHED");
    summary.put("currentVersion", current.version());
    summary.put("environments", current.environments().size());
    summary.put("registered", registered);
    summary.put("driftsUpdated", driftsMoved);
    summary.put("validationIgnored", validationIgnored);
    return new Governance.IngestResult(false, subject, summary);
  }
}
