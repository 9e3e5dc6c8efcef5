package org.plumbline.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.plumbline.ontology.ErrorCode;
import org.plumbline.server.ServerError;

/**
 * The HTTP layer's meters: requests by route and status, ingests by kind and outcome (count and
 * latency histogram), and coded errors by code (which counts rate-limit and authentication
 * refusals). Label values come from closed sets: route names, error codes, ingest kinds.
 */
public final class Metrics {
  /** The ingest kinds, each shown from the start (at 0) so that rates and alerts have a series. */
  public static final List<String> INGEST_KINDS =
      List.of("snapshot", "blueprint", "change-request", "prompt", "metric");

  private static final List<String> OUTCOMES = List.of("created", "replay", "refused");

  /** Bucket bounds of the ingest latency histogram: a few, so that each series stays small. */
  private static final Duration[] INGEST_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  private final MeterRegistry registry;

  public Metrics(MeterRegistry registry) {
    this.registry = registry;
    for (String kind : INGEST_KINDS) {
      for (String outcome : OUTCOMES) {
        ingestCounter(kind, outcome);
        ingestTimer(kind, outcome);
      }
    }
    for (String decision : List.of("ALLOW", "DENY")) {
      gateDecisions(decision);
    }
    for (ErrorCode code :
        List.of(ServerError.RATE_LIMITED, ServerError.UNAUTHENTICATED, ServerError.FORBIDDEN)) {
      errors(code);
    }
  }

  private Counter ingestCounter(String kind, String outcome) {
    return Counter.builder("plumbline.ingests")
        .description("Ingest requests by kind and outcome.")
        .tags("kind", kind, "outcome", outcome)
        .register(registry);
  }

  private Timer ingestTimer(String kind, String outcome) {
    return Timer.builder("plumbline.ingest")
        .description("Ingest latency by kind and outcome, from request to stored answer.")
        .tags("kind", kind, "outcome", outcome)
        .serviceLevelObjectives(INGEST_BUCKETS)
        .register(registry);
  }

  private Counter errors(ErrorCode code) {
    return Counter.builder("plumbline.http.errors")
        .description(
            "Coded errors answered, by code (RATE_LIMITED, UNAUTHENTICATED, FORBIDDEN, ...).")
        .tags("code", code.name())
        .register(registry);
  }

  /** The bucket bounds of the ingest histogram, shared by the command histogram. */
  public static Duration[] latencyBuckets() {
    return INGEST_BUCKETS.clone();
  }

  private Counter gateDecisions(String decision) {
    return Counter.builder("plumbline.gate.decisions")
        .description("Promotion gate decisions by decision (ALLOW, DENY), from every entry point.")
        .tags("decision", decision)
        .register(registry);
  }

  /** Counts the promotion gate decisions {@code governor} commits, whichever entry point asked. */
  public void countGateDecisions(org.plumbline.governance.Governor governor) {
    governor.listen(
        (command, result) -> {
          if (result instanceof org.plumbline.governance.PromotionGates.Outcome o) {
            gateDecided(o.decision().decision().name());
          }
        });
  }

  /** A promotion gate decided ({@code ALLOW} or {@code DENY}). */
  public void gateDecided(String decision) {
    gateDecisions(decision).increment();
  }

  /** One ingest of {@code kind} ended with {@code outcome} after {@code nanos}. */
  public void ingest(String kind, String outcome, long nanos) {
    ingestCounter(kind, outcome).increment();
    ingestTimer(kind, outcome).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts a coded error answered to a client; the failure handler calls it, then renders. */
  public void failed(RoutingContext ctx) {
    errors(HttpErrors.code(ctx)).increment();
    ctx.next();
  }

  /** Counts every request by route and status, with its latency, once its body has gone. */
  public void timed(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addBodyEndHandler(
        v ->
            Timer.builder("plumbline.http.request")
                .description("HTTP request latency by route and status.")
                .tags(
                    "route",
                    routeName(ctx.request().path()),
                    "status",
                    Integer.toString(ctx.response().getStatusCode()))
                .register(registry)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    ctx.next();
  }

  /** The route a path is counted under: one name per route, "other" for any unknown path. */
  public static String routeName(String path) {
    if (path.startsWith("/api/v1/environments/")) {
      return "/api/v1/environments/{id}/audit";
    }
    if (path.startsWith("/graphiql")) {
      return "/graphiql";
    }
    return switch (path) {
      case "/health",
          "/health/live",
          "/health/ready",
          "/graphql",
          "/metrics",
          "/api/v1/blueprints",
          "/api/v1/snapshots",
          "/api/v1/metrics",
          "/api/v1/change-requests",
          "/api/v1/prompts",
          "/api/v1/gates/promotion",
          "/api/v1/audit/verify",
          "/api/v1/audit/export",
          "/api/v1/audit/public-key",
          "/api/v1/audit/rotate-key",
          "/api/v1/admin/backup",
          "/api/v1/admin/compact",
          "/api/v1/rulepacks/reload" ->
          path;
      default -> "other";
    };
  }
}
