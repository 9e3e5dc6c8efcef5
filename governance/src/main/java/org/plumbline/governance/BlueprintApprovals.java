package org.plumbline.governance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.plumbline.ontology.Approval;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.BlueprintProposal;
import org.plumbline.ontology.DispositionStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.ontology.Tier;
import org.plumbline.rules.RequiredApprovals;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.RulePack;
import org.plumbline.rules.SignatureMeanings;

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
  private final Supplier<RulePack> rulePack;
  private final Clock clock;
  private final Governance governance;

  BlueprintApprovals(Supplier<RulePack> rulePack, Clock clock, Governance governance) {
    this.rulePack = rulePack;
    this.clock = clock;
    this.governance = governance;
  }

  /**
   * What a new version changes for one governed environment.
   *
   * @param newTier the tier the new version declares, null when it removes the environment
   * @param changedKeys declared keys whose value changes
   */
  record GovernedChange(
      String environment, Tier tier, Tier newTier, Set<String> changedKeys, boolean ignoreChanged) {
    boolean removed() {
      return newTier == null;
    }

    /** A tier change or a removal: the environment itself changes, not only its values. */
    boolean structural() {
      return removed() || newTier != tier;
    }

    /** One line per kind of change, for the proposal's reasons. */
    List<String> reasons() {
      List<String> out = new ArrayList<>();
      if (removed()) {
        out.add(environment + " (" + tier + "): removed from the bundle");
        return out;
      }
      if (newTier != tier) {
        out.add(environment + ": tier " + tier + " -> " + newTier);
      }
      if (!changedKeys.isEmpty()) {
        out.add(
            environment
                + " ("
                + tier
                + "): "
                + changedKeys.size()
                + " declared value(s) change: "
                + String.join(", ", changedKeys.stream().limit(10).toList())
                + (changedKeys.size() > 10 ? ", ..." : ""));
      }
      if (ignoreChanged) {
        out.add(environment + " (" + tier + "): ignore globs change");
      }
      return out;
    }
  }

  /** What a new version changes for each governed environment; empty when nothing. */
  static List<GovernedChange> governedChanges(StoreReader r, Blueprint current, Blueprint next) {
    List<GovernedChange> out = new ArrayList<>();
    boolean ignoreChanged = !current.ignore().equals(next.ignore());
    for (EnvironmentSpec spec : current.environments()) {
      Optional<Environment> env = r.environment(spec.id());
      if (env.isEmpty() || !governed(env.get().tier())) {
        continue;
      }
      Optional<EnvironmentSpec> after = next.environment(spec.id());
      GovernedChange change =
          after.isEmpty()
              ? new GovernedChange(spec.id(), env.get().tier(), null, Set.of(), false)
              : new GovernedChange(
                  spec.id(),
                  env.get().tier(),
                  after.get().tier(),
                  changedKeys(current.expectedFor(spec.id()), next.expectedFor(spec.id())),
                  ignoreChanged);
      if (change.structural() || !change.changedKeys().isEmpty() || change.ignoreChanged()) {
        out.add(change);
      }
    }
    return out;
  }

  /** The approvals a proposal needs, from the tiers and the kind of change it makes. */
  static RequiredApprovals required(List<GovernedChange> changes) {
    int count = 0;
    boolean modelRisk = false;
    for (GovernedChange c : changes) {
      boolean regulated = c.tier() == Tier.REGULATED;
      count = Math.max(count, c.structural() || regulated ? 2 : 1);
      modelRisk |= regulated;
    }
    List<String> roles = new ArrayList<>(List.of(Signatures.APPROVER));
    if (modelRisk) {
      roles.add(Signatures.MODEL_RISK);
    }
    return new RequiredApprovals(count, roles);
  }

  /**
   * Signs a pending proposal, as a disposition is signed: a meaning from the pack's vocabulary, an
   * optional comment, the proposal's subject hash (bundle, version and content hash). A meaning
   * that approves counts; the last approval needed publishes the version.
   */
  BlueprintProposal approve(
      StoreWriter w,
      String bundle,
      String version,
      String meaning,
      String comment,
      String user,
      Set<String> roles) {
    BlueprintProposal p = pending(w, bundle, version);
    SignatureMeanings vocabulary = rulePack.get().signatureMeanings();
    SignatureMeanings.Meaning m = Signatures.meaning(vocabulary, meaning);
    String note = Signatures.comment(comment);
    if (p.requestedBy().equals(user)) {
      throw new PlumblineException(
          RuleError.SELF_APPROVAL, user + " proposed " + subject(p) + " and cannot approve it");
    }
    if (p.approvals().stream()
        .anyMatch(
            a -> a.by().equals(user) && (!a.reviewOnly() || a.meaning().equals(m.meaning())))) {
      throw new PlumblineException(
          RuleError.DUPLICATE_APPROVAL, user + " has already signed " + subject(p));
    }
    boolean modelRiskNeeded =
        p.approverRoles().contains(Signatures.MODEL_RISK)
            && p.approvals().stream().noneMatch(a -> Signatures.fulfilsModelRisk(a));
    String role = Signatures.signingRole(roles, m, modelRiskNeeded);
    Instant now = clock.instant();
    Approval approval =
        new Approval(user, role, m.meaning(), now, note, subjectHash(p), !m.approves());
    if (m.approves()
        && modelRiskNeeded
        && !Signatures.fulfilsModelRisk(approval)
        && approvals(p) + 1 >= p.requiredApprovals()) {
      throw new PlumblineException(
          RuleError.MODEL_RISK_APPROVAL_REQUIRED,
          "the last approval of " + subject(p) + " must come from a holder of the role model-risk");
    }
    BlueprintProposal signed = p.approvedBy(approval);
    w.appendAudit(
        now,
        user,
        "blueprint.signed",
        null,
        subject(p),
        Governance.detail(
            "role", role,
            "meaning", m.meaning(),
            "countsAsApproval", m.approves(),
            "comment", note,
            "subjectHash", subjectHash(p),
            "approvals", approvals(signed),
            "required", p.requiredApprovals()));
    if (approvals(signed) < p.requiredApprovals()) {
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
        Governance.detail("requestedBy", p.requestedBy(), "approvals", approvals(signed)));
    if (w.blueprint(p.bundle(), p.version()).isPresent()) {
      return approved;
    }
    governance.publish(w, p.blueprint(), p.requestedBy(), false);
    return approved;
  }

  /** What a signature on a proposal signs: the bundle, the version and its content hash. */
  public static String subjectHash(BlueprintProposal p) {
    return "sha256:"
        + Hashing.sha256Hex(
            "plumbline.blueprint.v1;" + p.bundle() + ";" + p.version() + ";" + p.contentHash());
  }

  private static long approvals(BlueprintProposal p) {
    return p.approvals().stream().filter(a -> !a.reviewOnly()).count();
  }

  /** Rejects a pending proposal: the bundle's current version stays. */
  BlueprintProposal reject(
      StoreWriter w, String bundle, String version, String reason, String user, Set<String> roles) {
    BlueprintProposal p = pending(w, bundle, version);
    requireText(reason, "reason");
    Signatures.signingRole(roles, null, false);
    if (p.requestedBy().equals(user)) {
      throw new PlumblineException(
          RuleError.SELF_APPROVAL, user + " proposed " + subject(p) + " and cannot decide it");
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
