package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.write.Rebuild;

/**
 * Issue 9 point 4: JWTs beside static tokens (issuer, audience, expiry, roles claim; HS256 and
 * RS256 signed here by the test), and per-token rate limits answering 429 with Retry-After.
 */
class TokensAndLimitsTest {
  static final String SECRET = "a-shared-secret-of-at-least-32-bytes!!";
  static final long NOW = SecurityWorld.NOW.getEpochSecond();

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String b64(Object json) throws Exception {
    return b64(SecurityWorld.JSON.writeValueAsBytes(json));
  }

  static String hs256(Map<String, Object> claims, String secret) throws Exception {
    String signing = b64(Map.of("alg", "HS256", "typ", "JWT")) + "." + b64(claims);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return signing + "." + b64(mac.doFinal(signing.getBytes(StandardCharsets.US_ASCII)));
  }

  static String rs256(Map<String, Object> claims, PrivateKey key) throws Exception {
    String signing = b64(Map.of("alg", "RS256", "typ", "JWT")) + "." + b64(claims);
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(key);
    s.update(signing.getBytes(StandardCharsets.US_ASCII));
    return signing + "." + b64(s.sign());
  }

  static Map<String, Object> claims(Object... extra) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iss", "https://idp.example.org");
    c.put("aud", "plumbline");
    c.put("sub", "jwt-alice");
    c.put("exp", NOW + 3600);
    c.put("roles", List.of("operator"));
    for (int i = 0; i < extra.length; i += 2) {
      if (extra[i + 1] == null) {
        c.remove((String) extra[i]);
      } else {
        c.put((String) extra[i], extra[i + 1]);
      }
    }
    return c;
  }

  @Test
  void jwtsAreCheckedForSignatureIssuerAudienceExpiryAndRoles(@TempDir Path data) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair rsa = g.generateKeyPair();
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(rsa.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    ServerConfig.Jwt jwt =
        new ServerConfig.Jwt(
            "https://idp.example.org",
            "plumbline",
            "sub",
            "roles",
            SECRET,
            List.of(new ServerConfig.JwtKey("RS256", pem)),
            Duration.ofSeconds(30));
    try (SecurityWorld world = new SecurityWorld(data, c -> c.withJwt(jwt))) {
      String mutation =
          "mutation { requestDisposition(drift: \"D-missing\", kind: REVERT, justification:"
              + " \"j\") { id } }";
      // Valid, HS256: an operator, and the mutation reaches the policy as jwt-alice.
      assertEquals("DRIFT_NOT_FOUND", gql(world, hs256(claims(), SECRET), mutation));
      assertEquals("ok", gql(world, hs256(claims(), SECRET), "{ environments { id } }"));
      // Valid, RS256 with the configured public key.
      assertEquals("DRIFT_NOT_FOUND", gql(world, rs256(claims(), rsa.getPrivate()), mutation));
      // The roles claim decides: a viewer may not request dispositions.
      assertEquals(
          "FORBIDDEN", gql(world, hs256(claims("roles", List.of("viewer")), SECRET), mutation));
      // Refused: 401 UNAUTHENTICATED, each for its reason.
      Map<String, String> refused = new LinkedHashMap<>();
      refused.put("expired", hs256(claims("exp", NOW - 3600), SECRET));
      refused.put("no exp", hs256(claims("exp", null), SECRET));
      refused.put("not yet valid", hs256(claims("nbf", NOW + 3600), SECRET));
      refused.put("wrong issuer", hs256(claims("iss", "https://evil.example"), SECRET));
      refused.put("wrong audience", hs256(claims("aud", "someone-else"), SECRET));
      refused.put("wrong secret", hs256(claims(), SECRET + "x"));
      refused.put("no subject", hs256(claims("sub", null), SECRET));
      String valid = hs256(claims(), SECRET);
      refused.put("tampered payload", tamper(valid, claims("roles", List.of("admin"))));
      refused.put(
          "alg none",
          b64(Map.of("alg", "none", "typ", "JWT"))
              + "."
              + b64(claims("roles", List.of("admin")))
              + ".");
      KeyPair other = g.generateKeyPair();
      refused.put("unknown RSA key", rs256(claims(), other.getPrivate()));
      for (Map.Entry<String, String> e : refused.entrySet()) {
        HttpResponse<String> r = post(world, e.getValue(), "{ environments { id } }");
        assertEquals(401, r.statusCode(), e.getKey() + ": " + r.body());
        assertEquals(
            "UNAUTHENTICATED",
            SecurityWorld.JSON.readTree(r.body()).at("/error/code").asText(),
            e.getKey());
      }
      // A valid token that grants no Plumbline role: 403.
      HttpResponse<String> none =
          post(world, hs256(claims("roles", List.of("guest")), SECRET), "{ environments { id } }");
      assertEquals(403, none.statusCode(), none.body());
      // Static tokens still work beside JWTs.
      assertEquals("ok", gql(world, SecurityWorld.TOKENS.get("viewer"), "{ environments { id } }"));
    }
  }

  @Test
  void rateLimitsAnswer429WithRetryAfterPerTokenRoleAndOwnLimit(@TempDir Path data)
      throws Exception {
    ServerConfig.RateLimits limits =
        new ServerConfig.RateLimits(
            true,
            new ServerConfig.RateLimit(1, 3),
            Map.of("loader", new ServerConfig.RateLimit(2, 6)));
    try (SecurityWorld world =
        new SecurityWorld(
            data,
            c -> {
              List<ServerConfig.Token> tokens = new java.util.ArrayList<>(c.tokens());
              tokens.add(
                  new ServerConfig.Token(
                      "security-bulk-token-0001",
                      null,
                      "bulk",
                      java.util.Set.of("viewer"),
                      new ServerConfig.RateLimit(100, 10)));
              return c.withTokens(tokens).withRateLimits(limits);
            })) {
      // The world's setup used the loader token: advance past any debt first.
      world.ticker.addAndGet(Duration.ofSeconds(10).toNanos());
      assertEquals(List.of(200, 200, 200, 429), statuses(world, "viewer", 4));
      HttpResponse<String> limited = world.send("GET", "/metrics", "viewer", null, null);
      assertEquals(429, limited.statusCode());
      assertEquals("1", limited.headers().firstValue("Retry-After").orElse(null));
      JsonNode error = SecurityWorld.JSON.readTree(limited.body());
      assertEquals("RATE_LIMITED", error.at("/error/code").asText());
      // Per token: another token is not affected; the loader role's limit is larger.
      assertEquals(List.of(200, 200, 200), statuses(world, "auditor", 3));
      assertEquals(List.of(200, 200, 200, 200, 200, 200, 429), statuses(world, "loader", 7));
      // A token's own limit wins over its role's.
      HttpResponse<String> bulk = null;
      for (int i = 0; i < 10; i++) {
        bulk = world.sendBytes("GET", "/metrics", "Bearer security-bulk-token-0001", null, null);
        assertEquals(200, bulk.statusCode(), "request " + i);
      }
      assertNotNull(bulk);
      // The bucket refills with time: one second later, one more request for the viewer.
      world.ticker.addAndGet(Duration.ofSeconds(1).toNanos());
      assertEquals(List.of(200, 429), statuses(world, "viewer", 2));
      // /health is never limited.
      for (int i = 0; i < 10; i++) {
        assertEquals(200, world.send("GET", "/health", null, null, null).statusCode());
      }
    }
  }

  @Test
  void consoleSignInAttemptsAreLimitedPerClientAddress(@TempDir Path data) throws Exception {
    try (SecurityWorld world = new SecurityWorld(data, c -> c)) {
      java.net.http.HttpResponse<String> form =
          world.http.send(
              java.net.http.HttpRequest.newBuilder(world.uri("/console/sign-in")).build(),
              HttpResponse.BodyHandlers.ofString());
      String cookie = form.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.body());
      org.junit.jupiter.api.Assertions.assertTrue(m.find());
      String csrf = m.group(1);
      // Guessing tokens: ten attempts at once are checked (and refused), the eleventh is not.
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> r = signIn(world, cookie, csrf, "guess-" + i);
        assertEquals(303, r.statusCode(), "attempt " + i);
      }
      HttpResponse<String> limited = signIn(world, cookie, csrf, "guess-10");
      assertEquals(429, limited.statusCode(), limited.body());
      assertEquals("6", limited.headers().firstValue("Retry-After").orElse(null));
      org.junit.jupiter.api.Assertions.assertTrue(
          limited.body().contains("Too many sign-in attempts from your address"), limited.body());
      // While limited, not even the right token is checked.
      String right = SecurityWorld.TOKENS.get("operator");
      assertEquals(429, signIn(world, cookie, csrf, right).statusCode());
      // The bearer-token API is a separate bucket: the operator's API calls still pass.
      assertEquals(200, world.send("GET", "/metrics", "operator", null, null).statusCode());
      // Six seconds later, one more attempt: the right token signs in.
      world.ticker.addAndGet(Duration.ofSeconds(6).toNanos());
      HttpResponse<String> signedIn = signIn(world, cookie, csrf, right);
      assertEquals(303, signedIn.statusCode(), signedIn.body());
      assertEquals("/", signedIn.headers().firstValue("Location").orElse(null));
    }
  }

  static HttpResponse<String> signIn(SecurityWorld world, String cookie, String csrf, String token)
      throws Exception {
    return world.http.send(
        java.net.http.HttpRequest.newBuilder(world.uri("/console/sign-in"))
            .header("Cookie", cookie)
            .header("Origin", "http://127.0.0.1:" + world.server.port())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                java.net.http.HttpRequest.BodyPublishers.ofString(
                    "_csrf=" + csrf + "&token=" + token, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static List<Integer> statuses(SecurityWorld world, String role, int n) throws Exception {
    List<Integer> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(world.send("GET", "/metrics", role, null, null).statusCode());
    }
    return out;
  }

  static String tamper(String jwt, Map<String, Object> claims) throws Exception {
    String[] parts = jwt.split("\\.");
    return parts[0] + "." + b64(claims) + "." + parts[2];
  }

  static HttpResponse<String> post(SecurityWorld world, String token, String query)
      throws Exception {
    return world.sendBytes(
        "POST",
        "/graphql",
        "Bearer " + token,
        "application/json",
        SecurityWorld.JSON.writeValueAsBytes(Map.of("query", query)));
  }

  static String gql(SecurityWorld world, String token, String query) throws Exception {
    HttpResponse<String> r = post(world, token, query);
    if (r.statusCode() != 200) {
      return r.statusCode() + " " + r.body();
    }
    JsonNode errors = SecurityWorld.JSON.readTree(r.body()).path("errors");
    return errors.isEmpty() ? "ok" : errors.get(0).at("/extensions/code").asText();
  }

  /**
   * Mutations are journaled for {@code plumbline rebuild}. One the GraphQL limits refuse is
   * answered 400 before it is journaled; one the server's (raised) limits accept is replayed even
   * though it exceeds the default limits, so the rebuilt store has what the server acknowledged.
   */
  @Test
  void limitsRefuseMutationsBeforeTheJournalAndRebuildReplaysWhatTheServerAccepted(
      @TempDir Path data, @TempDir Path rebuilt) throws Exception {
    StringBuilder fields = new StringBuilder();
    for (int i = 0; i < 1_100; i++) {
      fields.append(" id");
    }
    String disposition;
    Path journal = data.resolve("journal").resolve("index.jsonl");
    try (SecurityWorld world =
        new SecurityWorld(
            data, c -> c.withGraphQL(new ServerConfig.GraphQLSettings(true, 15, 2_000, 50)))) {
      String drift =
          world
              .graphql("viewer", "{ drifts(status: [OPEN]) { id } }")
              .at("/data/drifts/0/id")
              .asText();
      long entries = org.plumbline.governance.InputJournal.read(journal.getParent()).size();
      String tooBig = " id".repeat(2_100);
      HttpResponse<String> refused =
          world.send(
              "POST",
              "/graphql",
              "operator",
              "application/json",
              HostileInputTest.gql(
                  "mutation { requestDisposition(drift: \""
                      + drift
                      + "\", kind: REVERT, justification: \"j\") {"
                      + tooBig
                      + " } }"));
      assertEquals(400, refused.statusCode(), refused.body());
      assertEquals(
          "QUERY_TOO_COMPLEX",
          SecurityWorld.JSON.readTree(refused.body()).at("/errors/0/extensions/code").asText());
      assertEquals(entries, org.plumbline.governance.InputJournal.read(journal.getParent()).size());

      JsonNode accepted =
          world.graphql(
              "operator",
              "mutation { requestDisposition(drift: \""
                  + drift
                  + "\", kind: REVERT, justification: \"j\") {"
                  + fields
                  + " } }");
      disposition = accepted.at("/data/requestDisposition/id").asText(null);
      assertNotNull(disposition, accepted.toString());
      assertEquals(
          entries + 1, org.plumbline.governance.InputJournal.read(journal.getParent()).size());
    }
    Rebuild.Outcome outcome =
        Rebuild.run(data, rebuilt, RulePacks.load(Path.of("../rules")), line -> {});
    assertEquals(0, outcome.refused(), outcome.toString());
    try (org.plumbline.ontology.GraphStore store =
        org.plumbline.ontology.GraphStore.openTdb2(rebuilt)) {
      String id = disposition;
      assertEquals(
          "PENDING",
          store.read(r -> r.disposition(id)).orElseThrow().status().name(),
          "the accepted mutation (cost 1,101, over the default 1,000) was not replayed");
    }
  }
}
