package org.plumbline.ontology;

/** Whether a change request covered a drift's first observation. */
public enum Authorization {
  AUTHORIZED,
  ANOMALOUS
}
