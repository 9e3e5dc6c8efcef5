package org.plumbline.rules;

import org.plumbline.ontology.ErrorCode;

/** Error codes of the governance engine and its rule packs. */
public enum RuleError implements ErrorCode {
  /** A pack file does not compile; each detail is {@code file:line: message}. */
  PACK_COMPILE_FAILED(Kind.UNPROCESSABLE),
  /** The pack compiled to no rules at all (e.g. a decision table not named {@code *.drl.csv}). */
  PACK_EMPTY(Kind.UNPROCESSABLE),
  /** The pack folder does not exist. */
  PACK_NOT_FOUND(Kind.NOT_FOUND),
  /** Golden cases of the pack failed; each detail is one failing case. */
  PACK_TEST_FAILED(Kind.UNPROCESSABLE),
  /** A golden case file cannot be read as cases; each detail names file, case and problem. */
  INVALID_TEST_CASE(Kind.INVALID),
  /**
   * The pack compiled but left a required answer undecided (risk category, severity, approvals,
   * limits, metric thresholds), decided contradictory metric thresholds, or did not settle within
   * its firing budget.
   */
  PACK_INCOMPLETE(Kind.UNPROCESSABLE),
  /** A bundle version is already stored with other content. */
  BLUEPRINT_CONFLICT(Kind.CONFLICT),
  /** An environment is already governed by another bundle. */
  ENVIRONMENT_CONFLICT(Kind.CONFLICT),
  /** An environment already has another snapshot observed at the same instant. */
  SNAPSHOT_CONFLICT(Kind.CONFLICT),
  /**
   * A snapshot observed more than a day after the server's clock: a broken clock or forged data.
   */
  SNAPSHOT_FROM_THE_FUTURE(Kind.INVALID),
  /** A change request id is already stored with other content (requests are immutable). */
  CHANGE_REQUEST_CONFLICT(Kind.CONFLICT),
  /**
   * A change request's window is longer than the policy allows ({@link
   * Governance#LONGEST_CHANGE_WINDOW}): a window from 1970 to 9999 would authorize anything.
   */
  CHANGE_WINDOW_TOO_LONG(Kind.UNPROCESSABLE),
  /** A prompt version is already stored with other content: publish a new version. */
  PROMPT_CONFLICT(Kind.CONFLICT),
  /** No drift has that id. */
  DRIFT_NOT_FOUND(Kind.NOT_FOUND),
  /** No disposition has that id. */
  DISPOSITION_NOT_FOUND(Kind.NOT_FOUND),
  /** No stored version of that bundle. */
  UNKNOWN_BUNDLE_VERSION(Kind.NOT_FOUND),
  /** The request is incomplete or contradictory (no justification, no or past expiry). */
  INVALID_DISPOSITION(Kind.INVALID),
  /** The drift or disposition is not in a state that allows this step; nothing changed. */
  ILLEGAL_TRANSITION(Kind.CONFLICT),
  /** Requesters never approve or reject their own request. */
  SELF_APPROVAL(Kind.UNPROCESSABLE),
  /** Each approver signs once; approvals must come from distinct people. */
  DUPLICATE_APPROVAL(Kind.UNPROCESSABLE),
  /** The caller holds neither {@code approver} nor {@code model-risk}. */
  NOT_AN_APPROVER(Kind.FORBIDDEN),
  /**
   * A signature's meaning is not one the rule pack declares (details: the allowed meanings), or a
   * comment is too long.
   */
  MEANING_NOT_ALLOWED(Kind.INVALID),
  /**
   * What the disposition is about changed while it was pending (the drift's observed or expected
   * value): no signature can apply it any more; request a new disposition.
   */
  DISPOSITION_STALE(Kind.CONFLICT),
  /**
   * In REGULATED, one approval must come from a holder of the role {@code model-risk}, signed in
   * that role.
   */
  MODEL_RISK_APPROVAL_REQUIRED(Kind.UNPROCESSABLE),
  /** An ACCEPT runs longer than the tier's policy allows. */
  EXCEPTION_TOO_LONG(Kind.UNPROCESSABLE),
  /** A TTL extension reaches further than the tier's policy allows. */
  EXTENSION_TOO_LONG(Kind.UNPROCESSABLE),
  /**
   * The observed state cannot be written as a blueprint (a key removed in one of several
   * environments).
   */
  CODIFY_UNSUPPORTED(Kind.UNPROCESSABLE),
  /** No override of a promotion gate denial has this id. */
  GATE_OVERRIDE_NOT_FOUND(Kind.NOT_FOUND),
  /**
   * An override request is malformed: a blank justification, or an expiry that is missing or not in
   * the future.
   */
  INVALID_GATE_OVERRIDE(Kind.INVALID),
  /**
   * There is no denial to override: no promotion gate decision for this version and environment in
   * the last 30 days, or the latest one allowed.
   */
  NOTHING_TO_OVERRIDE(Kind.UNPROCESSABLE),
  /**
   * An override of the same denial is already pending or in force for this version and environment.
   */
  GATE_OVERRIDE_CONFLICT(Kind.CONFLICT);

  private final Kind kind;

  RuleError(Kind kind) {
    this.kind = kind;
  }

  @Override
  public Kind kind() {
    return kind;
  }
}
