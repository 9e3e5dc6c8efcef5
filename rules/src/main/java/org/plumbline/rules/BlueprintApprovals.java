package org.plumbline.rules;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.plumbline.ontology.Approval;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.BlueprintProposal;
import org.plumbline.ontology.DispositionStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.ontology.Tier;

/**
 * Blueprints are governed too: a version that changes what an existing {@code PROD} or {@code
 * REGULATED} environment declares is held until approved, with the same four-eyes rules as a
 * disposition. Approvals needed:
 *
 * <ul>
 *   <li>changed values or ignore globs of a {@code PROD} environment: 1 approver;
 *   <li>of a {@code REGULATED} environment: 2, one of them {@code model-risk};
 *   <li>a tier change or the removal of a {@code PROD} or {@code REGULATED} environment: 2 (one
 *       {@code model-risk} when a {@code REGULATED} environment is involved).
 * </ul>
 *
 * The poster never approves; the last approval that completes a {@code REGULATED} change comes from
 * a model-risk approver; the version takes effect in the transaction of the last approval.
 */
public final class BlueprintApprovals {
  private final GraphStore store;
  private final Clock clock;
  private final Governance governance;

  public BlueprintApprovals(GraphStore store, Clock clock, Governance governance) {
    this.store = store;
    this.clock = clock;
    this.governance = governance;
  }

  /** What a new version changes for governed environments, one line each; empty when nothing. */
  static List<String> governedChanges(StoreReader r, Blueprint current, Blueprint next) {
    List<String> reasons = new ArrayList<>();
    for (EnvironmentSpec spec : current.environments()) {
      Optional<Environment> env = r.environment(spec.id());
      if (env.isEmpty() || !governed(env.get().tier())) {
        continue;
      }
      Optional<EnvironmentSpec> after = next.environment(spec.id());
      if (after.isEmpty()) {
        reasons.add(spec.id() + " (" + env.get().tier() + "): removed from the bundle");
        continue;
      }
      if (after.get().tier() != env.get().tier()) {
        reasons.add(spec.id() + ": tier " + env.get().tier() + " -> " + after.get().tier());
      }
      Set<String> changed =
          changedKeys(current.expectedFor(spec.id()), next.expectedFor(spec.id()));
      if (!changed.isEmpty()) {
        reasons.add(
            spec.id()
                + " ("
                + env.get().tier()
                + "): "
                + changed.size()
                + " declared value(s) change: "
                + String.join(", ", changed.stream().limit(10).toList())
                + (changed.size() > 10 ? ", ..." : ""));
      }
      if (!current.ignore().equals(next.ignore())) {
        reasons.add(spec.id() + " (" + env.get().tier() + "): ignore globs change");
      }
    }
    return reasons;
  }

  /** The approvals a proposal needs, from the tiers and the kind of change it makes. */
  static RequiredApprovals required(StoreReader r, Blueprint current, Blueprint next) {
    int count = 0;
    boolean modelRisk = false;
    for (EnvironmentSpec spec : current.environments()) {
      Environment env = r.environment(spec.id()).orElse(null);
      if (env == null || !governed(env.tier())) {
        continue;
      }
      Optional<EnvironmentSpec> after = next.environment(spec.id());
      boolean structural = after.isEmpty() || after.get().tier() != env.tier();
      boolean values =
          after.isPresent()
              && (!changedKeys(current.expectedFor(spec.id()), next.expectedFor(spec.id()))
                      .isEmpty()
                  || !current.ignore().equals(next.ignore()));
      if (!structural && !values) {
        continue;
      }
      boolean regulated = env.tier() == Tier.REGULATED;
      count = Math.max(count, structural || regulated ? 2 : 1);
      modelRisk |= regulated;
    }
    List<String> roles = new ArrayList<>(List.of(Dispositions.APPROVER));
    if (modelRisk) {
      roles.add(Dispositions.MODEL_RISK);
    }
    return new RequiredApprovals(count, roles);
  }

