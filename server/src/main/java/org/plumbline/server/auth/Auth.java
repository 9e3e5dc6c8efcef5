package org.plumbline.server.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.plumbline.governance.Caller;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.ServerError;
import org.plumbline.server.config.ServerConfig;

/**
 * Who a request comes from: static bearer tokens, known only by their SHA-256 digests, and
 * optionally JWTs checked with {@code vertx-auth-jwt}. Besides {@code Bearer <token>}, {@code
 * Basic} with the token as password is accepted where the caller allows it: only for the GraphiQL
 * page, so that a browser can open it. A browser attaches Basic credentials to any request to the
 * server, cross-site form posts included, so no other route honours them (CSRF). User names become
 * user ids through {@link UserIds}.
 */
public final class Auth {
  /**
   * An authenticated caller, the key of its rate-limit bucket, its own limit, if any, and whether
   * the credentials were Basic ones (which a browser attaches by itself).
   */
  public record Identity(
      Caller caller, String bucket, ServerConfig.RateLimit ownLimit, boolean basic) {
    Identity(Caller caller, String bucket, ServerConfig.RateLimit ownLimit) {
      this(caller, bucket, ownLimit, false);
    }
  }

  private final List<ServerConfig.Token> tokens;
  private final ServerConfig.Jwt jwtConfig;
  private final JWTAuth jwt;
  private final Clock clock;

  public Auth(List<ServerConfig.Token> tokens, ServerConfig.Jwt jwt, Vertx vertx, Clock clock) {
    this.tokens = List.copyOf(tokens);
    this.jwtConfig = jwt;
    this.jwt = jwt == null ? null : JWTAuth.create(vertx, options(jwt));
    this.clock = clock;
  }

