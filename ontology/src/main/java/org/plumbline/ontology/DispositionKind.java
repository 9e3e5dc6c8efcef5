package org.plumbline.ontology;

/** The three governed answers to a drift. */
public enum DispositionKind {
  /** Put the blueprint value back; Plumbline plans it, the platform team does it. */
  REVERT,
  /** Make the observed value the declared one in a new bundle version. */
  CODIFY,
  /** Tolerate the observed value until an expiry (an exception). */
  ACCEPT
}
