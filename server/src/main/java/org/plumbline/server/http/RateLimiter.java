package org.plumbline.server.http;

import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.ServerError;
import org.plumbline.server.auth.Auth;
import org.plumbline.server.config.ServerConfig;

/** One token bucket per static token (per user for JWTs): 429 with Retry-After when empty. */
public final class RateLimiter {
  private final ServerConfig.RateLimits limits;
  private final TokenBuckets buckets;

  public RateLimiter(ServerConfig.RateLimits limits, TokenBuckets buckets) {
    this.limits = limits;
    this.buckets = buckets;
  }

  /** The route handler: passes the request on, or fails it RATE_LIMITED. */
  public void handle(RoutingContext ctx) {
    Auth.Identity id = ctx.get(Auth.Identity.class.getName());
    if (!limits.enabled() || id == null) {
      ctx.next();
      return;
    }
    long waitNanos = buckets.take(id.bucket(), limitFor(id));
    if (waitNanos == 0) {
      ctx.next();
      return;
    }
    long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    ctx.response().putHeader("Retry-After", Long.toString(seconds));
    ctx.fail(
        new PlumblineException(
            ServerError.RATE_LIMITED,
            "rate limit exceeded for user '" + id.caller().user() + "'; retry in " + seconds + " s",
            List.of("Retry-After: " + seconds)));
  }

  /** The token's own limit, else the most generous of its roles', else the default. */
  private ServerConfig.RateLimit limitFor(Auth.Identity id) {
    if (id.ownLimit() != null) {
      return id.ownLimit();
    }
    ServerConfig.RateLimit best = null;
    for (String role : id.caller().roles()) {
      ServerConfig.RateLimit r = limits.roles().get(role);
      if (r != null && (best == null || r.perSecond() > best.perSecond())) {
        best = r;
      }
    }
    return best == null ? limits.defaultLimit() : best;
  }
}