  private static JWTAuthOptions options(ServerConfig.Jwt c) {
    // Expiry is checked in fromClaims on the injected clock (vertx-auth-jwt reads the system
    // clock, and accepts tokens without "exp"); the signature, issuer and audience here.
    JWTOptions checks =
        new JWTOptions().setLeeway((int) c.leeway().toSeconds()).setIgnoreExpiration(true);
    if (c.issuer() != null) {
      checks.setIssuer(c.issuer());
    }
    if (c.audience() != null) {
      checks.addAudience(c.audience());
    }
    JWTAuthOptions o = new JWTAuthOptions().setJWTOptions(checks);
    if (c.hs256Secret() != null) {
      o.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(c.hs256Secret()));
    }
    for (ServerConfig.JwtKey k : c.publicKeys()) {
      o.addPubSecKey(new PubSecKeyOptions().setAlgorithm(k.algorithm()).setBuffer(k.pem()));
    }
    return o;
  }

  /**
   * The identity an {@code Authorization} header stands for; fails with UNAUTHENTICATED (details:
   * the reason) or, for a valid JWT that grants no Plumbline role, FORBIDDEN.
   */
  public Future<Identity> authenticate(String header) {
    return authenticate(header, false);
  }

  /**
   * As {@link #authenticate(String)}; Basic credentials count only when {@code basicAllowed}, and
   * the identity says they were Basic.
   */
  public Future<Identity> authenticate(String header, boolean basicAllowed) {
    boolean basic = header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
    if (basic && !basicAllowed) {
      return Future.failedFuture(
          unauthenticated(
              "Basic credentials open the GraphiQL page only; send Authorization: Bearer <token>",
              "basic credentials outside /graphiql/"));
    }
    return authenticateToken(header)
        .map(id -> basic ? new Identity(id.caller(), id.bucket(), id.ownLimit(), true) : id);
  }

  private Future<Identity> authenticateToken(String header) {
    Optional<String> token = token(header);
    if (token.isEmpty()) {
      return Future.failedFuture(
          unauthenticated(
              header == null
                  ? "missing Authorization: Bearer <token>"
                  : "malformed Authorization header",
              header == null ? "missing" : "malformed"));
    }
    Optional<ServerConfig.Token> known = lookup(token.get());
    if (known.isPresent()) {
      ServerConfig.Token t = known.get();
      return Future.succeededFuture(
          new Identity(
              new Caller(UserIds.normalize(t.user()), t.roles()),
              "token:" + t.sha256(),
              t.rateLimit()));
    }
    if (jwt != null && looksLikeJwt(token.get())) {
      return jwt.authenticate(new TokenCredentials(token.get()))
          .recover(
              e ->
                  Future.failedFuture(
                      unauthenticated("invalid JWT", "jwt: " + firstLine(e.getMessage()))))
          .compose(
              user -> {
                // vertx-auth-jwt keeps the whole decoded token in the attributes; the principal
                // may lack the time claims.
                JsonObject claims = user.attributes().getJsonObject("accessToken");
                return Future.succeededFuture(
                    fromClaims(claims == null ? user.principal() : claims));
              });
    }
    return Future.failedFuture(unauthenticated("invalid or unknown token", "unknown token"));
  }

  private Identity fromClaims(JsonObject claims) {
    Instant now = clock.instant();
    long leeway = jwtConfig.leeway().toSeconds();
    // Expiry is required, and checked on the injected clock.
    if (!(claims.getValue("exp") instanceof Number exp)) {
      throw unauthenticated("invalid JWT", "jwt: no exp claim");
    }
    if (exp.longValue() + leeway < now.getEpochSecond()) {
      throw unauthenticated("invalid JWT", "jwt: expired");
    }
    if (claims.getValue("nbf") instanceof Number nbf
        && nbf.longValue() - leeway > now.getEpochSecond()) {
      throw unauthenticated("invalid JWT", "jwt: not valid yet");
    }
    Object claimed = claims.getValue(jwtConfig.userClaim());
    String u = claimed instanceof String c ? UserIds.normalize(c) : null;
    if (u == null || u.isEmpty()) {
      throw unauthenticated("invalid JWT", "jwt: no '" + jwtConfig.userClaim() + "' claim");
    }
    Set<String> roles = new LinkedHashSet<>();
    for (String r : roleClaim(claims, jwtConfig.rolesClaim())) {
      if (ServerConfig.ROLES.contains(r)) {
        roles.add(r);
      }
    }
    if (roles.isEmpty()) {
      throw new PlumblineException(
          ServerError.FORBIDDEN,
          "the token grants no Plumbline role in claim '" + jwtConfig.rolesClaim() + "'");
    }
    return new Identity(new Caller(u, roles), "jwt:" + u, null);
  }

  /** The values at a dotted claim path: an array of strings or one space-separated string. */
  public static List<String> roleClaim(JsonObject claims, String path) {
    Object at = claims;
    for (String part : path.split("\\.")) {
      at = at instanceof JsonObject o ? o.getValue(part) : null;
    }
    List<String> out = new ArrayList<>();
    if (at instanceof JsonArray a) {
      a.forEach(v -> out.add(String.valueOf(v)));
    } else if (at instanceof String s) {
      out.addAll(List.of(s.trim().split("\\s+")));
    }
    return out;
  }

  private Optional<ServerConfig.Token> lookup(String token) {
    byte[] digest = ServerConfig.sha256Hex(token).getBytes(StandardCharsets.US_ASCII);
    ServerConfig.Token found = null;
    for (ServerConfig.Token t : tokens) {
      // Constant-time comparison of digests, over every token: no timing signal about which is
      // near, nor about where in the list a match is.
      if (MessageDigest.isEqual(digest, t.sha256().getBytes(StandardCharsets.US_ASCII))) {
        found = t;
      }
    }
    return Optional.ofNullable(found);
  }

  private static boolean looksLikeJwt(String token) {
    return token.chars().filter(c -> c == '.').count() == 2;
  }

  /**
   * The user a failed request claimed to be, for the audit record: the Basic user name, or the
   * {@code sub} of an unverified JWT. Never the token. Cut short and stripped of control
   * characters, so it cannot forge lines in logs or exports.
   */
  public static String presentedUser(String header) {
    String user = null;
    if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String pair = basic(header);
      if (pair != null && pair.indexOf(':') > 0) {
        user = pair.substring(0, pair.indexOf(':'));
      }
    } else if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String[] parts = header.substring(7).trim().split("\\.");
      if (parts.length == 3) {
        try {
          Object sub =
              new JsonObject(
                      new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
                  .getValue("sub");
          user = sub instanceof String s ? s : null;
        } catch (RuntimeException e) {
          user = null; // not a JWT after all: no user to name
        }
      }
    }
    return user == null ? null : clean(user);
  }

  public static String clean(String s) {
    String cut = s.length() > 100 ? s.substring(0, 100) : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "rejected";
    }
    int nl = message.indexOf('\n');
    return clean(nl < 0 ? message : message.substring(0, nl));
  }

  private static PlumblineException unauthenticated(String message, String reason) {
    return new PlumblineException(ServerError.UNAUTHENTICATED, message, List.of(reason));
  }

  private static Optional<String> token(String header) {
    if (header == null) {
      return Optional.empty();
    }
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String t = header.substring(7).trim();
      return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String pair = basic(header);
      int colon = pair == null ? -1 : pair.indexOf(':');
      return colon < 0 ? Optional.empty() : Optional.of(pair.substring(colon + 1));
    }
    return Optional.empty();
  }

  private static String basic(String header) {
    try {
      return new String(
          Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Throws FORBIDDEN unless the caller holds one of the roles (admin holds all). */
  public static void require(Caller caller, String... roles) {
    if (!caller.hasAny(roles)) {
      throw new PlumblineException(
          ServerError.FORBIDDEN,
          "user '" + caller.user() + "' needs one of the roles " + String.join(", ", roles));
    }
  }
}
