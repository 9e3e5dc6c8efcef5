package org.plumbline.ontology;

import java.time.Instant;

/**
 * One signature on a disposition (21 CFR 11.50): who, in which role, what the signature means (a
 * meaning from the rule pack's vocabulary), when, an optional comment, and the hash of what was
 * signed.
 *
 * @param reviewOnly true for a signature whose meaning does not count as an approval ("reviewed")
 * @param subjectHash the disposition's {@code subjectHash} the signer saw and signed; null only for
 *     signatures recorded before signatures were bound to their subject
 */
public record Approval(
    String by,
    String role,
    String meaning,
    Instant at,
    String comment,
    String subjectHash,
    boolean reviewOnly) {

  /** An approval counting towards the required number, with no comment nor subject hash. */
  public Approval(String by, String role, String meaning, Instant at) {
    this(by, role, meaning, at, null, null, false);
  }
}
