package org.plumbline.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.graphql.GraphiQLHandler;
import io.vertx.ext.web.handler.graphql.GraphiQLHandlerOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import org.plumbline.governance.Caller;
import org.plumbline.governance.Command;
import org.plumbline.governance.Dispositions;
import org.plumbline.governance.Governor;
import org.plumbline.governance.InputJournal;
import org.plumbline.governance.Observations;
import org.plumbline.graphql.GraphQLApi;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.loaders.Secrets;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreError;
import org.plumbline.rules.RulePack;
import org.plumbline.rules.RulePackActivation;
import org.plumbline.rules.RulePackTester;
import org.plumbline.rules.TestReport;
import org.plumbline.server.auth.Auth;
import org.plumbline.server.auth.AuthFailures;
import org.plumbline.server.auth.HmacKey;
import org.plumbline.server.auth.SignerAuth;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.console.Console;
import org.plumbline.server.console.ConsoleGraphQL;
import org.plumbline.server.console.OidcSignIn;
import org.plumbline.server.http.GraphiQLPage;
import org.plumbline.server.http.HttpDefences;
import org.plumbline.server.http.HttpErrors;
import org.plumbline.server.http.Metrics;
import org.plumbline.server.http.RateLimiter;
import org.plumbline.server.http.RequestJson;
import org.plumbline.server.http.TokenBuckets;
import org.plumbline.server.http.resources.AdminResource;
import org.plumbline.server.http.resources.AuditResource;
import org.plumbline.server.http.resources.GateResource;
import org.plumbline.server.http.resources.GraphQLResource;
import org.plumbline.server.http.resources.HealthResource;
import org.plumbline.server.http.resources.IngestResource;
import org.plumbline.server.http.resources.MetricsResource;
import org.plumbline.server.http.resources.Reply;
import org.plumbline.server.http.resources.Requests;
import org.plumbline.server.http.resources.SparqlResource;
import org.plumbline.server.telemetry.CommandMeters;
import org.plumbline.server.telemetry.GovernanceMeters;
import org.plumbline.server.telemetry.LedgerWatch;
import org.plumbline.server.telemetry.Telemetry;
import org.plumbline.server.webhooks.Webhooks;
import org.plumbline.server.write.WritePath;

/**
 * The running server: the store, the active rule pack, the governed write path and the HTTP routes.
 * Store work never runs on the event loop; it goes to Vert.x worker threads.
 */
