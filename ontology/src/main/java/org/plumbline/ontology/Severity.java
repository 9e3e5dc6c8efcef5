package org.plumbline.ontology;

/** Severity of a drift, ordered. */
public enum Severity {
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  /** This severity raised by {@code steps}, capped at {@link #CRITICAL}. */
  public Severity raisedBy(int steps) {
    return values()[Math.min(CRITICAL.ordinal(), ordinal() + Math.max(0, steps))];
  }
}
