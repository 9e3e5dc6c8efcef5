package org.plumbline.server.console;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.plumbline.governance.Caller;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.http.HttpDefences;
import org.plumbline.server.http.TokenBuckets;

/**
 * The web console (CONTRACT section 7, docs/console.md): server-rendered pages at {@code /} and
 * under {@code /console/}, signed in with a session cookie instead of a bearer header. It reads and
 * writes through {@link ConsoleGraphQL} only. Every form carries the session's synchronizer token
 * and is refused from another origin; pages carry a strict Content-Security-Policy (see {@link
 * HttpDefences}).
 */
public final class Console {
  /** Runs store work off the event loop (the server's guarded worker). */
  @FunctionalInterface
  public interface Worker {
    <T> Future<T> run(Callable<T> work);
  }

  /** Checks a token as the API does: the caller it stands for, or a failed future. */
  @FunctionalInterface
  public interface TokenCheck {
    Future<Caller> check(String token, RoutingContext ctx);
  }

  /**
   * Takes one attempt from the bucket of a client address: 0 when granted, else the nanoseconds to
   * wait. Token checks of people (sign-in, the token entered again to sign) go through it.
   */
  @FunctionalInterface
  public interface AttemptLimit {
    long take(String clientAddress);

    AttemptLimit NONE = address -> 0;

    /**
     * Token checks of people (sign-in, the token entered again to sign), per client address, in the
     * server's token buckets: ten at once, then one every six seconds. The bearer-token limits
     * cannot cover them, since nobody is known until the token is checked.
     */
    ServerConfig.RateLimit SIGN_IN_ATTEMPTS = new ServerConfig.RateLimit(1 / 6.0, 10);

    static AttemptLimit perAddress(TokenBuckets buckets, BooleanSupplier enabled) {
      return address ->
          enabled.getAsBoolean() ? buckets.take("console-sign-in:" + address, SIGN_IN_ATTEMPTS) : 0;
    }
  }

  /**
   * @param idleTimeout a session unused this long is gone
   */
  public record Options(Duration idleTimeout) {
    public static final Options DEFAULT = new Options(Duration.ofMinutes(30));
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Console.class);

  private final Sessions sessions;
  private final Pages pages;
  private final ApprovalPages approvals;
  private final TokenCheck tokens;
  private final Worker worker;
  private final Clock clock;
  private final Assets assets = new Assets();
  private final Templates templates;
  private final Oidc oidc;
  private final AttemptLimit attempts;

  public Console(
      Clock clock,
      Options options,
      ConsoleGraphQL graphql,
      TokenCheck tokens,
      Worker worker,
      Pages.Exports exports,
      Oidc oidc,
      AttemptLimit attempts) {
    this.clock = clock;
    this.attempts = attempts;
    this.sessions = new Sessions(clock, options.idleTimeout());
    this.templates = new Templates();
    this.pages = new Pages(graphql, templates, clock, exports);
    this.approvals = new ApprovalPages(graphql, pages, clock);
    this.tokens = tokens;
    this.worker = worker;
    this.oidc = oidc;
  }

  /** Mounts the console's routes; call before the bearer-token authentication handler. */
  public void mount(Router router) {
    router.get("/console/assets/:name").handler(assets::serve);
    router.post("/console/*").handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
    router.get("/").handler(ctx -> page(ctx, pages::inbox));
    router.get("/console/sign-in").handler(this::signInForm);
    router.post("/console/sign-in").handler(ctx -> limited(ctx, () -> signIn(ctx)));
    router.post("/console/sign-out").handler(this::signOut);
    if (oidc != null) {
      router.post("/console/oidc/start").handler(ctx -> oidc.start(ctx, this));
      router.get("/console/oidc/callback").handler(ctx -> oidc.callback(ctx, this));
    }
    router.get("/console/environments").handler(ctx -> page(ctx, pages::environments));
    router.get("/console/environments/:id").handler(ctx -> page(ctx, pages::environment));
    router.post("/console/environments/:id/extend").handler(ctx -> form(ctx, pages::extend));
    router.get("/console/drifts/:id").handler(ctx -> page(ctx, pages::drift));
    router.post("/console/drifts/:id/dispositions").handler(ctx -> form(ctx, pages::request));
    router
        .post("/console/environments/:id/overrides")
        .handler(ctx -> form(ctx, approvals::requestOverride));
    router.get("/console/approvals").handler(ctx -> page(ctx, approvals::approvals));
    router
        .post("/console/approvals/overrides/:id")
        .handler(ctx -> limited(ctx, () -> form(ctx, approvals::signOverride)));
    router
        .post("/console/approvals/:id")
        .handler(ctx -> limited(ctx, () -> form(ctx, approvals::signDisposition)));
    router.get("/console/evidence").handler(ctx -> page(ctx, pages::evidence));
    router.get("/console/evidence/export").handler(ctx -> page(ctx, pages::export));
    router.get("/console/prompts").handler(ctx -> page(ctx, pages::prompts));
    router.get("/console/rules").handler(ctx -> page(ctx, pages::rules));
    router.get("/console/change-requests").handler(ctx -> page(ctx, pages::changeRequests));
    router.route("/console/*").handler(ctx -> page(ctx, (c, s) -> pages.notFound(s)));
  }

