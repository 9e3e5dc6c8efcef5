package org.plumbline.ontology.internal;

import java.time.Instant;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.Tier;

/**
 * What a store may fetch, in one request, before the mappers walk the graph for a read: nothing on
 * a store in the process ({@link #NONE}); on a shared store, the part of the graph the read will
 * walk ({@link RemoteReadAhead}). It changes no answer, only how many round trips it costs: the
 * mappers read the same statements either way.
 */
interface ReadAhead {
  ReadAhead NONE = new ReadAhead() {};

  /** Before {@link ChangeSets#changes}. */
  default void changes(String environment, Instant since, Instant until) {}

  /** Before {@link ChangeSets#count}. */
  default void changeCount(String environment, Instant since, Instant until) {}

  /** Before {@link Snapshots#put}, which moves the environment's current values. */
  default void putSnapshot(Snapshot snapshot) {}

  /** Before {@link Environments#of} ({@code tier} given) or {@link Environments#all} (null). */
  default void environments(Tier tier) {}
}
