package org.plumbline.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.plumbline.graphql.Caller;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.internal.Hashing;

/**
 * Static bearer tokens. Tokens are kept only as SHA-256 digests in memory. Besides {@code Bearer
 * <token>}, {@code Basic} with the token as password is accepted, so a browser can open GraphiQL:
 * it prompts once and then sends the credentials with every GraphQL request.
 */
final class Auth {
  private final Map<String, Caller> byDigest = new HashMap<>();

  Auth(List<ServerConfig.Token> tokens) {
    for (ServerConfig.Token t : tokens) {
      byDigest.put(Hashing.sha256Hex(t.token()), new Caller(t.user(), t.roles()));
    }
  }

  /** The caller an {@code Authorization} header stands for; throws UNAUTHENTICATED otherwise. */
  Caller authenticate(String header) {
    return token(header)
        .flatMap(this::lookup)
        .orElseThrow(
            () ->
                new PlumblineException(
                    ServerError.UNAUTHENTICATED,
                    header == null
                        ? "missing Authorization: Bearer <token>"
                        : "invalid or unknown token"));
  }

  private Optional<Caller> lookup(String token) {
    byte[] digest = Hashing.sha256Hex(token).getBytes(StandardCharsets.US_ASCII);
    for (Map.Entry<String, Caller> e : byDigest.entrySet()) {
      // Constant-time comparison of digests: no timing signal about which token is near.
      if (MessageDigest.isEqual(digest, e.getKey().getBytes(StandardCharsets.US_ASCII))) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> token(String header) {
    if (header == null) {
      return Optional.empty();
    }
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(header.substring(7).trim());
    }
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair =
            new String(
                Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(pair.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Throws FORBIDDEN unless the caller holds one of the roles (admin holds all). */
  static void require(Caller caller, String... roles) {
    if (!caller.hasAny(roles)) {
      throw new PlumblineException(
          ServerError.FORBIDDEN,
          "user '" + caller.user() + "' needs one of the roles " + String.join(", ", roles));
    }
  }
}
