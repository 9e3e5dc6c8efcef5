package org.plumbline.server.http.resources;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/** The health endpoints: liveness and readiness; they answer without authentication. */
public final class HealthResource {
  private final BooleanSupplier storeOpen;
  private final BooleanSupplier loading;

  public HealthResource(BooleanSupplier storeOpen, BooleanSupplier loading) {
    this.storeOpen = storeOpen;
    this.loading = loading;
  }

  /** Liveness: 200 as soon as the process answers HTTP, whatever is still loading. */
  public void live(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "UP").encode());
  }

  /**
   * Readiness ({@code /health}, {@code /health/ready}): UP only when the store is open, the rule
   * pack active and nothing (the demo world) is still loading; STARTING while loading, DOWN once
   * the store is closed.
   */
  public void ready(RoutingContext ctx) {
    String status = !storeOpen.getAsBoolean() ? "DOWN" : loading.getAsBoolean() ? "STARTING" : "UP";
    ctx.response()
        .setStatusCode(status.equals("UP") ? 200 : 503)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", status).encode());
  }
}
