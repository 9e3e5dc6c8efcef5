package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.InputJournal;
import org.plumbline.server.auth.UserIds;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.http.GraphiQLPage;
import org.plumbline.server.http.HttpDefences;

/**
 * Issue 14 points 1, 4, 5, 7 and 9, at the HTTP level (the browser half of point 1 is {@link
 * CsrfBrowserTest}): security headers on every route, GraphiQL's page without credentials, GraphQL
 * posted only as JSON, Basic credentials for the GraphiQL page only and never from another origin,
 * mutations authorized before they are journaled, an anonymous actor for failed authentications,
 * and user ids normalized across tokens and JWTs.
 */
class HttpSecurityTest {
  static String basic(String role) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                ("someone:" + SecurityWorld.TOKENS.get(role)).getBytes(StandardCharsets.UTF_8));
  }

  static String bearer(String role) {
    return "Bearer " + SecurityWorld.TOKENS.get(role);
  }

  static HttpResponse<String> send(
      SecurityWorld w, String method, String path, Map<String, String> headers, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(w.uri(path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return w.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String code(HttpResponse<String> r) throws Exception {
    return SecurityWorld.JSON.readTree(r.body()).at("/error/code").asText();
  }

  static String json(Object o) throws Exception {
    return SecurityWorld.JSON.writeValueAsString(o);
  }

  @Test
  void everyAnswerCarriesTheSecurityHeadersAndAuthenticatedOnesAreNotStored(@TempDir Path data)
      throws Exception {
    try (SecurityWorld w = new SecurityWorld(data, c -> c)) {
      String query = json(Map.of("query", "{ environments { id } }"));
      Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
      answers.put("health", send(w, "GET", "/health", Map.of(), null));
      answers.put("live", send(w, "GET", "/health/live", Map.of(), null));
      answers.put(
          "graphiql", send(w, "GET", "/graphiql/", Map.of("Authorization", basic("viewer")), null));
      answers.put(
          "graphql",
          send(
              w,
              "POST",
              "/graphql",
              Map.of("Authorization", bearer("viewer"), "Content-Type", "application/json"),
              query));
      answers.put(
          "verify",
          send(w, "GET", "/api/v1/audit/verify", Map.of("Authorization", bearer("auditor")), null));
      answers.put("401", send(w, "GET", "/metrics", Map.of(), null));
      answers.put(
          "404",
          send(w, "GET", "/api/v1/nothing", Map.of("Authorization", bearer("viewer")), null));
      answers.put(
          "415",
          send(
              w,
              "POST",
              "/graphql",
              Map.of("Authorization", bearer("viewer"), "Content-Type", "text/plain"),
              query));
      assertEquals(200, answers.get("graphiql").statusCode());
      assertEquals(200, answers.get("graphql").statusCode());
      assertEquals(200, answers.get("verify").statusCode());
      assertEquals(401, answers.get("401").statusCode());
      assertEquals(404, answers.get("404").statusCode());
      answers.forEach(
          (name, r) -> {
            var h = r.headers();
            assertEquals(
                HttpDefences.CONTENT_SECURITY_POLICY,
                h.firstValue("Content-Security-Policy").orElse(null),
                name);
            assertTrue(
                HttpDefences.CONTENT_SECURITY_POLICY.contains("default-src 'self'")
                    && HttpDefences.CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
            assertEquals("DENY", h.firstValue("X-Frame-Options").orElse(null), name);
            assertEquals("nosniff", h.firstValue("X-Content-Type-Options").orElse(null), name);
            assertEquals("no-referrer", h.firstValue("Referrer-Policy").orElse(null), name);
            assertEquals("no-store", h.firstValue("Cache-Control").orElse(null), name);
          });
    }
  }

  @Test
  void theGraphiQLPageHoldsNoCredentialNoInlineScriptAndNoThirdPartyAsset(@TempDir Path data)
      throws Exception {
    try (SecurityWorld w = new SecurityWorld(data, c -> c)) {
      String token = SecurityWorld.TOKENS.get("approver");
      Map<String, String> auth = Map.of("Authorization", basic("approver"));
      HttpResponse<String> page = send(w, "GET", "/graphiql/", auth, null);
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("<title>GraphiQL</title>"), page.body());
      List<String> served = new ArrayList<>(List.of(page.body()));
      for (String script : List.of(GraphiQLPage.ENV_SCRIPT, GraphiQLPage.CONFIG_SCRIPT)) {
        HttpResponse<String> r = send(w, "GET", "/graphiql/" + script, auth, null);
        assertEquals(200, r.statusCode(), script);
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        served.add(r.body());
      }
      for (String body : served) {
        assertFalse(body.contains(token), body);
        assertFalse(body.contains(auth.get("Authorization").substring(6)), body);
        assertFalse(body.contains("Basic "), body);
      }
      // Every script is a file of this origin (the CSP allows no inline script).
      assertFalse(page.body().contains("<script>"), page.body());
      assertFalse(page.body().matches("(?s).*(src|href)=\"(https?:)?//.*"), page.body());
      // Its assets are served here.
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("src=\"\\./(assets/[^\"]+\\.js)\"").matcher(page.body());
      assertTrue(m.find(), page.body());
      HttpResponse<String> asset = send(w, "GET", "/graphiql/" + m.group(1), auth, null);
      assertEquals(200, asset.statusCode());
      assertNull(
          asset.headers().firstValue("Cache-Control").filter("no-store"::equals).orElse(null));
      // No websocket endpoint is configured, and the token comes from the tab, not the server.
      assertTrue(served.get(2).contains("sessionStorage"));
      assertTrue(served.get(2).contains("graphQLWSEnabled: false"));
    }
  }

  @Test
  void basicCredentialsOpenTheGraphiQLPageOnlyAndNeverFromAnotherOrigin(@TempDir Path data)
      throws Exception {
    try (SecurityWorld w = new SecurityWorld(data, c -> c)) {
      String query = json(Map.of("query", "{ environments { id } }"));
      // /graphiql redirects into its folder before any challenge: a browser then keeps the
      // credentials for /graphiql/ only.
      HttpResponse<String> bare = send(w, "GET", "/graphiql", Map.of(), null);
      assertEquals(301, bare.statusCode());
      assertEquals("/graphiql/", bare.headers().firstValue("Location").orElse(null));
      assertTrue(bare.headers().firstValue("WWW-Authenticate").isEmpty());
      HttpResponse<String> challenge = send(w, "GET", "/graphiql/", Map.of(), null);
      assertEquals(401, challenge.statusCode());
      assertTrue(challenge.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
      // Basic anywhere else is refused, whoever it names, and never challenged for.
      HttpResponse<String> gql =
          send(
              w,
              "POST",
              "/graphql",
              Map.of("Authorization", basic("approver"), "Content-Type", "application/json"),
              query);
      assertEquals(401, gql.statusCode());
      assertEquals("UNAUTHENTICATED", code(gql));
      assertFalse(gql.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
      HttpResponse<String> api =
          send(w, "GET", "/api/v1/audit/verify", Map.of("Authorization", basic("auditor")), null);
      assertEquals(401, api.statusCode());
      // The page from another origin, with the browser's Basic credentials: refused.
      for (Map<String, String> foreign :
          List.of(
              Map.of("Origin", "http://evil.example"),
              Map.of("Origin", "http://127.0.0.1:1"),
              Map.of("Origin", "null"))) {
        Map<String, String> h = new LinkedHashMap<>(foreign);
        h.put("Authorization", basic("viewer"));
        HttpResponse<String> r = send(w, "GET", "/graphiql/", h, null);
        assertEquals(403, r.statusCode(), foreign.toString());
        assertEquals("CROSS_ORIGIN_REQUEST", code(r));
      }
      HttpResponse<String> sameSite =
          send(
              w,
              "POST",
              "/graphiql/",
              Map.of("Authorization", basic("viewer"), "Sec-Fetch-Site", "same-site"),
              "x");
      assertEquals(403, sameSite.statusCode());
      assertEquals("CROSS_ORIGIN_REQUEST", code(sameSite));
      // Its own origin passes.
      HttpResponse<String> own =
          send(
              w,
              "GET",
              "/graphiql/",
              Map.of(
                  "Authorization",
                  basic("viewer"),
                  "Origin",
                  "http://127.0.0.1:" + w.server.port()),
              null);
      assertEquals(200, own.statusCode());
      // A bearer token is never attached by a browser on its own: no origin rule for it.
      HttpResponse<String> bearer =
          send(
              w,
              "POST",
              "/graphql",
              Map.of(
                  "Authorization",
                  bearer("viewer"),
                  "Content-Type",
                  "application/json",
                  "Origin",
                  "http://tools.example"),
              query);
      assertEquals(200, bearer.statusCode(), bearer.body());
    }
  }

  @Test
  void graphqlIsPostedAsJsonOnly(@TempDir Path data) throws Exception {
    try (SecurityWorld w = new SecurityWorld(data, c -> c)) {
      String query = json(Map.of("query", "{ environments { id } }"));
      // What a cross-site form can send, and nothing at all.
      for (String type :
          List.of(
              "text/plain",
              "application/x-www-form-urlencoded",
              "multipart/form-data; boundary=x",
              "application/jsonp")) {
        HttpResponse<String> r =
            send(
                w,
                "POST",
                "/graphql",
                Map.of("Authorization", bearer("viewer"), "Content-Type", type),
                query);
        assertEquals(415, r.statusCode(), type);
        assertEquals("UNSUPPORTED_MEDIA_TYPE", code(r), type);
      }
      HttpResponse<String> none =
          send(w, "POST", "/graphql", Map.of("Authorization", bearer("viewer")), query);
      assertEquals(415, none.statusCode());
      HttpResponse<String> ok =
          send(
              w,
              "POST",
              "/graphql",
              Map.of(
                  "Authorization",
                  bearer("viewer"),
                  "Content-Type",
                  "Application/JSON; charset=utf-8"),
              query);
      assertEquals(200, ok.statusCode(), ok.body());
    }
  }

  static long journalBytes(Path data) throws IOException {
    try (Stream<Path> files = Files.walk(data.resolve("journal"))) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  @Test
  void refusedMutationsLeaveTheJournalAloneAndAcceptedOnesJournalNoUnusedVariables(
      @TempDir Path data) throws Exception {
    try (SecurityWorld w = new SecurityWorld(data, c -> c)) {
      String padding = "x".repeat(900 * 1024);
      long before = journalBytes(data);
      for (String role : List.of("viewer", "loader", "auditor")) {
        for (String mutation :
            List.of(
                "mutation { approveDisposition(disposition: \"DISP-1\", meaning: \"approved\") { id } }",
                "mutation M($d: ID!) { ...F } fragment F on Mutation {"
                    + " rejectDisposition(disposition: $d, reason: \"no\") { id } }")) {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("query", mutation);
          body.put(
              "variables",
              Map.of("d", "DISP-1", "unused", padding, "more", padding, "yet", padding));
          HttpResponse<String> r =
              send(
                  w,
                  "POST",
                  "/graphql",
                  Map.of("Authorization", bearer(role), "Content-Type", "application/json"),
                  json(body));
          assertEquals(200, r.statusCode(), r.body());
          JsonNode answer = SecurityWorld.JSON.readTree(r.body());
          assertEquals("FORBIDDEN", answer.at("/errors/0/extensions/code").asText(), r.body());
        }
      }
      assertEquals(before, journalBytes(data), "refused mutations were journaled");
      // An operator's mutation is journaled as the typed command it issued: its arguments only.
      Map<String, Object> body = new LinkedHashMap<>();
      body.put(
          "query",
          "mutation R($drift: ID!) { requestDisposition(drift: $drift, kind: REVERT,"
              + " justification: \"j\") { id } }");
      body.put("variables", Map.of("drift", "D-missing", "unused", padding, "more", padding));
      HttpResponse<String> r =
          send(
              w,
              "POST",
              "/graphql",
              Map.of("Authorization", bearer("operator"), "Content-Type", "application/json"),
              json(body));
      assertEquals(
          "DRIFT_NOT_FOUND",
          SecurityWorld.JSON.readTree(r.body()).at("/errors/0/extensions/code").asText(),
          r.body());
      List<InputJournal.Entry> entries = InputJournal.read(data.resolve("journal"));
      InputJournal.Entry last = entries.get(entries.size() - 1);
      assertEquals("disposition.request", last.kind());
      Path object =
          data.resolve("journal/objects")
              .resolve(last.object().substring(0, 2))
              .resolve(last.object() + ".gz");
      String journaled;
      try (InputStream in = new GZIPInputStream(Files.newInputStream(object))) {
        journaled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      JsonNode kept = SecurityWorld.JSON.readTree(journaled);
      assertEquals("D-missing", kept.at("/drift").asText());
      assertEquals("REVERT", kept.at("/kind").asText());
      assertFalse(journaled.contains("unused"), () -> journaled.substring(0, 150));
      assertTrue(journalBytes(data) - before < 64 * 1024);
    }
  }

  @Test
  void aFailedAuthenticationIsRecordedAsAnonymousWithTheClaimedNameAsData(@TempDir Path data)
      throws Exception {
    try (SecurityWorld w = new SecurityWorld(data, c -> c)) {
      String claimed = "admin\n2026-11-21 forged line " + "y".repeat(300);
      String header =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (claimed + ":" + AccessControlTest.WRONG).getBytes(StandardCharsets.UTF_8));
      assertEquals(
          401, send(w, "GET", "/graphiql/", Map.of("Authorization", header), null).statusCode());
      long deadline = System.nanoTime() + 5_000_000_000L;
      JsonNode last = null;
      while (System.nanoTime() < deadline) {
        JsonNode trail = w.graphql("auditor", "{ auditTrail { action actor detail } }");
        JsonNode records = trail.at("/data/auditTrail");
        last = records.get(records.size() - 1);
        if (last.path("action").asText().equals("auth.failed")) {
          break;
        }
        Thread.sleep(20);
      }
      assertNotNull(last);
      assertEquals("auth.failed", last.path("action").asText());
      assertEquals("anonymous", last.path("actor").asText());
      String kept = last.at("/detail/claimedUser").asText();
      assertTrue(kept.startsWith("admin?2026-11-21 forged line"), kept);
      assertEquals(100, kept.length());
    }
  }

  @Test
  void oneUserIdAcrossCaseWhiteSpaceWidthAndJwtSoTheRequesterCannotApprove(@TempDir Path data)
      throws Exception {
    String secret = "an-hs256-secret-of-at-least-32-bytes!";
    ServerConfig.Jwt jwt =
        new ServerConfig.Jwt(
            "https://idp.example.org",
            "plumbline",
            "sub",
            "roles",
            secret,
            List.of(),
            Duration.ofSeconds(30));
    String variantToken = "security-variant-approver-0001";
    try (SecurityWorld w =
        new SecurityWorld(
            data,
            c -> {
              List<ServerConfig.Token> tokens = new ArrayList<>(c.tokens());
              tokens.add(
                  new ServerConfig.Token(
                      variantToken, " Operator ", Set.of("approver", "model-risk")));
              return c.withTokens(tokens).withJwt(jwt);
            })) {
      JsonNode drifts =
          w.graphql("viewer", "{ drifts(environment: \"credit-model-prod\") { id key } }");
      String drift = drifts.at("/data/drifts/0/id").asText();
      JsonNode requested =
          w.graphql(
              "operator",
              "mutation { requestDisposition(drift: \""
                  + drift
                  + "\", kind: REVERT, justification: \"incident INC-7\") { id requestedBy } }");
      String disposition = requested.at("/data/requestDisposition/id").asText();
      assertFalse(disposition.isEmpty(), requested.toString());
      assertEquals("operator", requested.at("/data/requestDisposition/requestedBy").asText());
      List<String> variants = new ArrayList<>();
      variants.add("Bearer " + variantToken);
      variants.add(
          "Bearer "
              + TokensAndLimitsTest.hs256(
                  TokensAndLimitsTest.claims(
                      "sub", "ＯＰＥＲＡＴＯＲ\u3000", "roles", List.of("approver", "model-risk")),
                  secret));
      variants.add(
          "Bearer "
              + TokensAndLimitsTest.hs256(
                  TokensAndLimitsTest.claims(
                      "sub", "operator ", "roles", List.of("approver", "model-risk")),
                  secret));
      for (String auth : variants) {
        // The signer's credential entered again is the same token (re-authentication at signing).
        String approve =
            json(
                Map.of(
                    "query",
                    "mutation { approveDisposition(disposition: \""
                        + disposition
                        + "\", meaning: \"approved\", credential: \""
                        + auth.substring("Bearer ".length())
                        + "\") { id status } }"));
        HttpResponse<String> r =
            send(
                w,
                "POST",
                "/graphql",
                Map.of("Authorization", auth, "Content-Type", "application/json"),
                approve);
        JsonNode answer = SecurityWorld.JSON.readTree(r.body());
        assertEquals("SELF_APPROVAL", answer.at("/errors/0/extensions/code").asText(), r.body());
      }
      JsonNode trail = w.graphql("auditor", "{ auditTrail { action actor } }");
      for (JsonNode rec : trail.at("/data/auditTrail")) {
        assertFalse(
            rec.path("action").asText().startsWith("disposition.approved")
                || rec.path("action").asText().equals("disposition.signed"),
            trail.toString());
      }
    }
  }

  @Test
  void userIdsAreNormalizedInOnePlace() {
    assertEquals("alice", UserIds.normalize("alice"));
    assertEquals("alice", UserIds.normalize("Alice"));
    assertEquals("alice", UserIds.normalize(" alice "));
    assertEquals("alice", UserIds.normalize("ａｌｉｃｅ\u3000"));
    assertEquals("", UserIds.normalize("  "));
  }
}
