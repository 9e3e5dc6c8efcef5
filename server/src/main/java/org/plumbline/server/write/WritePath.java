package org.plumbline.server.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.plumbline.governance.Caller;
import org.plumbline.governance.Command;
import org.plumbline.governance.CommandListener;
import org.plumbline.governance.Dispositions;
import org.plumbline.governance.Governance;
import org.plumbline.governance.Governor;
import org.plumbline.governance.InputJournal;
import org.plumbline.governance.Inputs;
import org.plumbline.governance.Observations;
import org.plumbline.governance.PromotionGates;
import org.plumbline.graphql.GraphQLApi;
import org.plumbline.graphql.SignerVerifier;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.loaders.Secrets;
import org.plumbline.ontology.GraphStore;
import org.plumbline.rules.RulePack;

/**
 * The server's way in for writes: a posted document is parsed into a typed command first (so bad
 * input is refused before anything is recorded), then handed to the {@link Governor}, which
 * journals it and applies it in one store transaction. GraphQL mutations reach the same governor
 * through their data fetchers, after the limits, the role screen and the signers' credentials were
 * checked here.
 */
public final class WritePath {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Governor governor;
  private final Inputs inputs;
  private final GraphQLApi graphQL;

  /** What {@link #at} needs to make a twin on another clock. */
  private final AtomicReference<RulePack> rulePack;

  private final GraphQLApi.Limits graphQLLimits;
  private final SignerVerifier signers;

  /**
   * {@code journal} is null while replaying a journal (rebuild), which runs legacy GraphQL entries
   * with {@link GraphQLApi.Limits#REPLAY}: each passed the server's limits when it was journaled.
   * {@code signers} re-authenticates signatures ({@link SignerVerifier#NOT_REQUIRED} for a replay:
   * every journaled signature passed it, and its credential is not journaled).
   */
  public WritePath(
      GraphStore store,
      AtomicReference<RulePack> rulePack,
      Clock clock,
      InputJournal journal,
      ParseLimits limits,
      Secrets secrets,
      GraphQLApi.Limits graphQLLimits,
      SignerVerifier signers) {
    this(
        store,
        rulePack,
        clock,
        journal,
        limits,
        secrets,
        graphQLLimits,
        signers,
        CommandListener.NONE);
  }

  /** As above; {@code commands} hears every command the governor executes (command metrics). */
  public WritePath(
      GraphStore store,
      AtomicReference<RulePack> rulePack,
      Clock clock,
      InputJournal journal,
      ParseLimits limits,
      Secrets secrets,
      GraphQLApi.Limits graphQLLimits,
      SignerVerifier signers,
      CommandListener commands) {
    this(
        new Governor(store, rulePack::get, clock, journal, commands),
        new Inputs(limits, secrets),
        rulePack,
        graphQLLimits,
        signers);
  }

  private WritePath(
      Governor governor,
      Inputs inputs,
      AtomicReference<RulePack> rulePack,
      GraphQLApi.Limits graphQLLimits,
      SignerVerifier signers) {
    this.governor = governor;
    this.inputs = inputs;
    this.rulePack = rulePack;
    this.graphQLLimits = graphQLLimits;
    this.signers = signers;
    this.graphQL =
        GraphQLApi.create(
            governor.store(), governor.clock(), rulePack::get, governor, graphQLLimits, signers);
  }

  /**
   * The same write path on another clock (see {@link Governor#at}): the demo loads its history
   * through it, so a demo store is journaled and {@code plumbline rebuild} reproduces it.
   */
  public WritePath at(Clock other) {
    return new WritePath(governor.at(other), inputs, rulePack, graphQLLimits, signers);
  }

  public Governor governor() {
    return governor;
  }

  /** Several snapshots journaled and ingested in one transaction (a day of the demo). */
  public List<Governance.IngestResult> ingestSnapshotBatch(List<byte[]> bodies, Caller caller) {
    return governor.executeAll(bodies.stream().map(b -> inputs.snapshot(b, caller)).toList(), null);
  }

  /** A snapshot, sharing a commit with those posted at the same time (see the governor). */
  public Governance.IngestResult ingestSnapshot(byte[] body, Caller caller) {
    return governor.postSnapshot(inputs.snapshot(body, caller));
  }

  public Governance.IngestResult ingestChangeRequests(byte[] body, Caller caller) {
    return governor.execute(inputs.changeRequests(body, caller));
  }

  public Governance.IngestResult registerPrompt(byte[] body, Caller caller) {
    return governor.execute(inputs.prompt(body, caller));
  }

  public Governance.IngestResult ingestMetric(byte[] body, Caller caller) {
    return governor.execute(inputs.metric(body, caller));
  }

  /**
   * {@code POST /api/v1/load/dry-run}: what a load of these files would store, register, open and
   * close, rehearsed by the governor; nothing is stored (see {@link DryRuns}).
   */
  public com.fasterxml.jackson.databind.node.ObjectNode dryRun(byte[] body, Caller caller) {
    return DryRuns.run(governor, inputs, DryRuns.parseRequest(body), caller);
  }

