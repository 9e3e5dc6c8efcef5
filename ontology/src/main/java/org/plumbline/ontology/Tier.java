package org.plumbline.ontology;

/** Environment tier, in increasing order of the governance it needs. */
public enum Tier {
  DEV,
  STAGING,
  PROD,
  REGULATED
}