  /** A page handler: the request and the signed-in session, answered on a worker thread. */
  @FunctionalInterface
  interface Handler {
    Outcome handle(RoutingContext ctx, Sessions.Session session) throws Exception;
  }

  /**
   * Runs a form that checks a person's token, unless its client address has used up its attempts:
   * then 429 with Retry-After and a page saying when to try again; the token is not checked.
   */
  private void limited(RoutingContext ctx, Runnable form) {
    String address =
        ctx.request().remoteAddress() == null
            ? "unknown"
            : ctx.request().remoteAddress().hostAddress();
    long waitNanos = attempts.take(address);
    if (waitNanos == 0) {
      form.run();
      return;
    }
    long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    ctx.response()
        .setStatusCode(429)
        .putHeader("Retry-After", Long.toString(seconds))
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .end(
            pages.message(
                new Shell(
                    "Too many attempts",
                    "",
                    null,
                    "",
                    "Too many sign-in attempts from your address. Try again in " + seconds + " s.",
                    true,
                    clock.instant())));
  }

  /** A GET page for a signed-in user; the sign-in page otherwise. */
  private void page(RoutingContext ctx, Handler h) {
    Sessions.Session s = sessions.find(ctx);
    if (s == null || !s.signedIn()) {
      redirect(ctx, "/console/sign-in");
      return;
    }
    run(ctx, () -> h.handle(ctx, s), s);
  }

  /** A form post of a signed-in user: same origin and the session's token, or 403. */
  private void form(RoutingContext ctx, Handler h) {
    Sessions.Session s = sessions.find(ctx);
    if (s == null || !s.signedIn()) {
      redirect(ctx, "/console/sign-in");
      return;
    }
    if (!checkForm(ctx, s)) {
      return;
    }
    run(ctx, () -> h.handle(ctx, s), s);
  }

  /** Refuses a post from another origin or without the session's token; true when it may go on. */
  boolean checkForm(RoutingContext ctx, Sessions.Session s) {
    try {
      HttpDefences.requireSameOrigin(ctx.request());
    } catch (PlumblineException e) {
      refuse(ctx, "This form came from another site and was refused.");
      return false;
    }
    if (!Sessions.csrfMatches(s, ctx.request().getFormAttribute("_csrf"))) {
      refuse(ctx, "This form has expired or did not come from this console. Reload and try again.");
      return false;
    }
    return true;
  }

  private void refuse(RoutingContext ctx, String message) {
    ctx.response()
        .setStatusCode(403)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .end(pages.message(new Shell("Refused", "", null, "", message, true, clock.instant())));
  }