  public Governance.IngestResult ingestBlueprint(byte[] body, String contentType, Caller caller) {
    return governor.execute(inputs.blueprint(body, contentType, caller));
  }

  /** A promotion gate for a stored version: decided, audited, journaled (see the governor). */
  public PromotionGates.Outcome promotionGate(
      String bundle, String version, String environment, Caller caller) {
    return governor.execute(
        new Command.DecidePromotion(
            PromotionGates.Question.stored(bundle, version, environment), caller));
  }

  /** A promotion gate for a candidate document that is not stored (and never will be by this). */
  public PromotionGates.Outcome promotionGate(byte[] blueprint, String environment, Caller caller) {
    return governor.execute(inputs.candidateGate(blueprint, environment, caller));
  }

  GraphQLApi graphQL() {
    return graphQL;
  }

  /**
   * Runs a GraphQL request. A request the limits refuse is answered before anything runs; a
   * mutation the caller's roles do not allow, or whose signer's credential fails, is answered
   * without running it. The mutations themselves issue commands to the governor.
   */
  public GraphQLApi.Response graphql(
      String query, Map<String, Object> variables, String operation, Caller caller) {
    return graphql(query, variables, operation, caller, false);
  }

  /**
   * As {@link #graphql(String, Map, String, Caller)}; {@code credentialOnRequest}: the request
   * carried the caller's own bearer credential, which then signs a signature given without {@code
   * credential} (see {@link GraphQLApi#run(GraphQLApi.Checked, Map, Caller, boolean)}).
   */
  public GraphQLApi.Response graphql(
      String query,
      Map<String, Object> variables,
      String operation,
      Caller caller,
      boolean credentialOnRequest) {
    GraphQLApi.Checked checked = graphQL.check(query, operation);
    if (!checked.isMutation()) {
      return graphQL.run(checked, variables, caller);
    }
    MutationRequests.Screened screened =
        MutationRequests.screen(query, operation, variables, caller);
    if (screened.forbiddenField() != null) {
      return forbidden(screened);
    }
    return graphQL.run(checked, screened.variables(), caller, credentialOnRequest);
  }

  /**
   * The answer to a mutation the caller's roles do not allow, in the shape the data fetchers give
   * it (a GraphQL error coded FORBIDDEN), without running anything.
   */
  private static GraphQLApi.Response forbidden(MutationRequests.Screened s) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put(
        "message",
        s.forbiddenField()
            + " needs one of the roles "
            + String.join(", ", new java.util.TreeSet<>(s.neededRoles())));
    error.put("path", List.of(s.forbiddenField()));
    error.put("extensions", Map.of("code", "FORBIDDEN"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("errors", List.of(error));
    body.put("data", null);
    return new GraphQLApi.Response(body, null);
  }

  /** Opens and closes stale-observation findings (see {@link Governor#checkObservations}). */
  public Observations.ObservationReport checkObservations() {
    return governor.checkObservations();
  }

  /** Who runs the scheduler among servers that share the store; null: this one. */
  private volatile SchedulerLease lease;

  /**
   * From now on the scheduler's ticks, {@code interval} apart, run their checks only while this
   * server holds the store's scheduler lease (see {@link SchedulerLease}).
   */
  public void scheduleUnderLease(java.time.Duration interval) {
    this.lease = new SchedulerLease(governor.store(), governor.clock(), interval);
  }

  /** The scheduler's lease, or null when none was taken. */
  public SchedulerLease schedulerLease() {
    return lease;
  }

  /** The scheduler's expiry tick: {@link #expire} if this server holds the scheduler's lease. */
  public Dispositions.ExpiryReport scheduledExpiry() {
    return lease == null || lease.tick()
        ? expire()
        : new Dispositions.ExpiryReport(java.util.List.of(), java.util.List.of());
  }

  /** The scheduler's observation tick: {@link #checkObservations} under the lease as above. */
  public Observations.ObservationReport scheduledObservationCheck() {
    return lease == null || lease.tick()
        ? checkObservations()
        : new Observations.ObservationReport(java.util.List.of(), java.util.List.of());
  }

  /** Ends due exceptions and TTLs (see {@link Governor#expire}). */
  public Dispositions.ExpiryReport expire() {
    return governor.expire();
  }

  /**
   * Applies one journaled input again (rebuild): a command, or, for a journal written before
   * commands were journaled as such, a GraphQL mutation's text.
   */
  Object replay(InputJournal.Entry e, byte[] body) throws IOException {
    if (!"mutation".equals(e.kind())) {
      return governor.execute(inputs.fromJournal(e, body));
    }
    Caller caller = e.caller();
    var request = JSON.readTree(body);
    @SuppressWarnings("unchecked")
    Map<String, Object> vars =
        request.path("variables").isObject()
            ? JSON.convertValue(request.get("variables"), Map.class)
            : Map.of();
    return graphQL.execute(
        request.path("query").asText(), vars, request.path("operationName").asText(null), caller);
  }
}
