package org.plumbline.ontology.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.jena.graph.Graph;
import org.apache.jena.sparql.graph.GraphFactory;
import org.plumbline.ontology.AuditCheckpoint;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.BlueprintProposal;
import org.plumbline.ontology.BundleVersion;
import org.plumbline.ontology.Change;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.Disposition;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftSummary;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.GateOverride;
import org.plumbline.ontology.MetricBaseline;
import org.plumbline.ontology.MetricSeries;
import org.plumbline.ontology.MetricWindow;
import org.plumbline.ontology.PromptVersion;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.ontology.Tier;
import org.plumbline.ontology.Validation;

/**
 * The store API inside one transaction the caller holds: each aggregate's records are read and
 * written by its own mapper ({@link Environments}, {@link Bundles}, {@link Snapshots}, {@link
 * ChangeSets}, {@link CurrentValues}, {@link Drifts}, {@link Dispositions}, {@link ChangeRequests},
 * {@link Prompts}, {@link Metrics}, {@link Cursors}, {@link Ledger}) over the same {@link Triples};
 * this class only routes the calls.
 *
 * <p>Fact writes also go to {@code written}, which holds the statements this transaction added and
 * still holds, for validation before commit (null in a read transaction); index writes go to the
 * graph only (see {@link Facts} and {@link Index}).
 */
final class GraphAccess implements StoreWriter {
  private final Triples triples;
  private final Environments environments;
  private final Bundles bundles;
  private final Snapshots snapshots;
  private final ChangeSets changeSets;
  private final CurrentValues currentValues;
  private final Drifts drifts;
  private final Dispositions dispositions;
  private final GateOverrides gateOverrides;
  private final ChangeRequests changeRequests;
  private final Prompts prompts;
  private final Metrics metrics;
  private final Cursors cursors;
  private final Ledger ledger;
  private final ReadAhead ahead;

  GraphAccess(Graph graph, Graph written, DecodedValues decoded) {
    this(graph, written, decoded, ReadAhead.NONE);
  }

  /**
   * @param ahead fetches what a read will walk before it walks it (a shared store)
   */
  GraphAccess(Graph graph, Graph written, DecodedValues decoded, ReadAhead ahead) {
    this.ahead = ahead;
    triples = new Triples(graph, written);
    TimeIndex time = new TimeIndex(triples);
    environments = new Environments(triples, decoded);
    bundles = new Bundles(triples, decoded);
    currentValues = new CurrentValues(triples);
    snapshots = new Snapshots(triples, time, currentValues, decoded);
    changeSets = new ChangeSets(triples, time);
    drifts = new Drifts(triples);
    dispositions = new Dispositions(triples);
    gateOverrides = new GateOverrides(triples);
    changeRequests = new ChangeRequests(triples);
    prompts = new Prompts(triples);
    metrics = new Metrics(triples);
    cursors = new Cursors(triples);
    ledger = new Ledger(triples);
  }

  /**
   * One write's work on {@code graph}, inside a transaction the caller holds: the work runs, what
   * it kept back to write once (the ledger's heads) is written, and what it wrote is validated
   * against the SHACL shapes (a violation throws, and the caller aborts). Every store's write and
   * rehearsal goes through here.
   */
  static <T> T write(
      Graph graph, DecodedValues decoded, ReadAhead ahead, Function<StoreWriter, T> work) {
    Graph written = GraphFactory.createGraphMem();
    GraphAccess access = new GraphAccess(graph, written, decoded, ahead);
    T result = work.apply(access);
    access.ledger.flush();
    TdbGraphStore.validate(written);
    return result;
  }

  /** See {@link StoreFormat#check}. */
  void checkFormat(String location) {
    StoreFormat.check(triples, location);
  }

  // ---- environments ----

  @Override
  public List<Environment> environments() {
    ahead.environments(null);
    return environments.all();
  }

  @Override
  public List<Environment> environments(Tier tier) {
    ahead.environments(tier);
    return environments.of(tier);
  }

  @Override
  public Optional<Environment> environment(String id) {
    return environments.get(id);
  }

  @Override
  public void putEnvironment(Environment e) {
    environments.put(e);
  }

  // ---- bundles, blueprints, proposals ----

