package org.plumbline.ontology;

/** What a drift departs from: the blueprint's configuration, or a behavioural metric's baseline. */
public enum DriftKind {
  /** A key whose observed value differs from the blueprint's (CONTRACT section 1). */
  CONFIG,
  /**
   * A behavioural metric ({@code metrics.<name>}) beyond its threshold in enough consecutive
   * windows to count as persistent.
   */
  METRIC
}
