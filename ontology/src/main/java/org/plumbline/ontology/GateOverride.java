package org.plumbline.ontology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A governed exception to one promotion gate DENY: for one bundle version and one environment, the
 * reasons of the denial it overrides, until it expires, once approved by tier with the same
 * four-eyes rules as a disposition.
 *
 * @param deniedSeq the audit sequence number of the {@code gate.decided} DENY it overrides
 * @param contentHash the content hash of the version (or candidate) that was denied; the override
 *     covers that content only
 * @param overridden the reasons of that DENY: a later DENY for another reason is not covered
 * @param subjectHash what every signature signs (environment, bundle, version, content hash, the
 *     overridden reasons, expiresAt)
 */
public record GateOverride(
    String id,
    String environment,
    String bundle,
    String version,
    DispositionStatus status,
    String requestedBy,
    Instant requestedAt,
    String justification,
    Instant expiresAt,
    long deniedSeq,
    String contentHash,
    List<Reason> overridden,
    int requiredApprovals,
    List<String> approverRoles,
    List<Approval> approvals,
    Instant decidedAt,
    String decision,
    String subjectHash) {

  /** One overridden gate reason: its code, message and subject as the DENY gave them. */
  public record Reason(String code, String message, String subject) {}

  public GateOverride {
    overridden = List.copyOf(overridden);
    approverRoles = List.copyOf(approverRoles);
    approvals = List.copyOf(approvals);
  }

  /** This override with another status, decided at {@code at}. */
  public GateOverride decided(DispositionStatus newStatus, Instant at, String why) {
    return new GateOverride(
        id,
        environment,
        bundle,
        version,
        newStatus,
        requestedBy,
        requestedAt,
        justification,
        expiresAt,
        deniedSeq,
        contentHash,
        overridden,
        requiredApprovals,
        approverRoles,
        approvals,
        at,
        why,
        subjectHash);
  }

  /** This override with one more signature. */
  public GateOverride signedBy(Approval approval) {
    List<Approval> more = new ArrayList<>(approvals);
    more.add(approval);
    return new GateOverride(
        id,
        environment,
        bundle,
        version,
        status,
        requestedBy,
        requestedAt,
        justification,
        expiresAt,
        deniedSeq,
        contentHash,
        overridden,
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

  /** Whether it is approved and not yet expired at {@code now}. */
  public boolean inForceAt(Instant now) {
    return status == DispositionStatus.APPROVED && expiresAt.isAfter(now);
  }
}
