package org.plumbline.server.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.plumbline.graphql.Caller;
import org.plumbline.graphql.GraphQLApi;
import org.plumbline.graphql.SignerVerifier;
import org.plumbline.loaders.BlueprintParser;
import org.plumbline.loaders.ChangeRequestParser;
import org.plumbline.loaders.MetricSampleParser;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.loaders.PromptParser;
import org.plumbline.loaders.Secrets;
import org.plumbline.loaders.SnapshotParser;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Snapshot;
import org.plumbline.rules.Dispositions;
import org.plumbline.rules.Governance;
import org.plumbline.rules.MetricSample;
import org.plumbline.rules.PromptRegistry;
import org.plumbline.rules.RulePack;

/**
 * Every write the server accepts, in one place: parsed first (so bad input is refused before
 * anything is recorded), then, under one lock, written to the input journal and applied in one
 * store transaction. The lock costs nothing TDB2 does not already impose (one writer at a time) and
 * makes the journal's order the commit order, so {@code plumbline rebuild} replays it exactly.
 */
public final class WritePath {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GraphStore store;
  private final Clock clock;
  private final InputJournal journal;
  private final Governance governance;
  private final Dispositions dispositions;
  private final GraphQLApi graphQL;
  private final PromptRegistry prompts;
  private final SnapshotParser snapshotParser;
  private final BlueprintParser blueprintParser;
  private final ChangeRequestParser changeRequestParser;
  private final PromptParser promptParser;
  private final MetricSampleParser metricParser;
  private final ReentrantLock lock;

  /** What {@link #at} needs to make a twin on another clock. */
  private final AtomicReference<RulePack> rulePack;

  private final ParseLimits limits;
  private final Secrets secrets;
  private final GraphQLApi.Limits graphQLLimits;
  private final SignerVerifier signers;

  /**
   * {@code journal} is null while replaying a journal (rebuild), which runs mutations with {@link
   * GraphQLApi.Limits#REPLAY}: each passed the server's limits when it was journaled. {@code
   * signers} re-authenticates signatures ({@link SignerVerifier#NOT_REQUIRED} for a replay: every
   * journaled signature passed it, and its credential is not journaled).
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
        new ReentrantLock(true));
  }

  private WritePath(
      GraphStore store,
      AtomicReference<RulePack> rulePack,
      Clock clock,
      InputJournal journal,
      ParseLimits limits,
      Secrets secrets,
      GraphQLApi.Limits graphQLLimits,
      SignerVerifier signers,
      ReentrantLock lock) {
    this.store = store;
    this.clock = clock;
    this.journal = journal;
    this.lock = lock;
    this.rulePack = rulePack;
    this.limits = limits;
    this.secrets = secrets;
    this.graphQLLimits = graphQLLimits;
    this.signers = signers;
    Supplier<RulePack> pack = rulePack::get;
    this.governance = new Governance(store, pack, clock);
    this.dispositions = new Dispositions(store, pack, clock, governance);
    this.graphQL = GraphQLApi.create(store, clock, pack, dispositions, graphQLLimits, signers);
    this.prompts = new PromptRegistry(store, clock);
    this.snapshotParser = new SnapshotParser(limits, secrets);
    this.blueprintParser = new BlueprintParser(limits, secrets);
    this.changeRequestParser = new ChangeRequestParser(limits);
    this.promptParser = new PromptParser(limits);
    this.metricParser = new MetricSampleParser(limits);
  }

  /**
   * The same write path on another clock: same store, journal and lock (so journal order stays
   * commit order), its inputs journaled at that clock's instants. The demo loads its history
   * through it, so a demo store is journaled and {@code plumbline rebuild} reproduces it.
   */
  public WritePath at(Clock other) {
    return new WritePath(
        store, rulePack, other, journal, limits, secrets, graphQLLimits, signers, lock);
  }

  /**
   * Several snapshots journaled and ingested in one transaction (a day of the demo, a bulk load):
   * parsed first, so a bad one refuses the batch before anything is journaled.
   */
  public List<Governance.IngestResult> ingestSnapshotBatch(List<byte[]> bodies, Caller caller) {
    List<Snapshot> parsed = bodies.stream().map(snapshotParser::parse).toList();
    lock.lock();
    try {
      for (int i = 0; i < bodies.size(); i++) {
        journal("snapshot", "application/json", journaled(bodies.get(i), parsed.get(i)), caller);
      }
      return governance.ingestSnapshots(parsed, caller.user());
    } finally {
      lock.unlock();
    }
  }