  @Override
  public void putBlueprint(Blueprint bp, Instant at, String actor) {
    bundles.put(bp, at, actor);
  }

  @Override
  public List<String> dependents(String key, String environment) {
    return bundles.dependents(key, environment);
  }

  @Override
  public Optional<Blueprint> currentBlueprint(String bundle) {
    return bundles.current(bundle);
  }

  @Override
  public Optional<Blueprint> blueprint(String bundle, String version) {
    return bundles.get(bundle, version);
  }

  @Override
  public List<BundleVersion> bundleVersions(String bundle) {
    return bundles.versions(bundle);
  }

  @Override
  public void recordValidation(String bundle, String version, Validation validation) {
    bundles.recordValidation(bundle, version, validation);
  }

  @Override
  public void putBlueprintProposal(BlueprintProposal p) {
    bundles.putProposal(p);
  }

  @Override
  public Optional<BlueprintProposal> blueprintProposal(String bundle, String version) {
    return bundles.proposal(bundle, version);
  }

  @Override
  public List<BlueprintProposal> blueprintProposals(String bundle) {
    return bundles.proposals(bundle);
  }

  // ---- snapshots and current values ----

  @Override
  public Optional<Snapshot> snapshot(String contentHash) {
    return snapshots.snapshot(contentHash);
  }

  @Override
  public void putSnapshot(Snapshot snap) {
    ahead.putSnapshot(snap);
    snapshots.put(snap);
  }

  @Override
  public Optional<Snapshot> latestSnapshot(String environment) {
    return snapshots.latest(environment);
  }

  @Override
  public Optional<Snapshot> snapshotBefore(String environment, Instant at) {
    return snapshots.before(environment, at);
  }

  @Override
  public Optional<Snapshot> snapshotAtOrBefore(String environment, Instant at) {
    return snapshots.atOrBefore(environment, at);
  }

  @Override
  public Optional<Snapshot> snapshotAfter(String environment, Instant at) {
    return snapshots.after(environment, at);
  }

  @Override
  public Optional<String> currentValue(String environment, String key) {
    return currentValues.of(environment, key);
  }

  @Override
  public List<String> environmentsWithValue(String key, String value) {
    return currentValues.environmentsWithValue(key, value);
  }

  @Override
  public Map<String, String> currentValues(String key) {
    return currentValues.byEnvironment(key);
  }

  // ---- changes ----

  @Override
  public void putChanges(Snapshot producer, List<Change> changes) {
    changeSets.put(producer, changes);
  }

  @Override
  public void removeChangesProducedBy(Snapshot producer) {
    changeSets.removeProducedBy(producer);
  }

  @Override
  public List<Change> changes(String environment, Instant since, Instant until) {
    ahead.changes(environment, since, until);
    return changeSets.changes(environment, since, until);
  }

  @Override
  public int changeCount(String environment, Instant since, Instant until) {
    ahead.changeCount(environment, since, until);
    return changeSets.count(environment, since, until);
  }

  // ---- drifts ----

  @Override
  public void putDrift(Drift d, List<String> trail) {
    drifts.put(d, trail);
  }

  @Override
  public void removeDrift(String id) {
    drifts.remove(id);
  }

  @Override
  public List<Drift> activeDrifts(String environment) {
    return drifts.active(environment);
  }

  @Override
  public List<Drift> activeDrifts(String environment, String key) {
    return drifts.active(environment, key);
  }

  @Override
  public List<Drift> drifts(String environment) {
    return drifts.of(environment);
  }

  @Override
  public List<Drift> drifts(String environment, String key) {
    return drifts.of(environment, key);
  }

  @Override
  public List<DriftSummary> governedDriftSummaries() {
    return drifts.governedSummaries();
  }

  @Override
  public List<DriftSummary> driftSummaries(String environment) {
    return drifts.summaries(environment);
  }

  @Override
  public Optional<Drift> drift(String id) {
    return drifts.get(id);
  }

  @Override
  public List<String> driftTrail(String driftId) {
    return drifts.trail(driftId);
  }

  // ---- dispositions, change requests, prompts ----

  @Override
  public void putDisposition(Disposition d) {
    dispositions.put(d);
  }

  @Override
  public Optional<Disposition> disposition(String id) {
    return dispositions.get(id);
  }

