package org.plumbline.server.http.resources;

import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.plumbline.governance.Caller;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.ServerError;

/** What the resources read from a request: the caller, the body, an instant or size parameter. */
public final class Requests {
  private Requests() {}

  /** The authenticated caller the authentication handler put on the context. */
  public static Caller caller(RoutingContext ctx) {
    return ctx.get(Caller.class.getName());
  }

  static byte[] bytes(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
      throw new PlumblineException(ServerError.INVALID_REQUEST, "request body is empty");
    }
    return ctx.body().buffer().getBytes();
  }

  /** A ledger size parameter (a whole number, at least 0), or null when it is not given. */
  static Long sizeParam(RoutingContext ctx, String name) {
    if (ctx.request().params().getAll(name).size() > 1) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST, name + " is given more than once", List.of(name));
    }
    String v = ctx.request().getParam(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          name + " is not a ledger size (a whole number): '" + v + "'",
          List.of(name + ": " + v));
    }
  }

  static Instant instantParam(RoutingContext ctx, String name) {
    if (ctx.request().params().getAll(name).size() > 1) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST, name + " is given more than once", List.of(name));
    }
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
}
