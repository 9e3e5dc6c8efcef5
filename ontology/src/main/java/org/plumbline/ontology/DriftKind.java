package org.plumbline.ontology;

/**
 * What a drift departs from: the blueprint's configuration, a behavioural metric's baseline, or the
 * interval at which the environment is to be observed.
 */
public enum DriftKind {
  /** A key whose observed value differs from the blueprint's (CONTRACT section 1). */
  CONFIG,
  /**
   * A behavioural metric ({@code metrics.<name>}) beyond its threshold in enough consecutive
   * windows to count as persistent.
   */
  METRIC,
  /**
   * An environment not observed for twice its {@code observeEvery} interval (finding {@code
   * STALE_OBSERVATION}, key {@code observation}): its facts are too old to say whether it conforms.
   */
  OBSERVATION
}
