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
   * limits) or did not settle within its firing budget.
   */
  PACK_INCOMPLETE(Kind.UNPROCESSABLE),
  /** A bundle version is already stored with other content. */
  BLUEPRINT_CONFLICT(Kind.CONFLICT),
  /** An environment is already governed by another bundle. */
  ENVIRONMENT_CONFLICT(Kind.CONFLICT),
  /** An environment already has another snapshot observed at the same instant. */
  SNAPSHOT_CONFLICT(Kind.CONFLICT);

  private final Kind kind;

  RuleError(Kind kind) {
    this.kind = kind;
  }

  @Override
  public Kind kind() {
    return kind;
  }
}
