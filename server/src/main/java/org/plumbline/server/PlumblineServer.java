package org.plumbline.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.graphql.GraphiQLHandler;
import io.vertx.ext.web.handler.graphql.GraphiQLHandlerOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.plumbline.graphql.Caller;
import org.plumbline.graphql.GraphQLApi;
import org.plumbline.loaders.BlueprintParser;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.loaders.SnapshotParser;
import org.plumbline.ontology.AuditLedger;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreError;
import org.plumbline.rules.Dispositions;
import org.plumbline.rules.Governance;
import org.plumbline.rules.RulePack;
import org.plumbline.rules.RulePackTester;
import org.plumbline.rules.TestReport;

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
  private final Governance governance;
  private final GroupCommit groupCommit;
  private final Dispositions dispositions;
  private final Webhooks webhooks;
  private final GraphQLApi graphQL;
  private final Auth auth;
  private final Metrics metrics = new Metrics();
  private final SnapshotParser snapshotParser;
  private final BlueprintParser blueprintParser;
  private final Vertx vertx;
  private HttpServer http;

  private PlumblineServer(ServerConfig config, Clock clock, GraphStore store, RulePack pack) {
    this.config = config;
    this.clock = clock;
    this.store = store;
    this.rulePack = new AtomicReference<>(pack);
    this.governance = new Governance(store, rulePack::get, clock);
    this.groupCommit = new GroupCommit(store, governance);
    this.dispositions = new Dispositions(store, rulePack::get, clock, governance);
    this.webhooks = new Webhooks(store, config.webhooks());
    this.graphQL = GraphQLApi.create(store, clock, rulePack::get, dispositions);
    this.auth = new Auth(config.tokens());
    ParseLimits limits = ParseLimits.DEFAULT.withMaxDocumentBytes((int) config.bodyLimitBytes());
    this.snapshotParser = new SnapshotParser(limits);
    this.blueprintParser = new BlueprintParser(limits);
    this.vertx = Vertx.vertx();
  }

  /**
   * Opens the store, compiles the rule pack and starts listening. Port 0 picks a free port (tests).
   */
  public static PlumblineServer start(ServerConfig config, Clock clock) {
    RulePack pack = RulePacks.load(config.rules());
    GraphStore store = GraphStore.openTdb2(config.data());
    PlumblineServer server = new PlumblineServer(config, clock, store, pack);
    try {
      server.listen();
      server.scheduleExpiries();
      server.scheduleCompaction();
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

  public Governance governance() {
    return governance;
  }

  public RulePack rulePack() {
    return rulePack.get();
  }

  public Dispositions dispositions() {
    return dispositions;
  }

  /** Checks exception and TTL expiries at the configured interval, on a worker thread. */
  private void scheduleExpiries() {
    vertx.setPeriodic(
        config.schedulerInterval().toMillis(),
        id ->
            vertx
                .executeBlocking(dispositions::checkExpiries)
                .onSuccess(
                    r -> {
                      if (!r.exceptionsExpired().isEmpty() || !r.environmentsExpired().isEmpty()) {
                        LOG.info(
                            "expired: exceptions {} environments {}",
                            r.exceptionsExpired(),
                            r.environmentsExpired());
                      }
                    })
                .onFailure(e -> LOG.error("expiry check failed", e)));
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
                .executeBlocking(this::compact, false)
                .onFailure(e -> LOG.error("compaction failed", e)));
  }

  /** Compacts the store now; returns bytes on disk before and after. */
  public long[] compact() {
    long before = store.sizeOnDisk();
    store.compact();
    long after = store.sizeOnDisk();
    LOG.info("store compacted: {} MB -> {} MB", before >> 20, after >> 20);
    return new long[] {before, after};
  }

  private void listen() {
    Router router = Router.router(vertx);
    router.route().handler(this::timed);
    router.get("/health").handler(this::health);
    router.route().handler(this::authenticate);
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()));
    router.post("/graphql").handler(ctx -> blocking(ctx, () -> graphql(ctx)));
    router
        .route("/graphiql*")
        .subRouter(
            GraphiQLHandler.builder(vertx)
                .with(new GraphiQLHandlerOptions().setEnabled(true).setGraphQLUri("/graphql"))
                // The page's own requests carry the credentials the browser used to open it.
                .addingHeaders(
                    ctx ->
                        io.vertx.core.MultiMap.caseInsensitiveMultiMap()
                            .add("Authorization", ctx.request().getHeader("Authorization")))
                .build()
                .router());
    router
        .post("/api/v1/blueprints")
        .handler(ctx -> blocking(ctx, () -> ingestBlueprint(ctx), "loader"));
    router
        .post("/api/v1/snapshots")
        .handler(ctx -> blocking(ctx, () -> ingestSnapshot(ctx), "loader"));
    router.get("/api/v1/audit/verify").handler(ctx -> blocking(ctx, this::verifyAudit, "auditor"));
    router
        .get("/api/v1/environments/:id/audit")
        .handler(ctx -> blocking(ctx, () -> exportAudit(ctx, ctx.pathParam("id")), "auditor"));
    router
        .get("/api/v1/audit/export")
        .handler(ctx -> blocking(ctx, () -> exportAudit(ctx, null), "auditor"));
    router
        .post("/api/v1/rulepacks/reload")
        .handler(ctx -> blocking(ctx, () -> reloadRules(ctx), "admin"));
    router.get("/metrics").handler(ctx -> blocking(ctx, this::prometheus));
    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(HttpErrors::render);
    http =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(config.port())
            .toCompletionStage()
            .toCompletableFuture()
            .join();
  }

  // ---- cross-cutting handlers ----

  private void timed(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addBodyEndHandler(
        v ->
            metrics.request(
                routeName(ctx.request().path()),
                ctx.response().getStatusCode(),
                (System.nanoTime() - start) / 1e9));
    ctx.next();
  }

  private static String routeName(String path) {
    if (path.startsWith("/api/v1/environments/")) {
      return "/api/v1/environments/{id}/audit";
    }
    if (path.startsWith("/graphiql")) {
      return "/graphiql";
    }
    return switch (path) {
      case "/health",
          "/graphql",
          "/metrics",
          "/api/v1/blueprints",
          "/api/v1/snapshots",
          "/api/v1/audit/verify",
          "/api/v1/audit/export",
          "/api/v1/rulepacks/reload" ->
          path;
      default -> "other";
    };
  }

  private void health(RoutingContext ctx) {
    boolean up = store.isOpen();
    ctx.response()
        .setStatusCode(up ? 200 : 503)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", up ? "UP" : "DOWN").encode());
  }

  private void authenticate(RoutingContext ctx) {
    try {
      ctx.put(Caller.class.getName(), auth.authenticate(ctx.request().getHeader("Authorization")));
      ctx.next();
    } catch (PlumblineException e) {
      if (ctx.request().path().startsWith("/graphiql")) {
        // Let a browser prompt for credentials: user name anything, password the token.
        ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"plumbline\"");
      }
      ctx.fail(e);
    }
  }

  private static Caller caller(RoutingContext ctx) {
    return ctx.get(Caller.class.getName());
  }

  /** A reply: status, content type and body. */
  private record Reply(int status, String contentType, String body) {
    static Reply json(int status, Object value) {
      String body =
          value instanceof Map<?, ?> m
              ? new JsonObject(castMap(m)).encode()
              : value instanceof List<?> l ? new JsonArray(l).encode() : String.valueOf(value);
      return new Reply(status, "application/json", body);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
  }

  /** Runs {@code work} on a worker thread after a role check; failures go to the error handler. */
  private void blocking(RoutingContext ctx, Callable<Reply> work, String... roles) {
    if (roles.length > 0) {
      try {
        Auth.require(caller(ctx), roles);
      } catch (PlumblineException e) {
        ctx.fail(e);
        return;
      }
    }
    Future<Reply> f = vertx.executeBlocking(work, false);
    f.onComplete(
        ar -> {
          if (ar.failed()) {
            ctx.fail(ar.cause());
          } else {
            Reply r = ar.result();
            ctx.response()
                .setStatusCode(r.status())
                .putHeader("Content-Type", r.contentType())
                .end(r.body());
          }
        });
  }

  // ---- endpoints ----

  private Reply graphql(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    Object query = body.getValue("query");
    if (!(query instanceof String q) || q.isBlank()) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "a GraphQL request needs a non-empty string 'query'",
          List.of("/query"));
    }
    Object vars = body.getValue("variables");
    if (vars != null && !(vars instanceof JsonObject)) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST, "'variables' must be an object", List.of("/variables"));
    }
    Map<String, Object> variables = vars == null ? Map.of() : ((JsonObject) vars).getMap();
    Object op = body.getValue("operationName");
    Map<String, Object> result =
        graphQL.execute(q, variables, op instanceof String s ? s : null, caller(ctx));
    return Reply.json(200, result);
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      JsonObject o = ctx.body().asJsonObject();
      if (o == null) {
        throw new PlumblineException(ServerError.INVALID_REQUEST, "request body is empty");
      }
      return o;
    } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "request body is not a JSON object",
          List.of(e.getMessage()));
    }
  }

  private static byte[] bytes(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
      throw new PlumblineException(ServerError.INVALID_REQUEST, "request body is empty");
    }
    return ctx.body().buffer().getBytes();
  }

  private Reply ingestSnapshot(RoutingContext ctx) {
    return ingest(
        "snapshot", () -> groupCommit.ingest(snapshotParser.parse(bytes(ctx)), caller(ctx).user()));
  }

  private Reply ingestBlueprint(RoutingContext ctx) {
    String type = String.valueOf(ctx.request().getHeader("Content-Type"));
    String hint = type.contains("json") ? "json" : type.contains("yaml") ? "yaml" : null;
    return ingest(
        "blueprint",
        () ->
            governance.ingestBlueprint(
                blueprintParser.parse(bytes(ctx), hint), caller(ctx).user()));
  }

  private Reply ingest(String kind, java.util.function.Supplier<Governance.IngestResult> work) {
    try {
      Governance.IngestResult r = work.get();
      metrics.ingest(kind, r.replay() ? "replay" : "created");
      Map<String, Object> body = new TreeMap<>(r.summary());
      body.put("status", r.replay() ? "unchanged" : "created");
      return Reply.json(r.replay() ? 200 : 201, body);
    } catch (PlumblineException e) {
      metrics.ingest(kind, "refused");
      throw e;
    }
  }

  private Reply verifyAudit() {
    AuditLedger.Verification v = store.read(AuditLedger::verify);
    JsonObject o =
        new JsonObject().put("valid", v.valid()).put("records", v.records()).put("root", v.root());
    if (!v.valid()) {
      o.put("firstBrokenSeq", v.firstBrokenSeq()).put("reason", v.reason());
    }
    return new Reply(200, "application/json", o.encode());
  }

  private Reply exportAudit(RoutingContext ctx, String environment) {
    AuditExport.Scope scope =
        new AuditExport.Scope(environment, instantParam(ctx, "since"), instantParam(ctx, "until"));
    String format = ctx.request().getParam("format", "json");
    return store.read(
        r -> {
          if (environment != null && r.environment(environment).isEmpty()) {
            throw new PlumblineException(
                StoreError.UNKNOWN_ENVIRONMENT,
                "no environment '" + environment + "'",
                List.of("id: " + environment));
          }
          return render(r, scope, format);
        });
  }

  /** One export in one of the formats; the evidence report needs an environment. */
  Reply render(org.plumbline.ontology.StoreReader r, AuditExport.Scope scope, String format) {
    Instant now = clock.instant();
    return switch (format) {
      case "json" -> new Reply(200, "application/json", AuditExport.json(r, scope, now));
      case "csv" -> new Reply(200, "text/csv", AuditExport.csv(scope.records(r)));
      case "jsonld" ->
          new Reply(
              200,
              "application/ld+json",
              AuditExport.jsonLd(scope.environment(), scope.records(r)));
      case "html" -> {
        if (scope.environment() == null) {
          throw new PlumblineException(
              ServerError.INVALID_REQUEST,
              "the evidence report is per environment",
              List.of("format: html"));
        }
        Instant until = scope.until() == null ? now : scope.until();
        Instant since = scope.since() == null ? until.minus(Duration.ofDays(90)) : scope.since();
        yield new Reply(
            200,
            "text/html; charset=utf-8",
            EvidenceReport.html(r, rulePack.get(), scope.environment(), since, until, now));
      }
      default ->
          throw new PlumblineException(
              ServerError.INVALID_REQUEST,
              "format must be json, csv, jsonld or html, was '" + format + "'",
              List.of("format: " + format));
    };
  }

  private static Instant instantParam(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          name + " is not an ISO-8601 instant: '" + v + "'",
          List.of(name + ": " + v));
    }
  }

  private Reply reloadRules(RoutingContext ctx) {
    // Compile and test first: the active pack changes only when the new one passes its own cases.
    RulePack next = RulePacks.load(config.rules());
    TestReport report = RulePackTester.run(RulePacks.packDirectory(config.rules()));
    report.requirePassed();
    RulePack previous = rulePack.getAndSet(next);
    store.write(
        w ->
            w.appendAudit(
                clock.instant(),
                caller(ctx).user(),
                "rulepack.activated",
                null,
                next.version(),
                new JsonObject()
                    .put("previous", previous.version())
                    .put("rules", next.ruleCount())
                    .put("testsPassed", report.passed())
                    .encode()));
    return Reply.json(
        200,
        Map.of(
            "rulePackVersion", next.version(),
            "previous", previous.version(),
            "rules", next.ruleCount(),
            "testsPassed", report.passed()));
  }

  private Reply prometheus() {
    Map<String, Long> byStatus =
        store.read(
            r -> {
              Map<String, Long> counts = new TreeMap<>();
              for (Environment e : r.environments()) {
                for (Drift d : r.drifts(e.id())) {
                  counts.merge(d.status().name(), 1L, Long::sum);
                }
              }
              return counts;
            });
    return new Reply(200, "text/plain; version=0.0.4", metrics.render(byStatus));
  }

  @Override
  public void close() {
    webhooks.close();
    if (http != null) {
      http.close().toCompletionStage().toCompletableFuture().join();
    }
    vertx.close().toCompletionStage().toCompletableFuture().join();
    groupCommit.close();
    store.close();
  }
}