  private void run(RoutingContext ctx, Callable<Outcome> work, Sessions.Session s) {
    worker
        .run(
            () -> {
              try {
                return work.call();
              } catch (ConsoleException e) {
                return pages.failed(s, e.problem());
              }
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn("console page failed: {}", ctx.request().path(), ar.cause());
                Outcome o =
                    pages.failed(
                        s,
                        new ConsoleGraphQL.Problem(
                            ar.cause() instanceof PlumblineException p
                                ? p.code().name()
                                : "INTERNAL",
                            ar.cause() instanceof PlumblineException p
                                ? p.getMessage()
                                : "the server could not answer this page"));
                send(ctx, o);
              } else {
                send(ctx, ar.result());
              }
            });
  }

  private static void send(RoutingContext ctx, Outcome o) {
    if (o instanceof Outcome.Html h) {
      ctx.response()
          .setStatusCode(h.status())
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .end(h.html());
    } else if (o instanceof Outcome.Redirect r) {
      redirect(ctx, r.location());
    } else if (o instanceof Outcome.File f) {
      ctx.response().setStatusCode(200).putHeader("Content-Type", f.contentType());
      if (f.filename() != null) {
        ctx.response()
            .putHeader("Content-Disposition", "attachment; filename=\"" + f.filename() + "\"");
      }
      ctx.response().end(io.vertx.core.buffer.Buffer.buffer(f.body()));
    }
  }

  static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }

  // ---- sign-in, sign-out ----

  private void signInForm(RoutingContext ctx) {
    Sessions.Session s = sessions.find(ctx);
    if (s != null && s.signedIn()) {
      redirect(ctx, "/");
      return;
    }
    if (s == null) {
      s = sessions.open(ctx, null, null);
    }
    String flash = s.takeFlash();
    ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .end(
            templates.render(
                "signin",
                params(
                    "shell",
                    new Shell("Sign in", "", null, s.csrf, flash, flash != null, clock.instant()),
                    "oidcName",
                    oidc == null ? null : oidc.name())));
  }

  private void signIn(RoutingContext ctx) {
    Sessions.Session s = sessions.find(ctx);
    if (s == null) {
      // No form session (cookies off, or it expired): start again with a fresh form.
      redirect(ctx, "/console/sign-in");
      return;
    }
    if (!checkForm(ctx, s)) {
      return;
    }
    String token = ctx.request().getFormAttribute("token");
    if (token == null || token.isBlank() || token.length() > 4096) {
      s.flash = "Enter your token.";
      redirect(ctx, "/console/sign-in");
      return;
    }
    tokens
        .check(token.strip(), ctx)
        .onSuccess(caller -> signedIn(ctx, s, caller, "token"))
        .onFailure(
            e -> {
              s.flash =
                  e instanceof PlumblineException p && p.code().name().equals("FORBIDDEN")
                      ? "That token grants no Plumbline role."
                      : "That token is not valid.";
              redirect(ctx, "/console/sign-in");
            });
  }

  /** Replaces the form's session with a signed-in one and goes to the inbox. */
  void signedIn(RoutingContext ctx, Sessions.Session formSession, Caller caller, String via) {
    sessions.discard(formSession);
    Sessions.Session s = sessions.open(ctx, caller, via);
    s.flash = "Signed in as " + caller.user() + ".";
    redirect(ctx, "/");
  }

  /**
   * Signs in a caller the OIDC provider vouched for: a new session (any session of this request is
   * discarded); its cookie is set on the response, which the caller ends.
   */
  Sessions.Session signInWith(RoutingContext ctx, Caller caller, String via) {
    sessions.discard(sessions.find(ctx));
    Sessions.Session s = sessions.open(ctx, caller, via);
    s.flash = "Signed in as " + caller.user() + ".";
    return s;
  }

  /**
   * A sign-in that did not complete: a page saying why, with the way back to the sign-in form. It
   * is a page, not a redirect with a one-time message, since the provider's redirect back carries
   * no session cookie.
   */
  void flashToSignIn(RoutingContext ctx, String message) {
    ctx.response()
        .setStatusCode(400)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .end(
            pages.message(
                new Shell("Sign-in failed", "", null, "", message, true, clock.instant())));
  }

  /** The session of this request, or a new anonymous one (OIDC's start). */
  Sessions.Session formSession(RoutingContext ctx) {
    Sessions.Session s = sessions.find(ctx);
    return s != null ? s : sessions.open(ctx, null, null);
  }

  Sessions.Session session(RoutingContext ctx) {
    return sessions.find(ctx);
  }

  private void signOut(RoutingContext ctx) {
    Sessions.Session s = sessions.find(ctx);
    if (s == null) {
      redirect(ctx, "/console/sign-in");
      return;
    }
    if (!checkForm(ctx, s)) {
      return;
    }
    sessions.discard(s);
    Sessions.Session fresh = sessions.open(ctx, null, null);
    fresh.flash = "Signed out.";
    redirect(ctx, "/console/sign-in");
  }

  static Map<String, Object> params(Object... kv) {
    Map<String, Object> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Whether a path is a console page (its Content-Security-Policy is the strict one). */
  public static boolean isPage(String path) {
    return path != null
        && (path.equals("/") || path.startsWith("/console/"))
        && !path.startsWith("/console/evidence/export");
  }
}
