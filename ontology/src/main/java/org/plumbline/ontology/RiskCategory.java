package org.plumbline.ontology;

/** Risk category of a drift (CONTRACT section 3). */
public enum RiskCategory {
  SECURITY,
  GOVERNANCE,
  RELIABILITY,
  COST
}