  public PromptRegistry prompts() {
    return prompts;
  }

  public Governance.IngestResult ingestChangeRequests(byte[] body, Caller caller) {
    var requests = changeRequestParser.parse(body);
    return locked(
        "change-request",
        "application/json",
        body,
        caller,
        () -> governance.ingestChangeRequests(requests, caller.user()));
  }

  public Governance.IngestResult registerPrompt(byte[] body, Caller caller) {
    var version = promptParser.parse(body);
    return locked(
        "prompt", "application/json", body, caller, () -> prompts.register(version, caller.user()));
  }

  public Governance governance() {
    return governance;
  }

  public Dispositions dispositions() {
    return dispositions;
  }

  GraphQLApi graphQL() {
    return graphQL;
  }

  /**
   * Group commit: snapshots that arrive while another write holds the lock are journaled and
   * ingested together in one transaction by whichever of their callers gets the lock first, so
   * concurrent loaders share one commit (one fsync) instead of queueing for one each. Each caller
   * is answered only once its transaction is durable. If the shared transaction fails, nothing of
   * it is stored and each snapshot is ingested again on its own, so a refusal stays its own.
   */
  public Governance.IngestResult ingestSnapshot(byte[] body, Caller caller) {
    Snapshot snapshot = snapshotParser.parse(body);
    PendingSnapshot mine =
        new PendingSnapshot(journaled(body, snapshot), snapshot, caller, new CompletableFuture<>());
    pendingSnapshots.add(mine);
    lock.lock();
    try {
      while (!mine.result().isDone()) {
        List<PendingSnapshot> group = new ArrayList<>();
        for (PendingSnapshot p;
            group.size() < MAX_GROUP && (p = pendingSnapshots.poll()) != null; ) {
          group.add(p);
        }
        commitGroup(group);
      }
    } finally {
      lock.unlock();
    }
    try {
      return mine.result().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Bounds one shared transaction; well above the loaders a server sees at once. */
  static final int MAX_GROUP = 16;

  private record PendingSnapshot(
      byte[] body,
      Snapshot snapshot,
      Caller caller,
      CompletableFuture<Governance.IngestResult> result) {}

  private final Queue<PendingSnapshot> pendingSnapshots = new ConcurrentLinkedQueue<>();

  private void commitGroup(List<PendingSnapshot> group) {
    for (PendingSnapshot p : group) {
      journal("snapshot", "application/json", p.body(), p.caller());
    }
    if (group.size() > 1) {
      try {
        List<Governance.IngestResult> results =
            store.write(
                w ->
                    group.stream()
                        .map(p -> governance.ingestSnapshot(p.snapshot(), p.caller().user()))
                        .toList());
        for (int i = 0; i < group.size(); i++) {
          group.get(i).result().complete(results.get(i));
        }
        return;
      } catch (RuntimeException e) {
        // each on its own below, so that only the snapshot at fault is refused
      }
    }
    for (PendingSnapshot p : group) {
      try {
        p.result().complete(governance.ingestSnapshot(p.snapshot(), p.caller().user()));
      } catch (RuntimeException e) {
        p.result().completeExceptionally(e);
      }
    }
  }

  /**
   * The loader checks the document, the rules whether its values suit the kind; both refuse with
   * INVALID_METRIC_SAMPLE and every problem's pointer, before anything is journaled or stored.
   */
  public Governance.IngestResult ingestMetric(byte[] body, Caller caller) {
    var p = metricParser.parse(body);
    MetricSample sample =
        MetricSample.of(
            p.environment(), p.metric(), p.kind(), p.window(), p.baseline(), p.values());
    return locked(
        "metric",
        "application/json",
        body,
        caller,
        () -> governance.ingestMetric(sample, caller.user()));
  }

  public Governance.IngestResult ingestBlueprint(byte[] body, String contentType, Caller caller) {
    var blueprint = blueprintParser.parse(body, formatHint(contentType));
    boolean redacted = hasMarkers(blueprint);
    return locked(
        "blueprint",
        redacted ? "application/json" : contentType,
        redacted ? BlueprintParser.toJson(blueprint).getBytes(StandardCharsets.UTF_8) : body,
        caller,
        () ->
            governance.ingestBlueprint(
                blueprint, caller.user(), caller.hasAny("model-risk", "admin")));
  }

  /**
   * What the journal keeps of a snapshot: the body as posted, unless a secret was redacted from it;
   * then the redacted snapshot in contract JSON, so that no secret reaches the disk (a replay
   * parses it to the same snapshot: markers are kept as they are).
   */
  static byte[] journaled(byte[] body, Snapshot snapshot) {
    return Secrets.hasMarkers(snapshot.config())
        ? SnapshotParser.toJson(snapshot).getBytes(StandardCharsets.UTF_8)
        : body;
  }

  /** Whether a blueprint holds a redacted value, so its posted text must not be journaled. */
  static boolean hasMarkers(Blueprint bp) {
    return Secrets.hasMarkers(bp.config())
        || bp.overrides().values().stream().anyMatch(Secrets::hasMarkers);
  }

  /**
   * Runs a GraphQL request; a mutation is journaled and serialised like any other write. A request
   * the limits refuse is answered before anything is journaled or run.
   */
  public GraphQLApi.Response graphql(
      String query, Map<String, Object> variables, String operation, Caller caller) {
    GraphQLApi.Checked checked = graphQL.check(query, operation);
    if (!checked.isMutation()) {
      return graphQL.run(checked, variables, caller);
    }
    // Authorized before it is journaled: a caller may not grow the durable journal with mutations
    // it may not run. Only the variables the operation declares are kept (and run).
    MutationRequests.Screened screened =
        MutationRequests.screen(query, operation, variables, caller);
    if (screened.forbiddenField() != null) {
      return forbidden(screened);
    }
    Map<String, Object> used = screened.variables();
    // A signature whose credential fails is refused before the journal; the journal never holds a
    // credential.
    GraphQLApi.Response unsigned = checked.signatureRefusal(used, caller);
    if (unsigned != null) {
      return unsigned;
    }
    Map<String, Object> request = checked.journalForm(used);
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(request);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return locked(
        "mutation", "application/json", body, caller, () -> graphQL.run(checked, used, caller));
  }

  /**
   * The answer to a mutation the caller's roles do not allow, in the shape the data fetchers give
   * it (a GraphQL error coded FORBIDDEN), without running or journaling anything.
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

  /**
   * Ends due exceptions and TTLs; journaled only when something is due, so idle ticks cost nothing.
   */
  public Dispositions.ExpiryReport expire() {
    lock.lock();
    try {
      if (!dispositions.expiriesDue()) {
        return new Dispositions.ExpiryReport(List.of(), List.of());
      }
      if (journal != null) {
        journal.append(clock.instant(), "scheduler", "", "expiry", null, new byte[0]);
      }
      return dispositions.checkExpiries();
    } finally {
      lock.unlock();
    }
  }

  /** Applies one journaled input again (rebuild). */
  Object replay(InputJournal.Entry e, byte[] body) throws IOException {
    Caller caller =
        new Caller(
            e.actor(),
            e.roles().isEmpty() ? java.util.Set.of() : java.util.Set.of(e.roles().split(",")));
    return switch (e.kind()) {
      case "snapshot" -> ingestSnapshot(body, caller);
      case "blueprint" -> ingestBlueprint(body, e.contentType(), caller);
      case "change-request" -> ingestChangeRequests(body, caller);
      case "prompt" -> registerPrompt(body, caller);
      case "metric" -> ingestMetric(body, caller);
      case "expiry" -> dispositions.checkExpiries();
      case "mutation" -> {
        var request = JSON.readTree(body);
        @SuppressWarnings("unchecked")
        Map<String, Object> vars =
            request.path("variables").isObject()
                ? JSON.convertValue(request.get("variables"), Map.class)
                : Map.of();
        yield graphQL.execute(
            request.path("query").asText(),
            vars,
            request.path("operationName").asText(null),
            caller);
      }
      default -> throw new IOException("unknown journal entry kind '" + e.kind() + "'");
    };
  }

  private <T> T locked(
      String kind, String contentType, byte[] body, Caller caller, Supplier<T> apply) {
    lock.lock();
    try {
      journal(kind, contentType, body, caller);
      return apply.get();
    } finally {
      lock.unlock();
    }
  }

  private void journal(String kind, String contentType, byte[] body, Caller caller) {
    if (journal != null) {
      journal.append(
          clock.instant(),
          caller.user(),
          String.join(",", new java.util.TreeSet<>(caller.roles())),
          kind,
          contentType,
          body);
    }
  }

  static String formatHint(String contentType) {
    String type = String.valueOf(contentType);
    return type.contains("json") ? "json" : type.contains("yaml") ? "yaml" : null;
  }
}
