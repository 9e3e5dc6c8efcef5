package org.plumbline.ontology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A bundle version held until approved: it would change what an existing {@code PROD} or {@code
 * REGULATED} environment declares (its values, its tier, its removal). It takes effect, as if
 * posted then, when the last approval arrives; until then the bundle's current version stays.
 *
 * @param reasons what the version changes, one line per environment and kind of change
 * @param status {@code PENDING}, {@code APPROVED} or {@code REJECTED}
 * @param decision who decided and why, once decided
 */
public record BlueprintProposal(
    String bundle,
    String version,
    String contentHash,
    Blueprint blueprint,
    String requestedBy,
    Instant requestedAt,
    List<String> reasons,
    int requiredApprovals,
    List<String> approverRoles,
    List<Approval> approvals,
    DispositionStatus status,
    Instant decidedAt,
    String decision) {

  public BlueprintProposal {
    reasons = List.copyOf(reasons);
    approverRoles = List.copyOf(approverRoles);
    approvals = List.copyOf(approvals);
  }

  public BlueprintProposal approvedBy(Approval approval) {
    List<Approval> more = new ArrayList<>(approvals);
    more.add(approval);
    return new BlueprintProposal(
        bundle,
        version,
        contentHash,
        blueprint,
        requestedBy,
        requestedAt,
        reasons,
        requiredApprovals,
        approverRoles,
        more,
        status,
        decidedAt,
        decision);
  }

  public BlueprintProposal decided(DispositionStatus outcome, Instant at, String why) {
    return new BlueprintProposal(
        bundle,
        version,
        contentHash,
        blueprint,
        requestedBy,
        requestedAt,
        reasons,
        requiredApprovals,
        approverRoles,
        approvals,
        outcome,
        at,
        why);
  }
}
