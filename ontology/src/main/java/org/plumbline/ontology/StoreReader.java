package org.plumbline.ontology;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read access to the knowledge graph, valid inside one transaction. */
public interface StoreReader {
  List<Environment> environments();

  /** The environments of one tier, found through the tier's index rather than by reading all. */
  List<Environment> environments(Tier tier);

  Optional<Environment> environment(String id);

  /** The newest version of a bundle (highest semantic version). */
  Optional<Blueprint> currentBlueprint(String bundle);

  Optional<Blueprint> blueprint(String bundle, String version);

  /** Every version of a bundle, oldest first by semantic version. */
  List<BundleVersion> bundleVersions(String bundle);

  Optional<Snapshot> snapshot(String contentHash);

  /** The snapshot with the latest {@code observedAt} of an environment. */
  Optional<Snapshot> latestSnapshot(String environment);

  /** The latest snapshot observed strictly before {@code at}. */
  Optional<Snapshot> snapshotBefore(String environment, Instant at);

  /** The earliest snapshot observed strictly after {@code at}. */
  Optional<Snapshot> snapshotAfter(String environment, Instant at);

  /** The latest snapshot observed at or before {@code at}. */
  Optional<Snapshot> snapshotAtOrBefore(String environment, Instant at);

  /** Changes with {@code since <= at < until}, in time order then key order. */
  List<Change> changes(String environment, Instant since, Instant until);

  /** How many changes {@link #changes} would return, without reading them. */
  int changeCount(String environment, Instant since, Instant until);

  /**
   * The drifts of one environment still governed: live ones and accepted exceptions, in the order
   * of {@link #drifts}. Found through their own links, so the cost follows them, not the history.
   */
  List<Drift> activeDrifts(String environment);

  /** The active drifts of one environment on one key (normally at most one). */
  List<Drift> activeDrifts(String environment, String key);

  /** A bundle version held for approval, if one was proposed. */
  Optional<BlueprintProposal> blueprintProposal(String bundle, String version);

  /** Every bundle version proposed for approval, by version. */
  List<BlueprintProposal> blueprintProposals(String bundle);

  /** Every drift of one environment, of every status. */
  List<Drift> drifts(String environment);

  /**
   * Every drift of one environment on one key, of every status, by onset. Reads only those drifts'
   * assessments, but visits the environment's drift links.
   */
  List<Drift> drifts(String environment, String key);

  Optional<Drift> drift(String id);

  /**
   * The summaries of every governed drift (live ones and accepted exceptions) of every environment,
   * in no order: one read of an index kept with the drifts, without their assessments.
   */
  List<DriftSummary> governedDriftSummaries();

  /** The summaries of every drift of one environment, of every status, in no order. */
  List<DriftSummary> driftSummaries(String environment);

  /** The trail of values of a drift since its key last matched the blueprint, oldest first. */
  List<String> driftTrail(String driftId);

  /**
   * The environments whose latest observed value of {@code key} is {@code value} (canonical JSON),
   * sorted: a blast radius, as an index look-up.
   */
  List<String> environmentsWithValue(String key, String value);

  /** The latest observed value of one key in one environment (canonical JSON), if any. */
  Optional<String> currentValue(String environment, String key);

  /** For every environment that currently observes {@code key}: environment id to value. */
  Map<String, String> currentValues(String key);

  /**
   * The keys to re-evaluate when {@code key} changes in {@code environment}: every key that depends
   * on it, directly or through others, over the stored dependency edges of the environment's
   * current bundle version. Sorted, without {@code key} itself; cycles are harmless; empty for an
   * unknown environment or a key nothing depends on.
   */
  List<String> dependents(String key, String environment);

  Optional<ChangeRequest> changeRequest(String id);

  /** The change requests of one environment, by start of window, then id. */
  List<ChangeRequest> changeRequests(String environment);

  /** The versions of a prompt, oldest first by semantic version; empty when none is stored. */
  List<PromptVersion> promptVersions(String id);

  Optional<PromptVersion> promptVersion(String id, String version);

  /**
   * Every registered prompt version (of any prompt) whose text has this {@code sha256:} content
   * hash, by prompt id then semantic version: which evaluations vouch for a text a blueprint
   * declares.
   */
  List<PromptVersion> promptVersionsWithHash(String contentHash);

  Optional<Disposition> disposition(String id);

  Optional<GateOverride> gateOverride(String id);

  /** The overrides of gate denials requested for an environment, oldest first. */
  List<GateOverride> gateOverrides(String environment);

  /** One behavioural metric of an environment, if a baseline was ever posted for it. */
  Optional<MetricSeries> metricSeries(String environment, String metric);

  /** Every behavioural metric of an environment, by name. */
  List<MetricSeries> metricSeriesOf(String environment);

  /** A stored baseline of a metric, by its window label. */
  Optional<MetricBaseline> metricBaseline(String environment, String metric, String window);

  /** The windows of a metric in the order they arrived (by {@code seq}). */
  List<MetricWindow> metricWindows(String environment, String metric);

  /** One window of a metric, by its label. */
  Optional<MetricWindow> metricWindow(String environment, String metric, String window);

  /** A window's values as a canonical JSON array. */
  Optional<String> metricWindowValues(String environment, String metric, String window);

  /** The dispositions requested for one drift, oldest first. */
  List<Disposition> dispositions(String driftId);

  /**
   * A named position in the audit ledger (e.g. how far a webhook has been delivered); 0 if none.
   */
  long cursor(String name);

  /** The audit records with {@code since <= at < until}, optionally of one environment. */
  List<AuditRecord> audit(String environment, Instant since, Instant until);

  /** The audit record with a given sequence number. */
  Optional<AuditRecord> auditRecord(long seq);

  /** The head of one environment's chain in the audit ledger: its last record, if any. */
  Optional<AuditRecord> auditEnvHead(String environment);

  /** The record at position {@code envSeq} (1, 2, ...) among one environment's audit records. */
  Optional<AuditRecord> auditEnvRecord(String environment, long envSeq);

  /**
   * The last audit record (of one environment, or of the ledger when {@code environment} is null)
   * made before {@code when}: what a window's first record must chain to.
   */
  Optional<AuditRecord> auditLastBefore(String environment, Instant when);

  /**
   * The first audit record (of one environment, or of the ledger) made at or after {@code when}:
   * what must chain to a window's last record.
   */
  Optional<AuditRecord> auditFirstAtOrAfter(String environment, Instant when);

  /** The audit records of one action (e.g. the key rotations), in ledger order. */
  List<AuditRecord> auditOfAction(String action);

  /** The number of audit records (the last sequence number). */
  long auditCount();

  /** The Merkle Tree Hash of the whole ledger as it stands. */
  String auditRoot();

  /** The stored checkpoints, smallest first. */
  java.util.List<AuditCheckpoint> auditCheckpoints();
}