  /** Signs a pending proposal; the last approval needed publishes the version. */
  public BlueprintProposal approve(
      String bundle, String version, String meaning, String user, Set<String> roles) {
    return store.write(
        w -> {
          BlueprintProposal p = pending(w, bundle, version);
          requireText(meaning, "meaning");
          if (p.requestedBy().equals(user)) {
            throw new PlumblineException(
                RuleError.SELF_APPROVAL,
                user + " proposed " + subject(p) + " and cannot approve it");
          }
          if (p.approvals().stream().anyMatch(a -> a.by().equals(user))) {
            throw new PlumblineException(
                RuleError.DUPLICATE_APPROVAL, user + " has already approved " + subject(p));
          }
          boolean modelRiskNeeded =
              p.approverRoles().contains(Dispositions.MODEL_RISK)
                  && p.approvals().stream()
                      .noneMatch(a -> a.role().equals(Dispositions.MODEL_RISK));
          String role = signingRole(roles, modelRiskNeeded);
          if (modelRiskNeeded
              && !role.equals(Dispositions.MODEL_RISK)
              && p.approvals().size() + 1 >= p.requiredApprovals()) {
            throw new PlumblineException(
                RuleError.MODEL_RISK_APPROVAL_REQUIRED,
                "the last approval of " + subject(p) + " must come from a model-risk approver");
          }
          Instant now = clock.instant();
          BlueprintProposal signed = p.approvedBy(new Approval(user, role, meaning.strip(), now));
          w.appendAudit(
              now,
              user,
              "blueprint.signed",
              null,
              subject(p),
              Governance.detail(
                  "role", role,
                  "meaning", meaning.strip(),
                  "approvals", signed.approvals().size(),
                  "required", p.requiredApprovals()));
          if (signed.approvals().size() < p.requiredApprovals()) {
            w.putBlueprintProposal(signed);
            return signed;
          }
          BlueprintProposal approved = signed.decided(DispositionStatus.APPROVED, now, null);
          w.putBlueprintProposal(approved);
          w.appendAudit(
              now,
              user,
              "blueprint.approved",
              null,
              subject(p),
              Governance.detail(
                  "requestedBy", p.requestedBy(), "approvals", signed.approvals().size()));
          if (w.blueprint(p.bundle(), p.version()).isPresent()) {
            return approved;
          }
          governance.publish(w, p.blueprint(), p.requestedBy(), false);
          return approved;
        });
  }

  /** Rejects a pending proposal: the bundle's current version stays. */
  public BlueprintProposal reject(
      String bundle, String version, String reason, String user, Set<String> roles) {
    return store.write(
        w -> {
          BlueprintProposal p = pending(w, bundle, version);
          requireText(reason, "reason");
          signingRole(roles, false);
          if (p.requestedBy().equals(user)) {
            throw new PlumblineException(
                RuleError.SELF_APPROVAL,
                user + " proposed " + subject(p) + " and cannot decide it");
          }
          Instant now = clock.instant();
          BlueprintProposal rejected =
              p.decided(DispositionStatus.REJECTED, now, user + ": " + reason.strip());
          w.putBlueprintProposal(rejected);
          w.appendAudit(
              now,
              user,
              "blueprint.rejected",
              null,
              subject(p),
              Governance.detail("reason", reason.strip()));
          return rejected;
        });
  }

  private static BlueprintProposal pending(StoreWriter w, String bundle, String version) {
    BlueprintProposal p =
        w.blueprintProposal(bundle, version)
            .orElseThrow(
                () ->
                    new PlumblineException(
                        RuleError.UNKNOWN_BUNDLE_VERSION,
                        "no proposed version " + version + " of bundle '" + bundle + "'",
                        List.of("bundle: " + bundle, "version: " + version)));
    if (p.status() != DispositionStatus.PENDING) {
      throw new PlumblineException(
          RuleError.ILLEGAL_TRANSITION,
          subject(p) + " is " + p.status() + ", not pending",
          List.of("status: " + p.status()));
    }
    return p;
  }

  private static String signingRole(Set<String> roles, boolean modelRiskNeeded) {
    if (modelRiskNeeded && roles.contains(Dispositions.MODEL_RISK)) {
      return Dispositions.MODEL_RISK;
    }
    if (roles.contains(Dispositions.APPROVER) || roles.contains("admin")) {
      return Dispositions.APPROVER;
    }
    if (roles.contains(Dispositions.MODEL_RISK)) {
      return Dispositions.MODEL_RISK;
    }
    throw new PlumblineException(
        RuleError.NOT_AN_APPROVER, "approving or rejecting needs the role approver or model-risk");
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new PlumblineException(
          RuleError.INVALID_DISPOSITION, name + " must not be blank", List.of(name));
    }
  }

  private static boolean governed(Tier tier) {
    return tier == Tier.PROD || tier == Tier.REGULATED;
  }

  private static Set<String> changedKeys(FlatConfig before, FlatConfig after) {
    Set<String> keys = new TreeSet<>(before.values().keySet());
    keys.addAll(after.values().keySet());
    keys.removeIf(k -> Objects.equals(before.get(k), after.get(k)));
    return keys;
  }

  private static String subject(BlueprintProposal p) {
    return p.bundle() + "@" + p.version();
  }
}