public final class PlumblineServer implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(PlumblineServer.class);
  private final ServerConfig config;
  private final Clock clock;
  private final GraphStore store;
  private final AtomicReference<RulePack> rulePack;
  private final InputJournal journal;
  private final WritePath writes;
  private final Webhooks webhooks;
  private AuditResource audit; // holds the witness's thread, closed with the server
  private final Auth auth;
  private final Telemetry telemetry = new Telemetry();
  private final Metrics metrics = new Metrics(telemetry.registry());
  private final GovernanceMeters governanceMeters;
  private final LedgerWatch ledgerWatch;
  private final RequestJson requestJson;
  private final Vertx vertx;
  private final TokenBuckets buckets;
  private final AuthFailures authFailures;
  private final AtomicInteger queued = new AtomicInteger();
  private final Secrets secrets;
  private final java.util.concurrent.atomic.AtomicBoolean loading =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Held (shared) by every piece of store work on a worker thread; {@link #close} takes it
   * exclusively, so the store closes only once no transaction of ours is open (TDB2 refuses to
   * close under one, and a kill then would leave the write unacknowledged, not half-done).
   */
  private final ReentrantReadWriteLock storeWork = new ReentrantReadWriteLock();

  private volatile boolean closing;
  private HttpServer http;

  private PlumblineServer(
      ServerConfig config,
      Clock clock,
      LongSupplier ticker,
      GraphStore store,
      RulePack pack,
      Secrets secrets) {
    this.config = config;
    this.secrets = secrets;
    this.clock = clock;
    this.store = store;
    this.rulePack = new AtomicReference<>(pack);
    this.journal = InputJournal.open(config.data().resolve("journal"));
    ParseLimits limits = ParseLimits.DEFAULT.withMaxDocumentBytes((int) config.bodyLimitBytes());
    ServerConfig.GraphQLSettings g = config.graphql();
    this.vertx = telemetry.vertx();
    this.governanceMeters =
        new GovernanceMeters(
            telemetry.registry(), store, clock, ticker, config.data().resolve("journal"));
    this.ledgerWatch = new LedgerWatch(store, governanceMeters);
    this.auth = new Auth(config.tokens(), config.jwt(), vertx, clock);
    this.writes =
        new WritePath(
            store,
            rulePack,
            clock,
            journal,
            limits,
            secrets,
            new GraphQLApi.Limits(
                g.maxDepth(),
                g.maxComplexity(),
                g.maxAliases(),
                GraphQLApi.Limits.DEFAULT.maxTokens(),
                g.introspection()),
            config.approvals().reauthenticate()
                ? new SignerAuth(auth)
                : org.plumbline.graphql.SignerVerifier.NOT_REQUIRED,
            new CommandMeters(telemetry.registry()));
    this.webhooks = new Webhooks(writes.governor(), config.webhooks(), telemetry.registry());
    metrics.countGateDecisions(writes.governor());
    this.requestJson = new RequestJson(limits);
    this.buckets = new TokenBuckets(ticker, 10_000);
    this.authFailures = new AuthFailures(ticker, 10_000);
  }

  /**
   * Opens the store, compiles the rule pack and starts listening. Port 0 picks a free port (tests).
   */
  public static PlumblineServer start(ServerConfig config, Clock clock) {
    return start(config, clock, System::nanoTime);
  }

  /**
   * As {@link #start(ServerConfig, Clock)}, with the monotonic nanosecond ticker that rate limits
   * and the auth-failure windows measure time by (tests pass one they advance by hand).
   */
  public static PlumblineServer start(ServerConfig config, Clock clock, LongSupplier ticker) {
    return start(config, clock, ticker, false);
  }

  /**
   * As {@link #start(ServerConfig, Clock)}, but not ready: {@code /health} and {@code
   * /health/ready} answer 503 STARTING (liveness 200) until {@link #markReady}, while the caller
   * loads what must be there first (the demo world).
   */
  public static PlumblineServer startLoading(ServerConfig config, Clock clock) {
    return startLoading(config, clock, null);
  }

  /**
   * As {@link #startLoading(ServerConfig, Clock)}, for a world loaded as it happened (the demo): if
   * the ledger is empty, the start-up records carry {@code historyStart} rather than now, so that
   * the records of the history loaded next keep the instants they would have had (the ledger's
   * instants never go back: a record dated before its predecessor takes the predecessor's instant).
   */
  public static PlumblineServer startLoading(
      ServerConfig config, Clock clock, Instant historyStart) {
    return start(config, clock, System::nanoTime, true, historyStart);
  }

  private static PlumblineServer start(
      ServerConfig config, Clock clock, LongSupplier ticker, boolean loading) {
    return start(config, clock, ticker, loading, null);
  }

  private static PlumblineServer start(
      ServerConfig config,
      Clock clock,
      LongSupplier ticker,
      boolean loading,
      Instant historyStart) {
    // The store first: a second server on the same folder fails fast and touches nothing else.
    GraphStore store = org.plumbline.server.write.Stores.open(config);
    RulePack pack;
    Secrets secrets;
    try {
      pack = RulePacks.load(config.rules());
      secrets = HmacKey.of(config); // after the store: only the folder's owner creates its key
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    PlumblineServer server = new PlumblineServer(config, clock, ticker, store, pack, secrets);
    server.loading.set(loading);
    server.writes.scheduleUnderLease(config.schedulerInterval());
    try {
      server.recordStartupPack(historyStart);
      server.listen();
      server.scheduleExpiries();
      server.scheduleObservationChecks();
      server.scheduleAuthFailureFlush();
      server.scheduleCompaction();
      server.scheduleLedgerVerification();
      server.telemetry.watchEventLoop(server.vertx);
      server.webhooks.start(Duration.ofMillis(500));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  public int port() {
    return http.actualPort();
  }

  public GraphStore store() {
    return store;
  }

  /** What every snapshot and blueprint config is redacted with before it is journaled or stored. */
  Secrets secrets() {
    return secrets;
  }

  /** The one way in for writes: every command journaled, then applied in one transaction. */
  public Governor governor() {
    return writes.governor();
  }

  public RulePack rulePack() {
    return rulePack.get();
  }

  /** The server's way in for writes: documents parsed into commands for the governor. */
  public WritePath writes() {
    return writes;
  }

  /**
   * Runs the expiry check now, journaled like the scheduler's (tests use it with a moved clock).
   */
  public Dispositions.ExpiryReport checkExpiries() {
    return writes.expire();
  }

  /**
   * Runs the stale-observation check now, journaled like the scheduler's (tests use it with a moved
   * clock).
   */
  public Observations.ObservationReport checkObservations() {
    return writes.checkObservations();
  }

  /** Opens and closes STALE_OBSERVATION findings at the scheduler's interval, on a worker. */
  private void scheduleObservationChecks() {
    vertx.setPeriodic(
        config.schedulerInterval().toMillis(),
        id ->
            vertx
                .executeBlocking(() -> guarded(writes::scheduledObservationCheck), false)
                .onFailure(
                    e -> {
                      if (!closing) {
                        LOG.error("observation check failed", e);
                      }
                    }));
  }

  /** Checks exception and TTL expiries at the configured interval, on a worker thread. */
  private void scheduleExpiries() {
    vertx.setPeriodic(
        config.schedulerInterval().toMillis(),
        id ->
            vertx
                .executeBlocking(() -> guarded(writes::scheduledExpiry), false)
                .onSuccess(
                    r -> {
                      if (!r.exceptionsExpired().isEmpty() || !r.environmentsExpired().isEmpty()) {
                        LOG.info(
                            "expired: exceptions {} environments {}",
                            r.exceptionsExpired(),
                            r.environmentsExpired());
                      }
                    })
                .onFailure(
                    e -> {
                      if (!closing) {
                        LOG.error("expiry check failed", e);
                      }
                    }));
  }

  /** Writes the counts of failed authentications whose one-minute windows have closed. */
  private void scheduleAuthFailureFlush() {
    vertx.setPeriodic(10_000, id -> flushAuthFailures());
  }

  /** Audits the failures counted in closed windows; returns when they are written. */
  Future<Void> flushAuthFailures() {
    List<AuthFailures.Report> reports = authFailures.flush();
    if (reports.isEmpty()) {
      return Future.succeededFuture();
    }
    return audit(reports);
  }

  /** Appends the audit records of failed authentications, on a worker thread. */
  private Future<Void> audit(List<AuthFailures.Report> reports) {
    return vertx
        .executeBlocking(
            () ->
                guarded(
                    () ->
                        writes
                            .governor()
                            .execute(
                                new Command.RecordAudit(
                                    reports.stream().map(r -> r.audited(clock.instant())).toList(),
                                    Governor.SCHEDULER))),
            false)
        .onFailure(e -> LOG.error("cannot audit failed authentications", e))
        .mapEmpty();
  }

  /**
   * Compacts the store at the configured interval, on a worker thread: TDB2 keeps every commit's
   * superseded blocks until then, and governance data is written in many small commits.
   */
  private void scheduleCompaction() {
    vertx.setPeriodic(
        config.compactionInterval().toMillis(),
        id ->
            vertx
                .executeBlocking(() -> guarded(this::compact), false)
                .onFailure(e -> LOG.error("compaction failed", e)));
  }

  /**
   * Verifies the whole ledger every ten minutes, on a worker thread, for the {@code
   * plumbline_ledger_verified} gauge (an alert fires when it fails). The first check runs a minute
   * after start, off the start-up path.
   */
  private void scheduleLedgerVerification() {
    vertx.setPeriodic(
        Duration.ofMinutes(1).toMillis(),
        Duration.ofMinutes(10).toMillis(),
        id ->
            vertx
                .executeBlocking(() -> guarded(ledgerWatch::verify), false)
                .onFailure(
                    e -> {
                      if (!closing) {
                        LOG.error("ledger verification failed to run", e);
                      }
                    }));
  }

  /** Compacts the store now; returns bytes on disk before and after. */
  public long[] compact() {
    long before = store.sizeOnDisk();
    store.compact();
    long after = store.sizeOnDisk();
    LOG.info("store compacted: {} MB -> {} MB", before >> 20, after >> 20);
    return new long[] {before, after};
  }

  /**
   * The pack compiled at start becomes the recorded active pack when it differs from the last one
   * recorded (the folder was edited while the server was down, or a reload was cut short by a
   * crash), so every assessment is made by a pack that the ledger names. As with a reload, only a
   * pack whose golden cases pass is activated: otherwise the server does not start.
   *
   * @throws PlumblineException {@link org.plumbline.rules.RuleError#PACK_TEST_FAILED}
   */
  private void recordStartupPack(Instant historyStart) {
    RulePack pack = rulePack.get();
    Instant at =
        historyStart != null && store.read(r -> r.auditCount()) == 0
            ? historyStart
            : clock.instant();
    String recorded =
        store.read(r -> RulePackActivation.active(r).map(AuditRecord::subject).orElse(null));
    if (!pack.version().equals(recorded)) {
      TestReport report = RulePackTester.run(pack, pack.directory().resolve("tests"));
      report.requirePassed();
      writes
          .governor()
          .execute(
              new Command.ActivateRulePack(
                  pack, at, "startup", report.passed(), Governor.system("system")));
      if (recorded != null) {
        LOG.warn(
            "rule pack {} in {} replaces the recorded active pack {}",
            pack.version(),
            pack.directory(),
            recorded);
      }
    }
  }

  private void listen() {
    Router router = Router.router(vertx);
    IngestResource ingest = new IngestResource(writes, metrics);
    audit = AuditResource.of(writes.governor(), rulePack::get, ledgerWatch, config);
    AdminResource admin =
        new AdminResource(
            writes.governor(), config.data(), config.rules(), rulePack, this::compact);
    GraphQLResource graphqlResource = new GraphQLResource(writes, requestJson);
    MetricsResource prometheus = new MetricsResource(telemetry, governanceMeters);
    ServerConfig.HttpSettings timeouts = config.http();
    HttpDefences.HeaderTimeouts headerTimeouts =
        new HttpDefences.HeaderTimeouts(vertx, timeouts.headerTimeout().toMillis());
    router.route().handler(HttpDefences::headers);
    router.route().handler(headerTimeouts::requestStarted);
    router.route().handler(HttpDefences.bodyTimeout(vertx, timeouts.bodyTimeout().toMillis()));
    router.route().handler(metrics::timed);
    HealthResource health = new HealthResource(store::isOpen, loading::get);
    router.get("/health").handler(health::ready);
    router.get("/health/ready").handler(health::ready);
    router.get("/health/live").handler(health::live);
    // The page lives under /graphiql/: a browser keeps the Basic credentials it was asked for
    // for that folder only, never for / (where it would attach them to /graphql as well).
    router
        .get("/graphiql")
        .handler(
            ctx -> {
              if (ctx.request().path().equals("/graphiql")) {
                ctx.response().setStatusCode(301).putHeader("Location", "/graphiql/").end();
              } else {
                ctx.next();
              }
            });
    console(audit).mount(router);
    router.route().handler(this::authenticate);
    router.route().handler(new RateLimiter(config.rateLimits(), buckets)::handle);
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()));
    router
        .post("/graphql")
        .handler(
            ctx -> {
              HttpDefences.requireJson(ctx.request());
              blocking(ctx, () -> graphqlResource.execute(ctx));
            });
    GraphiQLPage graphiql = GraphiQLPage.load();
    router.get("/graphiql/").handler(graphiql::page);
    router.get("/graphiql/index.html").handler(graphiql::page);
    router.get("/graphiql/" + GraphiQLPage.ENV_SCRIPT).handler(graphiql::environment);
    router.get("/graphiql/" + GraphiQLPage.CONFIG_SCRIPT).handler(graphiql::config);
    router
        .route("/graphiql/*")
        .subRouter(
            GraphiQLHandler.builder(vertx)
                .with(
                    new GraphiQLHandlerOptions()
                        .setEnabled(true)
                        .setGraphQLUri("/graphql")
                        .setGraphQLWSEnabled(false))
                .build()
                .router());
    // The loader role posts every input. Change requests are records of approvals made elsewhere
    // (a CAB, an ITSM tool), imported like any other data; operators request dispositions.
    java.util.Map<String, java.util.function.Function<RoutingContext, Reply>> inputs =
        java.util.Map.of(
            "blueprints", ingest::blueprint,
            "snapshots", ingest::snapshot,
            "change-requests", ingest::changeRequests,
            "prompts", ingest::prompt,
            "metrics", ingest::metric,
            "load/dry-run", ingest::dryRun);
    inputs.forEach(
        (path, in) ->
            router.post("/api/v1/" + path).handler(c -> blocking(c, () -> in.apply(c), "loader")));
    GateResource gates = new GateResource(writes, requestJson);
    router
        .post("/api/v1/gates/promotion")
        .handler(ctx -> blocking(ctx, () -> gates.promotion(ctx), "loader", "operator"));
    for (String path : AuditResource.PATHS) { // verify, public-key, export, head, consistency
      router
          .get("/api/v1/audit/" + path)
          .handler(ctx -> blocking(ctx, () -> audit.get(ctx, path), "auditor"));
    }
    router
        .get("/api/v1/environments/:id/audit")
        .handler(ctx -> blocking(ctx, () -> audit.export(ctx, ctx.pathParam("id")), "auditor"));
    router
        .post("/api/v1/audit/rotate-key")
        .handler(c -> blocking(c, () -> audit.rotateKey(c), "admin"));
    router.post("/api/v1/admin/backup").handler(ctx -> blocking(ctx, admin::backup, "admin"));
    router.post("/api/v1/admin/compact").handler(ctx -> blocking(ctx, admin::compact, "admin"));
    router
        .post("/api/v1/rulepacks/reload")
        .handler(ctx -> blocking(ctx, () -> admin.reloadRules(ctx), "admin"));
    router.get("/metrics").handler(ctx -> blocking(ctx, prometheus::prometheus));
    SparqlResource sparql = new SparqlResource(store, org.plumbline.ontology.SparqlLimits.DEFAULT);
    router.route("/sparql").handler(ctx -> blocking(ctx, () -> sparql.query(ctx), "auditor"));
    router.get("/ontology").handler(ctx -> blocking(ctx, sparql::ontology));
    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(metrics::failed);
    router.route().failureHandler(HttpErrors::render);
    http =
        vertx
            // Long request lines (an id in the path) reach the router and get a coded answer.
            .createHttpServer(
                new io.vertx.core.http.HttpServerOptions()
                    .setMaxInitialLineLength(64 * 1024)
                    .setMaxHeaderSize(64 * 1024)
                    .setIdleTimeout((int) Math.max(1, timeouts.idleTimeout().toMillis()))
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
            .connectionHandler(headerTimeouts::opened)
            .requestHandler(router)
            .invalidRequestHandler(HttpErrors::undecodable)
            .listen(config.port())
            .toCompletionStage()
            .toCompletableFuture()
            .join();
  }

  /** The web console: the API's GraphQL entry (the write path), tokens and guarded workers. */
  private Console console(AuditResource audit) {
    return new Console(
        clock,
        Console.Options.DEFAULT,
        new ConsoleGraphQL(writes::graphql),
        (token, ctx) ->
            auth.authenticate("Bearer " + token)
                .map(Auth.Identity::caller)
                .onFailure(
                    t -> {
                      if (t instanceof PlumblineException e
                          && e.code() == ServerError.UNAUTHENTICATED) {
                        recordAuthFailure(ctx, "Bearer " + token, e);
                      }
                    }),
        new Console.Worker() {
          @Override
          public <T> Future<T> run(Callable<T> work) {
            return vertx.executeBlocking(() -> guarded(work), false);
          }
        },
        audit::export,
        config.oidc() == null ? null : new OidcSignIn(vertx, config.oidc(), clock),
        Console.AttemptLimit.perAddress(buckets, () -> config.rateLimits().enabled()));
  }

  // ---- cross-cutting handlers ----

  /**
   * Ends the loading that {@link #startLoading} began: from now on {@code /health} answers UP.
   * Idempotent.
   */
  public void markReady() {
    loading.compareAndSet(true, false);
  }

  private void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    boolean page = ctx.request().path().startsWith("/graphiql/");
    auth.authenticate(header, page)
        .onSuccess(
            id -> {
              if (id.basic()) {
                try {
                  HttpDefences.requireSameOrigin(ctx.request());
                } catch (PlumblineException e) {
                  ctx.fail(e);
                  return;
                }
              }
              ctx.put(Caller.class.getName(), id.caller());
              ctx.put(Auth.Identity.class.getName(), id);
              ctx.next();
            })
        .onFailure(
            t -> {
              if (page) {
                // Let a browser prompt for credentials: user name anything, password the token.
                ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"plumbline\"");
              }
              if (t instanceof PlumblineException e && e.code() == ServerError.UNAUTHENTICATED) {
                recordAuthFailure(ctx, header, e);
              }
              ctx.fail(t);
            });
  }

  /** Audits a failed authentication, at most once per client address and minute. */
  private void recordAuthFailure(RoutingContext ctx, String header, PlumblineException e) {
    String address =
        ctx.request().remoteAddress() == null
            ? "unknown"
            : ctx.request().remoteAddress().hostAddress();
    String reason = e.details().isEmpty() ? e.getMessage() : e.details().get(0);
    authFailures
        .failed(
            address,
            Auth.presentedUser(header),
            Auth.clean(Metrics.routeName(ctx.request().path())),
            reason)
        .ifPresent(r -> audit(List.of(r)));
  }

  /** Runs {@code work} on a worker thread after a role check; failures go to the error handler. */
  private void blocking(RoutingContext ctx, Callable<Reply> work, String... roles) {
    if (roles.length > 0) {
      try {
        Auth.require(Requests.caller(ctx), roles);
      } catch (PlumblineException e) {
        ctx.fail(e);
        return;
      }
    }
    // Bounded: past maxQueuedRequests, refuse at once instead of queueing until clients time out.
    if (queued.incrementAndGet() > config.maxQueuedRequests()) {
      queued.decrementAndGet();
      ctx.response().putHeader("Retry-After", "1");
      ctx.fail(
          new PlumblineException(
              ServerError.OVERLOADED,
              "the server is busy: "
                  + config.maxQueuedRequests()
                  + " requests are already waiting; retry shortly",
              List.of("Retry-After: 1")));
      return;
    }
    Future<Reply> f = vertx.executeBlocking(() -> guarded(work), false);
    f.onComplete(
        ar -> {
          queued.decrementAndGet();
          if (ar.failed()) {
            ctx.fail(ar.cause());
          } else {
            ar.result().send(ctx.response());
          }
        });
  }

  /** Runs store work unless the server is closing; {@link #close} waits for work under way. */
  private <T> T guarded(Callable<T> work) throws Exception {
    // tryLock: once close() waits for the exclusive lock, new work is refused, not queued.
    if (closing || !storeWork.readLock().tryLock()) {
      throw shuttingDown();
    }
    try {
      if (closing) {
        throw shuttingDown();
      }
      return work.call();
    } finally {
      storeWork.readLock().unlock();
    }
  }

  private static PlumblineException shuttingDown() {
    return new PlumblineException(StoreError.STORE_UNAVAILABLE, "the server is shutting down");
  }

  @Override
  public void close() {
    closing = true;
    try {
      if (!storeWork.writeLock().tryLock(60, TimeUnit.SECONDS)) {
        LOG.warn("store work still running after 60 s; closing the store anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    webhooks.close();
    if (audit != null) {
      audit.close();
    }
    journal.close();
    if (http != null) {
      http.close().toCompletionStage().toCompletableFuture().join();
    }
    vertx.close().toCompletionStage().toCompletableFuture().join();
    telemetry.close();
    store.close();
  }
}
