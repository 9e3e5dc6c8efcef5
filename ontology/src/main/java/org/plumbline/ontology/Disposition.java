package org.plumbline.ontology;

import java.time.Instant;
import java.util.List;

/**
 * A governed answer to one drift and its approvals.
 *
 * @param requiredApprovals how many distinct approvers the policy asked for when it was requested
 * @param approverRoles the roles the policy asked for; {@code model-risk} means one approval must
 *     be signed in that role
 * @param expiresAt for ACCEPT: when the exception ends
 * @param decision who rejected and why, or null
 */
public record Disposition(
    String id,
    String drift,
    String environment,
    DispositionKind kind,
    DispositionStatus status,
    String requestedBy,
    Instant requestedAt,
    String justification,
    Instant expiresAt,
    int requiredApprovals,
    List<String> approverRoles,
    List<Approval> approvals,
    Instant decidedAt,
    String decision) {

  public Disposition {
    approverRoles = List.copyOf(approverRoles);
    approvals = List.copyOf(approvals);
  }

  /** This disposition with another status, decided at {@code at}. */
  public Disposition decided(DispositionStatus newStatus, Instant at, String why) {
    return new Disposition(
        id,
        drift,
        environment,
        kind,
        newStatus,
        requestedBy,
        requestedAt,
        justification,
        expiresAt,
        requiredApprovals,
        approverRoles,
        approvals,
        at,
        why);
  }

  /** This disposition with one more approval. */
  public Disposition approvedBy(Approval approval) {
    List<Approval> more = new java.util.ArrayList<>(approvals);
    more.add(approval);
    return new Disposition(
        id,
        drift,
        environment,
        kind,
        status,
        requestedBy,
        requestedAt,
        justification,
        expiresAt,
        requiredApprovals,
        approverRoles,
        more,
        decidedAt,
        decision);
  }
}
