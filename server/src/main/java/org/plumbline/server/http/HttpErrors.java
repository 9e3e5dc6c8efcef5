package org.plumbline.server.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.plumbline.ontology.ErrorCode;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.ServerError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that maps error kinds to HTTP statuses and renders {@code {"error": {code, message,
 * details}}}. Handlers never write error bodies; they fail the routing context.
 */
public final class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {}

  /** The status of a code: its kind's, except the few codes HTTP has a status of their own for. */
  public static int status(ErrorCode code) {
    return code == ServerError.UNSUPPORTED_MEDIA_TYPE ? 415 : status(code.kind());
  }

  public static int status(ErrorCode.Kind kind) {
    return switch (kind) {
      case INVALID -> 400;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case UNPROCESSABLE -> 422;
      case TOO_MANY_REQUESTS -> 429;
      case UNAVAILABLE -> 503;
      case INTERNAL -> 500;
    };
  }

  /** The failure handler of every route. */
  public static void render(RoutingContext ctx) {
    PlumblineException e = asCoded(ctx);
    int status = status(e.code());
    if (status >= 500) {
      LOG.error(
          "request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    JsonObject body =
        new JsonObject()
            .put(
                "error",
                new JsonObject()
                    .put("code", e.code().name())
                    .put("message", e.getMessage())
                    .put("details", new JsonArray(e.details())));
    if (ctx.response().ended()) {
      return;
    }
    if (status == 401 && ctx.response().headers().get("WWW-Authenticate") == null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"plumbline\"");
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  /** The code a failed request is answered with. */
  public static ErrorCode code(RoutingContext ctx) {
    return asCoded(ctx).code();
  }

  private static PlumblineException asCoded(RoutingContext ctx) {
    Throwable t = ctx.failure();
    if (t instanceof PlumblineException p) {
      return p;
    }
    return switch (ctx.statusCode()) {
      case 404 ->
          new PlumblineException(
              ServerError.NOT_FOUND, "no such endpoint: " + ctx.request().path());
      case 405 ->
          new PlumblineException(
              ServerError.NOT_FOUND, "method not allowed on " + ctx.request().path());
      case 413 -> new PlumblineException(ServerError.PAYLOAD_TOO_LARGE, "request body too large");
      case 400 -> new PlumblineException(ServerError.INVALID_REQUEST, "malformed request");
      default -> new PlumblineException(ServerError.INTERNAL, "internal error");
    };
  }

  /**
   * Requests Netty could not decode (a request line or headers too long, a malformed line) never
   * reach the router; answer them in the same coded form.
   */
  public static void undecodable(io.vertx.core.http.HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    int status =
        cause instanceof io.netty.handler.codec.TooLongFrameException
            ? (String.valueOf(cause.getMessage()).contains("header") ? 431 : 414)
            : 400;
    String message =
        switch (status) {
          case 414 -> "the request line is too long";
          case 431 -> "the request headers are too large";
          default -> "the request is not valid HTTP";
        };
    HttpDefences.put(req.response(), null);
    req.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close")
        .end(
            new JsonObject()
                .put(
                    "error",
                    new JsonObject()
                        .put("code", ServerError.INVALID_REQUEST.name())
                        .put("message", message)
                        .put("details", new JsonArray()))
                .encode());
  }
}
