package org.plumbline.server.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.plumbline.governance.Caller;
import org.plumbline.server.auth.Auth;
import org.plumbline.server.auth.UserIds;
import org.plumbline.server.config.ServerConfig;

/**
 * Sign-in through an OpenID Connect provider with vertx-auth-oauth2: the authorization code flow
 * with PKCE (S256), a one-time {@code state} and a {@code nonce} checked in the ID token. The
 * provider is discovered from the issuer's {@code /.well-known/openid-configuration} on first use
 * (and again after a failure), so a provider that is down does not stop the server.
 *
 * <p>The pending sign-in (verifier, nonce, when it started) is kept on the server under its {@code
 * state}, and bound to the browser that started it by a short-lived HttpOnly cookie: the provider's
 * redirect back is a cross-site navigation, which carries no SameSite=Strict session cookie, so
 * this cookie is SameSite=Lax and holds nothing but a random binding. The user comes from {@code
 * userClaim}, the roles from {@code rolesClaim} of the validated ID token (only Plumbline's roles
 * count). The session cookie set on the callback's answer is Strict, so the answer is a page that
 * moves on to the inbox by itself rather than a redirect.
 */
public final class OidcSignIn implements Oidc {
  static final String COOKIE = "plumbline_oidc";
  private static final Duration PENDING = Duration.ofMinutes(10);
  private static final int MAX_PENDING = 10_000;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OidcSignIn.class);

  private record Pending(String binding, String verifier, String nonce, Instant started) {}

  private final Vertx vertx;
  private final ServerConfig.Oidc config;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private volatile Future<OAuth2Auth> provider;

  public OidcSignIn(Vertx vertx, ServerConfig.Oidc config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public String name() {
    return config.name();
  }

  /** The discovered provider; discovered again when the last try failed. */
  private Future<OAuth2Auth> provider() {
    Future<OAuth2Auth> p = provider;
    if (p == null || p.failed()) {
      OAuth2Options options =
          new OAuth2Options()
              .setSite(config.issuer())
              .setClientId(config.clientId())
              .setClientSecret(config.clientSecret());
      p = OpenIDConnectAuth.discover(vertx, options);
      provider = p;
    }
    return p;
  }

  @Override
  public void start(RoutingContext ctx, Console console) {
    Sessions.Session form = console.session(ctx);
    if (form == null) {
      Console.redirect(ctx, "/console/sign-in");
      return;
    }
    if (!console.checkForm(ctx, form)) {
      return;
    }
    provider()
        .onSuccess(
            auth -> {
              purge();
              String state = randomId();
              String binding = randomId();
              String verifier = randomId() + randomId();
              String nonce = randomId();
              pending.put(state, new Pending(binding, verifier, nonce, clock.instant()));
              String url =
                  auth.authorizeURL(
                      new OAuth2AuthorizationURL()
                          .setRedirectUri(config.redirectUri())
                          .setScopes(config.scopes())
                          .setState(state)
                          .setCodeChallenge(s256(verifier))
                          .setCodeChallengeMethod("S256")
                          .putAdditionalParameter("nonce", nonce));
              ctx.response()
                  .addCookie(
                      Cookie.cookie(COOKIE, binding)
                          .setPath("/console/oidc/")
                          .setHttpOnly(true)
                          .setSameSite(CookieSameSite.LAX)
                          .setSecure(ctx.request().isSSL())
                          .setMaxAge(PENDING.toSeconds()));
              Console.redirect(ctx, url);
            })
        .onFailure(
            e -> {
              LOG.warn("OpenID Connect provider {} unavailable: {}", config.issuer(), e.toString());
              form.flash = "Single sign-on is not available now; sign in with your token.";
              Console.redirect(ctx, "/console/sign-in");
            });
  }

  @Override
  public void callback(RoutingContext ctx, Console console) {
    String state = ctx.request().getParam("state");
    String code = ctx.request().getParam("code");
    Pending p = state == null ? null : pending.remove(state);
    Cookie bound = ctx.request().getCookie(COOKIE);
    ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/console/oidc/").setMaxAge(0));
    if (p == null
        || bound == null
        || !MessageDigest.isEqual(
            p.binding().getBytes(StandardCharsets.US_ASCII),
            bound.getValue().getBytes(StandardCharsets.UTF_8))
        || p.started().plus(PENDING).isBefore(clock.instant())) {
      failed(ctx, console, "That sign-in was not started here or has expired. Try again.");
      return;
    }
    if (code == null) {
      // The provider refused (error=access_denied, ...): its words are not shown, only ours.
      failed(ctx, console, "The sign-in was refused by " + config.name() + ".");
      return;
    }
    provider()
        .compose(
            auth ->
                auth.authenticate(
                    new Oauth2Credentials()
                        .setFlow(OAuth2FlowType.AUTH_CODE)
                        .setCode(code)
                        .setRedirectUri(config.redirectUri())
                        .setCodeVerifier(p.verifier())))
        .onSuccess(
            user -> {
              Caller caller;
              try {
                caller = caller(user, p.nonce());
              } catch (IllegalArgumentException e) {
                failed(ctx, console, e.getMessage());
                return;
              }
              Sessions.Session s = console.signInWith(ctx, caller, "oidc");
              ctx.response()
                  .putHeader("Content-Type", "text/html; charset=utf-8")
                  .end(
                      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                          + "<meta http-equiv=\"refresh\" content=\"0;url=/\">"
                          + "<title>Signed in</title></head><body><p>Signed in. "
                          + "<a href=\"/\">Continue to the inbox</a></p></body></html>");
              LOG.debug("signed in through OpenID Connect: {}", s.caller.user());
            })
        .onFailure(
            e -> {
              LOG.warn("OpenID Connect sign-in failed: {}", e.toString());
              failed(ctx, console, "The sign-in could not be completed. Try again.");
            });
  }

  /** The user and Plumbline roles of a validated ID token whose nonce is ours. */
  Caller caller(User user, String nonce) {
    JsonObject id = user.attributes().getJsonObject("idToken");
    if (id == null) {
      throw new IllegalArgumentException("The provider sent no ID token.");
    }
    if (!nonce.equals(id.getString("nonce"))) {
      throw new IllegalArgumentException("The sign-in was not the one started here. Try again.");
    }
    Object name = id.getValue(config.userClaim());
    String u = name instanceof String n ? UserIds.normalize(n) : null;
    if (u == null || u.isEmpty()) {
      throw new IllegalArgumentException(
          "The provider named no user in claim '" + config.userClaim() + "'.");
    }
    Set<String> roles = new LinkedHashSet<>();
    for (String r : Auth.roleClaim(id, config.rolesClaim())) {
      if (ServerConfig.ROLES.contains(r)) {
        roles.add(r);
      }
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("That account grants no Plumbline role.");
    }
    return new Caller(u, roles);
  }

  private void failed(RoutingContext ctx, Console console, String message) {
    console.flashToSignIn(ctx, message);
  }

  private void purge() {
    Instant cutoff = clock.instant().minus(PENDING);
    pending.values().removeIf(p -> p.started().isBefore(cutoff));
    if (pending.size() >= MAX_PENDING) {
      pending.clear();
    }
  }

  static String s256(String verifier) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String randomId() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
