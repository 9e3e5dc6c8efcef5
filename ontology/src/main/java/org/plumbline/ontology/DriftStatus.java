package org.plumbline.ontology;

/** Lifecycle of a drift. */
public enum DriftStatus {
  OPEN,
  PENDING_APPROVAL,
  REVERT_APPROVED,
  REVERTED,
  CODIFIED,
  EXCEPTED,
  RESOLVED;

  /** Whether the drift is still live, i.e. a new snapshot can move or resolve it. */
  public boolean isLive() {
    return this == OPEN || this == PENDING_APPROVAL || this == REVERT_APPROVED;
  }
}
