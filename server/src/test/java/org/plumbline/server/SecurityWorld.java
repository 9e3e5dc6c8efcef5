package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.plumbline.server.config.ServerConfig;

/**
 * The real server on a free port with a temp data folder, one token per role of CONTRACT section 4,
 * the contract's blueprint and a few snapshots (so there are changes, drifts and audit records), a
 * fixed clock and a ticker the test advances by hand. Used by the security suites.
 */
final class SecurityWorld implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");

  /** One token per role; "admin" holds every right. */
  static final Map<String, String> TOKENS = tokens();

  /** The stored change request. */
  static final String CHANGE_REQUESTS =
      "[{\"id\":\"CHG-SEC-1\",\"environment\":\"credit-model-prod\",\"keys\":[\"feature.*\"],"
          + "\"from\":\"2026-12-01T00:00:00Z\",\"until\":\"2026-12-02T00:00:00Z\","
          + "\"approvedBy\":\"cab\"}]";

  /** The stored prompt version. */
  static final String PROMPT =
      "{\"id\":\"security-prompt\",\"version\":\"1.0.0\",\"text\":\"You are careful.\","
          + "\"testedWithModel\":\"gpt-4o-2024-08-06\",\"evalScore\":0.9}";

  /** The stored baseline of a behavioural metric. */
  static final String METRIC =
      "{\"environment\":\"credit-model-prod\",\"metric\":\"output.length\","
          + "\"kind\":\"CONTINUOUS\",\"window\":\"2026-11-01\",\"baseline\":true,"
          + "\"values\":[412,388,455,401,397,420,433,379,402,415]}";

  final PlumblineServer server;
  final AtomicLong ticker = new AtomicLong(1_000_000_000L);
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Map<String, String> tokens() {
    Map<String, String> t = new LinkedHashMap<>();
    for (String role :
        List.of("viewer", "loader", "operator", "approver", "model-risk", "auditor", "admin")) {
      t.put(role, "security-" + role + "-token-0001");
    }
    return t;
  }

  SecurityWorld(Path data, UnaryOperator<ServerConfig> tweak) throws Exception {
    List<ServerConfig.Token> tokens = new ArrayList<>();
    TOKENS.forEach((role, token) -> tokens.add(new ServerConfig.Token(token, role, Set.of(role))));
    ServerConfig config =
        tweak.apply(
            ServerConfig.defaults()
                .withPort(0)
                .withData(data)
                .withRules(Path.of("../rules"))
                .withTokens(tokens));
    server = PlumblineServer.start(config, Clock.fixed(NOW, ZoneOffset.UTC), ticker::get);
    HttpResponse<String> bp =
        send("POST", "/api/v1/blueprints", "loader", "application/yaml", EndToEndTest.BLUEPRINT);
    assertEquals(201, bp.statusCode(), bp.body());
    String env = "credit-model-prod";
    for (String s :
        List.of(
            EndToEndTest.snapshot(
                env, "2026-11-01T10:00:00Z", EndToEndTest.config(0.3, "gpt-4o-2024-08-06", 0.8)),
            EndToEndTest.snapshot(
                env, "2026-11-05T10:00:00Z", EndToEndTest.config(0.7, "gpt-4o", 0.8)))) {
      HttpResponse<String> r = send("POST", "/api/v1/snapshots", "loader", "application/json", s);
      assertEquals(201, r.statusCode(), r.body());
    }
    // A change window that covers nothing observed, and a prompt: stored, so that posting them
    // again is a replay (200) and posting other content under their ids a conflict (409).
    HttpResponse<String> cr =
        send("POST", "/api/v1/change-requests", "loader", "application/json", CHANGE_REQUESTS);
    assertEquals(201, cr.statusCode(), cr.body());
    HttpResponse<String> p = send("POST", "/api/v1/prompts", "loader", "application/json", PROMPT);
    assertEquals(201, p.statusCode(), p.body());
    HttpResponse<String> m = send("POST", "/api/v1/metrics", "loader", "application/json", METRIC);
    assertEquals(201, m.statusCode(), m.body());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** Sends a request as a role (a key of {@link #TOKENS}), or with no token when role is null. */
  HttpResponse<String> send(String method, String path, String role, String type, String body)
      throws Exception {
    return sendBytes(
        method,
        path,
        role == null ? null : "Bearer " + TOKENS.get(role),
        type,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> sendBytes(
      String method, String path, String authorization, String type, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode graphql(String role, String query) throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/graphql",
            role,
            "application/json",
            JSON.writeValueAsString(Map.of("query", query)));
    return JSON.readTree(r.body());
  }

  /**
   * A digest of what the store answers: the audit count, the ledger root and the answers to the
   * dashboard's queries. Equal digests before and after mean nothing was stored in between.
   */
  String storeDigest() throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256")
                .digest(String.join("\n", storeAnswers()).getBytes(StandardCharsets.UTF_8)));
  }

  /** What {@link #storeDigest} hashes, one answer a line: to say what changed. */
  List<String> storeAnswers() throws Exception {
    List<String> answers = new ArrayList<>();
    answers.add(send("GET", "/api/v1/audit/verify", "auditor", null, null).body());
    for (String q :
        List.of(
            "{ environments { id name tier owner system status expiresAt bundle bundleVersion"
                + " configAt { key value } } }",
            "{ drifts { id key expected actual status detectedAt dispositions { id status } } }",
            "{ changes(environment: \"credit-model-prod\", lastDays: 365) { key from to at source"
                + " } }",
            "{ bundle(id: \"credit-model\") { versions { version validated evidence } } }",
            "{ auditTrail { seq action actor subject hash } }",
            "{ dispositions { id status } }",
            "{ changeRequests { id environment keys from until approvedBy } }",
            "{ prompt(id: \"security-prompt\") { versions { version contentHash text } } }",
            "{ metricSeries(environment: \"credit-model-prod\", metric: \"output.length\") {"
                + " seq window status baseline } }",
            "{ rulePack { version activatedSeq } }")) {
      answers.add(graphql("admin", q).toString());
    }
    return answers;
  }

  long auditCount() throws Exception {
    return JSON.readTree(send("GET", "/api/v1/audit/verify", "auditor", null, null).body())
        .get("records")
        .asLong();
  }

  @Override
  public void close() {
    server.close();
  }
}