  @Override
  public List<Disposition> dispositions(String driftId) {
    return dispositions.of(driftId);
  }

  @Override
  public void putGateOverride(GateOverride o) {
    gateOverrides.put(o);
  }

  @Override
  public Optional<GateOverride> gateOverride(String id) {
    return gateOverrides.get(id);
  }

  @Override
  public List<GateOverride> gateOverrides(String environment) {
    return gateOverrides.of(environment);
  }

  @Override
  public void putChangeRequest(ChangeRequest r, Instant at, String actor) {
    changeRequests.put(r, at, actor);
  }

  @Override
  public Optional<ChangeRequest> changeRequest(String id) {
    return changeRequests.get(id);
  }

  @Override
  public List<ChangeRequest> changeRequests(String environment) {
    return changeRequests.of(environment);
  }

  @Override
  public void putPromptVersion(PromptVersion pv, Instant at, String actor) {
    prompts.put(pv, at, actor);
  }

  @Override
  public List<PromptVersion> promptVersions(String id) {
    return prompts.versions(id);
  }

  @Override
  public Optional<PromptVersion> promptVersion(String id, String version) {
    return prompts.version(id, version);
  }

  @Override
  public List<PromptVersion> promptVersionsWithHash(String contentHash) {
    return prompts.withHash(contentHash);
  }

  // ---- behavioural metrics ----

  @Override
  public Optional<MetricSeries> metricSeries(String environment, String metric) {
    return metrics.series(environment, metric);
  }

  @Override
  public List<MetricSeries> metricSeriesOf(String environment) {
    return metrics.seriesOf(environment);
  }

  @Override
  public void putMetricSeries(MetricSeries series) {
    metrics.putSeries(series);
  }

  @Override
  public Optional<MetricBaseline> metricBaseline(String environment, String metric, String window) {
    return metrics.baseline(environment, metric, window);
  }

  @Override
  public void putMetricBaseline(MetricBaseline b) {
    metrics.putBaseline(b);
  }

  @Override
  public List<MetricWindow> metricWindows(String environment, String metric) {
    return metrics.windows(environment, metric);
  }

  @Override
  public Optional<MetricWindow> metricWindow(String environment, String metric, String window) {
    return metrics.window(environment, metric, window);
  }

  @Override
  public Optional<String> metricWindowValues(String environment, String metric, String window) {
    return metrics.windowValues(environment, metric, window);
  }

  @Override
  public void putMetricWindow(MetricWindow w, String values) {
    metrics.putWindow(w, values);
  }

  // ---- cursors ----

  @Override
  public long cursor(String name) {
    return cursors.get(name);
  }

  @Override
  public void putCursor(String name, long position) {
    cursors.put(name, position);
  }

  // ---- audit ledger ----

  @Override
  public AuditRecord appendAudit(
      Instant at, String actor, String action, String environment, String subject, String detail) {
    return ledger.append(at, actor, action, environment, subject, detail);
  }

  @Override
  public List<AuditRecord> auditOfAction(String actionName) {
    return ledger.ofAction(actionName);
  }

  @Override
  public long auditCount() {
    return ledger.count();
  }

  @Override
  public String auditRoot() {
    return ledger.root();
  }

  @Override
  public List<AuditCheckpoint> auditCheckpoints() {
    return ledger.checkpoints();
  }

  @Override
  public Optional<AuditRecord> auditRecord(long seq) {
    return ledger.record(seq);
  }

  @Override
  public Optional<AuditRecord> auditEnvHead(String environment) {
    long k = ledger.envHead(environment).envSeq();
    return k == 0 ? Optional.empty() : ledger.envRecord(environment, k);
  }

  @Override
  public Optional<AuditRecord> auditEnvRecord(String environment, long envSeq) {
    return ledger.envRecord(environment, envSeq);
  }

  @Override
  public Optional<AuditRecord> auditLastBefore(String environment, Instant when) {
    return ledger.lastBefore(environment, when);
  }

  @Override
  public Optional<AuditRecord> auditFirstAtOrAfter(String environment, Instant when) {
    return ledger.firstAtOrAfter(environment, when);
  }

  @Override
  public List<AuditRecord> audit(String environment, Instant since, Instant until) {
    return ledger.window(environment, since, until);
  }
}
