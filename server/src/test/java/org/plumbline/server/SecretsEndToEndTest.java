package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.SettableClock;
import org.plumbline.loaders.Secrets;
import org.plumbline.server.auth.HmacKey;
import org.plumbline.server.cli.Main;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.write.Rebuild;

/**
 * Issue 14, finding 8: secrets posted to the server never reach the store, the journal, the ledger
 * (GraphQL {@code auditTrail} and the REST export), drift expected/actual or a webhook body, and a
 * changed secret is still a drift, shown by its markers.
 */
class SecretsEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "tok-loader-0000000001";
  static final String VIEWER = "tok-viewer-0000000001";
  static final String AUDITOR = "tok-auditor-000000001";
  static final String HOOK_SECRET = "webhook-secret";

  static final String DECLARED = "declared-pw-0451";
  static final String ROTATED = "rotated-pw-0452";
  static final String API_KEY_1 = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXyZ0";
  static final String API_KEY_2 = "sk-proj-Zz9yXw8vUt7sRq6pOn5mLk4jIh3gFe2dCb1a";
  static final String BEARER = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
  static final String ENV_PW = "k8s-env-pw-0453";
  static final String PEM =
      "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----";
  static final List<String> SECRETS =
      List.of(
          DECLARED,
          ROTATED,
          API_KEY_1,
          API_KEY_2,
          "eyJhbGciOiJIUzI1NiJ9",
          ENV_PW,
          "MIIEvQIBADANBg");

  /** A plain value that must be found where the secrets must not: proves the search can fail. */
  static final String PLAIN = "db-host-plain-0454.internal";

  static final String BLUEPRINT =
      """
      bundle: svc
      version: 1.0.0
      environments:
        - { id: svc-prod, tier: PROD, owner: team-svc, system: svc }
      config:
        db: { host: %s, password: %s }
        llm: { model: gpt-4o }
      """
          .formatted(PLAIN, DECLARED);

  @TempDir Path data;

  final List<String> hookBodies = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void secretsAreRedactedEverywhereAndAChangeIsStillADrift() throws Exception {
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          hookBodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    ServerConfig config =
        new ServerConfig(
            0,
            data,
            Path.of("../rules"),
            List.of(
                new ServerConfig.Token(LOADER, "ci-loader", Set.of("loader")),
                new ServerConfig.Token(VIEWER, "victor", Set.of("viewer")),
                new ServerConfig.Token(AUDITOR, "audrey", Set.of("auditor"))),
            Duration.ofHours(1),
            ServerConfig.DEFAULT_BODY_LIMIT,
            List.of(
                new ServerConfig.Webhook(
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                    HOOK_SECRET,
                    List.of())));
    SettableClock clock = new SettableClock(Instant.parse("2026-11-01T00:00:00Z"));
    PlumblineServer server = PlumblineServer.start(config, clock);
    try {
      assertEquals(201, post(server, "/api/v1/blueprints", BLUEPRINT).statusCode());
      assertEquals(
          201,
          post(server, "/api/v1/snapshots", snapshot("2026-10-31T10:00:00Z", DECLARED, API_KEY_1))
              .statusCode());
      HttpResponse<String> second =
          post(server, "/api/v1/snapshots", snapshot("2026-10-31T11:00:00Z", ROTATED, API_KEY_2));
      assertEquals(201, second.statusCode(), second.body());
      assertNoSecret("the ingest answer", second.body());

      // The markers, computed with the key the server created in its data folder.
      Path keyFile = data.resolve(ServerConfig.HMAC_KEY_FILE);
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
      Secrets key = HmacKey.read(keyFile, false);
      String declared = key.marker(DECLARED);
      String rotated = key.marker(ROTATED);

      // The changed secret is a drift, shown by its markers.
      JsonNode drifts =
          gql(
              server,
              "{ drifts(environment: \"svc-prod\") { key expected actual status"
                  + " assessment { explanation findings } } }");
      assertNoSecret("drifts", drifts.toString());
      JsonNode password = find(drifts.at("/data/drifts"), "db.password");
      assertEquals(declared, password.get("expected").asText(), drifts.toString());
      assertEquals(rotated, password.get("actual").asText(), drifts.toString());
      JsonNode changes = gql(server, "{ changes(environment: \"svc-prod\") { key from to } }");
      assertNoSecret("changes", changes.toString());
      JsonNode change = find(changes.at("/data/changes"), "llm.api_key");
      assertEquals(key.marker(API_KEY_1), change.get("from").asText());
      assertEquals(key.marker(API_KEY_2), change.get("to").asText());
      assertNotEquals(change.get("from"), change.get("to"));
      JsonNode env =
          gql(
              server,
              "{ environment(id: \"svc-prod\") { configAt(at: \"2026-10-31T12:00:00Z\") { key value } } }");
      assertNoSecret("observed config", env.toString());
      assertTrue(env.toString().contains(key.marker(ENV_PW)), env.toString());
      assertTrue(env.toString().contains(PLAIN), env.toString());

      // The ledger, both ways a reader gets it.
      JsonNode trail =
          gql(
              server,
              AUDITOR,
              "{ auditTrail(environment: \"svc-prod\") { action subject detail } }");
      assertTrue(trail.toString().contains("drift.opened"), trail.toString());
      assertTrue(trail.toString().contains(rotated), trail.toString());
      assertNoSecret("auditTrail", trail.toString());
      HttpResponse<String> export = get(server, "/api/v1/audit/export", AUDITOR);
      assertEquals(200, export.statusCode(), export.body());
      assertTrue(export.body().contains(rotated), export.body());
      assertNoSecret("the audit export", export.body());

      // Webhook bodies.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (hookBodies.stream().noneMatch(b -> b.contains("drift.opened") && b.contains(rotated))
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(
          hookBodies.stream().anyMatch(b -> b.contains("drift.opened") && b.contains(rotated)),
          "no drift.opened webhook for the rotated secret: " + hookBodies);
      hookBodies.forEach(b -> assertNoSecret("a webhook body", b));
    } finally {
      server.close();
      receiver.stop(0);
    }
    // Nothing on disk: the store's files and the input journal.
    assertOnDisk(data);
    // A rebuild from the journal stores the same markers (the source's key comes along).
    Path rebuilt = data.resolveSibling(data.getFileName() + "-rebuilt");
    Rebuild.run(data, rebuilt, RulePacks.load(Path.of("../rules")), line -> {});
    assertOnDisk(rebuilt);
    assertEquals(
        Files.readString(data.resolve(ServerConfig.HMAC_KEY_FILE)),
        Files.readString(rebuilt.resolve(ServerConfig.HMAC_KEY_FILE)));
  }

  @Test
  void loadDataRedactsWithTheFoldersKeyAndJournalsNoSecret(@TempDir Path files) throws Exception {
    Files.writeString(
        files.resolve("blueprint.yaml"),
        BLUEPRINT.replace("svc-prod, tier: PROD", "svc-dev, tier: DEV"));
    Files.createDirectories(files.resolve("svc-dev"));
    Files.writeString(
        files.resolve("svc-dev/deployment.yaml"),
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: svc, namespace: apps}
        spec:
          template:
            spec:
              containers:
                - name: svc
                  image: svc:1.0
                  env:
                    - {name: DB_PASSWORD, value: %s}
                    - {name: DB_HOST, value: %s}
        """
            .formatted(ENV_PW, PLAIN));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int status =
        new Main(
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                java.time.Clock.systemUTC(),
                false,
                System::nanoTime)
            .run(
                new String[] {
                  "load", files.toString(), "--data", data.toString(), "--rules", "../rules"
                });
    assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
    Secrets key = HmacKey.ofData(data);
    try (var store = org.plumbline.ontology.GraphStore.openTdb2(data)) {
      var blueprint = store.read(r -> r.currentBlueprint("svc")).orElseThrow();
      assertEquals('"' + key.marker(DECLARED) + '"', blueprint.config().get("db.password"));
      var snapshot = store.read(r -> r.latestSnapshot("svc-dev")).orElseThrow();
      assertEquals(
          '"' + key.marker(ENV_PW) + '"',
          snapshot
              .config()
              .get("k8s.Deployment.apps.svc.spec.template.spec.containers[0].env[0].value"));
    }
    assertOnDisk(data);
  }

  /** No secret in any file of a data folder, the key aside, while the plain value is found. */
  private static void assertOnDisk(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().equals(ServerConfig.HMAC_KEY_FILE))
              .toList();
    }
    boolean plainInStore = false;
    boolean plainInJournal = false;
    List<String> leaks = new ArrayList<>();
    for (Path f : files) {
      boolean journal = f.getFileName().toString().endsWith(".gz");
      byte[] content;
      if (journal) {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(f))) {
          content = in.readAllBytes();
        }
      } else {
        content = Files.readAllBytes(f);
      }
      String bytes = new String(content, StandardCharsets.ISO_8859_1);
      plainInStore |= !journal && bytes.contains(PLAIN);
      plainInJournal |= journal && bytes.contains(PLAIN);
      for (String secret : SECRETS) {
        if (bytes.contains(secret)) {
          leaks.add(secret + " in " + folder.relativize(f));
        }
      }
    }
    // Where the plain value is found, a secret would be too: the search is not blind.
    assertTrue(plainInStore, "the plain value is in no store file of " + folder);
    assertTrue(plainInJournal, "the plain value is in no journal object of " + folder);
    assertEquals(List.of(), leaks);
  }

  private static void assertNoSecret(String where, String text) {
    for (String secret : SECRETS) {
      assertFalse(text.contains(secret), where + " holds " + secret + ": " + text);
    }
  }

  private static JsonNode find(JsonNode list, String key) {
    for (JsonNode item : list) {
      if (item.get("key").asText().equals(key)) {
        return item;
      }
    }
    throw new AssertionError("no " + key + " in " + list);
  }

  static String snapshot(String at, String password, String apiKey) throws Exception {
    Map<String, Object> config =
        Map.of(
            "db", Map.of("host", PLAIN, "password", password),
            "llm",
                Map.of(
                    "model",
                    "gpt-4o",
                    "api_key",
                    apiKey,
                    "extra_headers",
                    Map.of("Authorization", BEARER),
                    "signing",
                    Map.of("pem", PEM)),
            "k8s", Map.of("env", List.of(Map.of("name", "DB_PASSWORD", "value", ENV_PW))));
    return JSON.writeValueAsString(
        Map.of("environment", "svc-prod", "observedAt", at, "source", "test", "config", config));
  }

  HttpResponse<String> post(PlumblineServer server, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Authorization", "Bearer " + LOADER)
            .header(
                "Content-Type",
                path.contains("blueprints") ? "application/yaml" : "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(PlumblineServer server, String path, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode gql(PlumblineServer server, String query) throws Exception {
    return gql(server, VIEWER, query);
  }

  JsonNode gql(PlumblineServer server, String token, String query) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/graphql"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("query", query))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertFalse(body.has("errors"), body.toString());
    return body;
  }
}
