package org.plumbline.server.console;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.plumbline.governance.Caller;

/**
 * The console's sessions, held in memory (a restart signs everyone out). A session is named by 32
 * random bytes in an HttpOnly, SameSite=Strict cookie (Secure when the request came over TLS); it
 * holds the signed-in user and roles, never a token, and a synchronizer token that every form posts
 * back (CSRF). A session unused for the idle timeout is gone. Signing in replaces the session the
 * sign-in form was served in, so an id planted before sign-in is worth nothing.
 */
final class Sessions {
  static final String COOKIE = "plumbline_session";
  private static final int MAX_SESSIONS = 10_000;

  /** One browser's session; {@code caller} is null until it signs in. */
  static final class Session {
    final String id;
    final String csrf;
    final Caller caller;
    final String via;
    volatile Instant lastSeen;
    volatile String flash;

    Session(String id, String csrf, Caller caller, String via, Instant now) {
      this.id = id;
      this.csrf = csrf;
      this.caller = caller;
      this.via = via;
      this.lastSeen = now;
    }

    boolean signedIn() {
      return caller != null;
    }

    /** The one-time message for the next page, taken. */
    String takeFlash() {
      String f = flash;
      flash = null;
      return f;
    }
  }

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final Duration idle;

  Sessions(Clock clock, Duration idle) {
    this.clock = clock;
    this.idle = idle;
  }

  /** The live session the request's cookie names, or null; touching it restarts its idle time. */
  Session find(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(COOKIE);
    if (c == null) {
      return null;
    }
    Session s = sessions.get(c.getValue());
    Instant now = clock.instant();
    if (s == null) {
      return null;
    }
    if (s.lastSeen.plus(idle).isBefore(now)) {
      sessions.remove(s.id);
      return null;
    }
    s.lastSeen = now;
    return s;
  }

  /** A new session (signed in when {@code caller} is given), its cookie set on the response. */
  Session open(RoutingContext ctx, Caller caller, String via) {
    if (sessions.size() >= MAX_SESSIONS) {
      purge();
    }
    Session s = new Session(randomId(), randomId(), caller, via, clock.instant());
    sessions.put(s.id, s);
    ctx.response().addCookie(cookie(ctx, s.id));
    return s;
  }

  /** Ends a session and clears its cookie. */
  void close(RoutingContext ctx, Session s) {
    if (s != null) {
      sessions.remove(s.id);
    }
    ctx.response().addCookie(cookie(ctx, "").setMaxAge(0));
  }

  /** Ends a session; the cookie the response sets next replaces its cookie. */
  void discard(Session s) {
    if (s != null) {
      sessions.remove(s.id);
    }
  }

  /** Whether a posted synchronizer token is the session's, compared in constant time. */
  static boolean csrfMatches(Session s, String posted) {
    return s != null
        && posted != null
        && MessageDigest.isEqual(
            s.csrf.getBytes(StandardCharsets.US_ASCII), posted.getBytes(StandardCharsets.UTF_8));
  }

  int size() {
    return sessions.size();
  }

  private void purge() {
    Instant cutoff = clock.instant().minus(idle);
    sessions.values().removeIf(s -> s.lastSeen.isBefore(cutoff));
    if (sessions.size() >= MAX_SESSIONS) {
      // Still full of live sessions: the anonymous ones (sign-in forms) go first.
      sessions.values().removeIf(s -> !s.signedIn());
    }
  }

  private static Cookie cookie(RoutingContext ctx, String value) {
    return Cookie.cookie(COOKIE, value)
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT)
        .setSecure(ctx.request().isSSL());
  }

  private String randomId() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
