package org.plumbline.ontology;

import java.time.Instant;
import java.util.List;

/** Write access to the knowledge graph, valid inside one write transaction. */
public interface StoreWriter extends StoreReader {
  /** Stores a bundle version; the highest semantic version becomes the bundle's current one. */
  void putBlueprint(Blueprint blueprint, Instant at, String actor);

  /** Creates or replaces an environment's description. */
  void putEnvironment(Environment environment);

  /** Stores a snapshot; it becomes the environment's latest if it is the newest observed. */
  void putSnapshot(Snapshot snapshot);

  /** Stores the changes a snapshot produced against its predecessor. */
  void putChanges(Snapshot producedBy, List<Change> changes);

  /** Removes the changes a snapshot produced (when a backfilled snapshot slots in before it). */
  void removeChangesProducedBy(Snapshot producedBy);

  /** Creates or replaces a bundle version held for approval. */
  void putBlueprintProposal(BlueprintProposal proposal);

  /** Creates or replaces a drift. */
  void putDrift(Drift drift, List<String> trail);

  /**
   * Removes a derived drift that a re-derivation superseded (a backfill moved its onset). Its
   * ledger records stay: the ledger records what was believed when.
   */
  void removeDrift(String id);

  /** Stores a change request and links it to its environment; {@code at} is when it arrived. */
  void putChangeRequest(ChangeRequest request, Instant at, String actor);

  /** Stores a prompt version under its prompt; {@code at} is when it was registered. */
  void putPromptVersion(PromptVersion version, Instant at, String actor);

  /** Creates or replaces a disposition (and links it to its drift). */
  void putDisposition(Disposition disposition);

  /** Creates or replaces an override of a promotion gate denial (linked to its environment). */
  void putGateOverride(GateOverride override);

  /**
   * Stores a metric baseline (its values content-addressed, so a baseline made of a window shares
   * the window's values).
   */
  void putMetricBaseline(MetricBaseline baseline);

  /**
   * Creates or replaces a metric series: its kind, current baseline (stored with {@link
   * #putMetricBaseline} first) and tracker state.
   */
  void putMetricSeries(MetricSeries series);

  /** Stores one window of a metric with its results and its values (a canonical JSON array). */
  void putMetricWindow(MetricWindow window, String values);

  /** Records validation evidence for a stored bundle version. */
  void recordValidation(String bundle, String version, Validation validation);

  void putCursor(String name, long position);

  /**
   * Appends one record to the audit ledger, chained to the previous one. The ledger never goes back
   * in time: {@code at} is raised to the previous record's instant if the clock stepped back.
   */
  AuditRecord appendAudit(
      Instant at, String actor, String action, String environment, String subject, String detail);
}
