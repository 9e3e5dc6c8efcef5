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
 * @param subjectHash SHA-256 over what the disposition is about, as it stood when it was requested
 *     (drift id, kind, expected and observed value, expiresAt): every signature signs it, and a
 *     drift that no longer hashes to it makes the disposition stale; null for dispositions
 *     requested before signatures were bound to their subject
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
    String decision,
    String subjectHash) {

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
        why,
        subjectHash);
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
        decision,
        subjectHash);
  }

  /** The signatures that count towards {@link #requiredApprovals} (not review-only ones). */
  public long approvalCount() {
    return approvals.stream().filter(a -> !a.reviewOnly()).count();
  }
}
