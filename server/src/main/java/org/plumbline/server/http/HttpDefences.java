package org.plumbline.server.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.ServerError;
import org.plumbline.server.auth.Auth;

/**
 * The browser-facing defences of every route (docs/security.md, "HTTP, sessions and CSRF"):
 * security headers on every answer, no caching of authenticated answers, the same-origin check for
 * credentials a browser attaches by itself, the media type GraphQL is posted in, and the timeouts
 * that free connections a client leaves half-sent.
 */
public final class HttpDefences {
  /**
   * Everything from this origin only; no inline or evaluated script (GraphiQL's page is served with
   * its scripts as files); inline styles only, which GraphiQL's editor sets on its elements; never
   * framed.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:;"
          + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
          + " frame-ancestors 'none'";

  /**
   * The console's pages (see {@link org.plumbline.server.console.Console}): no inline script and no
   * inline style either, nothing but this origin, never framed, forms posted here only.
   */
  public static final String CONSOLE_CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none';"
          + " frame-ancestors 'none'";

  /** The headers every answer carries, whatever the route and status. */
  static final Map<String, String> SECURITY_HEADERS =
      Map.of(
          "Content-Security-Policy", CONTENT_SECURITY_POLICY,
          "X-Frame-Options", "DENY",
          "X-Content-Type-Options", "nosniff",
          "Referrer-Policy", "no-referrer");

  private HttpDefences() {}

  /**
   * First handler of the router: the security headers on every answer, and {@code Cache-Control:
   * no-store} on every answer but GraphiQL's static files (scripts, styles, fonts: the same for
   * everyone, no data in them).
   */
  public static void headers(RoutingContext ctx) {
    ctx.addHeadersEndHandler(v -> put(ctx.response(), ctx.request().path()));
    ctx.next();
  }

  static void put(HttpServerResponse response, String path) {
    SECURITY_HEADERS.forEach(response::putHeader);
    if (org.plumbline.server.console.Console.isPage(path)) {
      response.putHeader("Content-Security-Policy", CONSOLE_CONTENT_SECURITY_POLICY);
      // With no-referrer a browser posts the console's forms with "Origin: null", and the
      // same-origin check could not tell them from another site's; same-origin still sends
      // nothing to other sites.
      response.putHeader("Referrer-Policy", "same-origin");
    }
    if (!isStaticAsset(path)) {
      response.putHeader("Cache-Control", "no-store");
    }
  }

  static boolean isStaticAsset(String path) {
    return path != null
        && (path.startsWith("/graphiql/assets/")
            || path.startsWith("/graphiql/monacoeditorwork/")
            || path.equals("/graphiql/favicon.ico")
            || path.startsWith("/console/assets/"));
  }

  /**
   * Refuses a request authenticated by credentials the browser attaches on its own (Basic) when it
   * comes from another origin: an {@code Origin} whose host and port differ from the request's
   * {@code Host}, or, for a state-changing method, {@code Sec-Fetch-Site} {@code cross-site} or
   * {@code same-site} (another port or subdomain of the same site is another origin).
   *
   * @throws PlumblineException {@link ServerError#CROSS_ORIGIN_REQUEST}
   */
  public static void requireSameOrigin(HttpServerRequest req) {
    String origin = req.getHeader("Origin");
    String host = req.authority() == null ? null : req.authority().toString();
    if (origin != null && !sameAuthority(origin, host)) {
      throw crossOrigin("Origin " + Auth.clean(origin) + " is not this server's origin");
    }
    String site = req.getHeader("Sec-Fetch-Site");
    boolean safe = req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD;
    if (!safe && site != null && !site.equals("same-origin") && !site.equals("none")) {
      throw crossOrigin("Sec-Fetch-Site: " + Auth.clean(site));
    }
  }

  private static boolean sameAuthority(String origin, String host) {
    if (host == null || origin.equals("null")) {
      return false;
    }
    try {
      URI o = URI.create(origin);
      if (o.getHost() == null) {
        return false;
      }
      int port = o.getPort() != -1 ? o.getPort() : "https".equals(o.getScheme()) ? 443 : 80;
      String hostName = host;
      int hostPort = "https".equals(o.getScheme()) ? 443 : 80;
      int colon = host.lastIndexOf(':');
      if (colon > 0 && !host.endsWith("]")) {
        hostName = host.substring(0, colon);
        hostPort = Integer.parseInt(host.substring(colon + 1));
      }
      return o.getHost().equalsIgnoreCase(hostName) && port == hostPort;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static PlumblineException crossOrigin(String detail) {
    return new PlumblineException(
        ServerError.CROSS_ORIGIN_REQUEST,
        "cross-origin request refused: browser-held credentials are honoured only from this"
            + " server's own pages",
        List.of(detail));
  }

  /**
   * GraphQL is posted as {@code application/json} only: an HTML form can send {@code text/plain},
   * {@code multipart/form-data} and {@code application/x-www-form-urlencoded} across origins
   * without asking, never JSON.
   *
   * @throws PlumblineException {@link ServerError#UNSUPPORTED_MEDIA_TYPE}
   */
  public static void requireJson(HttpServerRequest req) {
    String type = req.getHeader("Content-Type");
    String base = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!base.equals("application/json")) {
      throw new PlumblineException(
          ServerError.UNSUPPORTED_MEDIA_TYPE,
          "GraphQL requests are posted as Content-Type: application/json",
          List.of("Content-Type: " + (type == null ? "(none)" : Auth.clean(type))));
    }
  }

  /**
   * Closes a connection that has not sent a whole request head within {@code headerTimeout} of
   * opening or of its previous answer (a client trickling headers, which an idle timeout alone does
   * not stop as long as a byte arrives now and then).
   */
  public static final class HeaderTimeouts {
    private final Vertx vertx;
    private final long millis;
    private final Map<HttpConnection, Long> timers = new ConcurrentHashMap<>();

    public HeaderTimeouts(Vertx vertx, long millis) {
      this.vertx = vertx;
      this.millis = millis;
    }

    /** A new connection: the clock for its first request head starts. */
    public void opened(HttpConnection conn) {
      arm(conn);
      conn.closeHandler(v -> disarm(conn));
    }

    /**
     * A request head arrived (the router's first handler): the clock stops, and the end of its
     * answer starts it again for the next request on the connection.
     */
    public void requestStarted(RoutingContext ctx) {
      HttpConnection conn = ctx.request().connection();
      if (conn != null) {
        disarm(conn);
        ctx.addEndHandler(v -> arm(conn));
      }
      ctx.next();
    }

    private void arm(HttpConnection conn) {
      long id =
          vertx.setTimer(
              millis,
              t -> {
                timers.remove(conn);
                conn.close();
              });
      Long previous = timers.put(conn, id);
      if (previous != null) {
        vertx.cancelTimer(previous);
      }
    }

    private void disarm(HttpConnection conn) {
      Long id = timers.remove(conn);
      if (id != null) {
        vertx.cancelTimer(id);
      }
    }
  }

  /**
   * Closes the connection of a request whose body has not fully arrived within {@code millis} of
   * its head (a client that stops half-way through a body).
   */
  public static io.vertx.core.Handler<RoutingContext> bodyTimeout(Vertx vertx, long millis) {
    return ctx -> {
      HttpServerRequest req = ctx.request();
      if (!req.isEnded()) {
        long id =
            vertx.setTimer(
                millis,
                t -> {
                  if (!req.isEnded() && req.connection() != null) {
                    req.connection().close();
                  }
                });
        ctx.addEndHandler(v -> vertx.cancelTimer(id));
      }
      ctx.next();
    };
  }
}
