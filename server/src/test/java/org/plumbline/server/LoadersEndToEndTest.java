package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.server.cli.Main;
import org.plumbline.server.config.ServerConfig;

/**
 * {@code plumbline load DIR --server ...} against the real server: a folder of blueprints,
 * Terraform, Kubernetes dumps, a LiteLLM config, OTLP spans, flagd and LaunchDarkly flags (the
 * fixtures in {@code src/test/resources/mixed}, one folder per environment) goes in through the CLI
 * code path, and GraphQL names the drifts each format carried.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadersEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "test-loader-token-0001";
  static final String VIEWER = "test-viewer-token-0001";
  static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");

  @TempDir static Path data;
  @TempDir static Path mixed;
  PlumblineServer server;
  final HttpClient http = HttpClient.newHttpClient();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  int firstStatus;
  String firstOut;
  String firstErr;

  @BeforeAll
  void loadTheMixedFolder() throws Exception {
    server =
        PlumblineServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withData(data)
                .withRules(Path.of("../rules"))
                .withTokens(
                    List.of(
                        new ServerConfig.Token(LOADER, "ci-loader", Set.of("loader")),
                        new ServerConfig.Token(VIEWER, "victor", Set.of("viewer")))),
            Clock.fixed(NOW, ZoneOffset.UTC));
    copyFixtures();
    // One malformed file among the good ones: it fails alone.
    Files.writeString(
        mixed.resolve("credit-serving-prod/zz-broken.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\napiVersion: v1\n"
            + "kind: ConfigMap\nmetadata: { labels: {} }\n");
    firstStatus = load();
    firstOut = out.toString(StandardCharsets.UTF_8);
    firstErr = err.toString(StandardCharsets.UTF_8);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** Files that state no instant get their modification time: pin it so answers are stable. */
  private static void copyFixtures() throws IOException, URISyntaxException {
    Path source =
        Path.of(Objects.requireNonNull(LoadersEndToEndTest.class.getResource("/mixed")).toURI());
    try (Stream<Path> files = Files.walk(source)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path copy = mixed.resolve(source.relativize(f).toString());
        Files.createDirectories(copy.getParent());
        Files.copy(f, copy);
        Files.setLastModifiedTime(copy, FileTime.from(Instant.parse("2026-11-20T06:00:00Z")));
      }
    }
  }

  int load() {
    out.reset();
    err.reset();
    return new Main(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.fixed(NOW, ZoneOffset.UTC),
            false,
            System::nanoTime)
        // The token from the environment, as a loader job should pass it (not --token).
        .withEnvironment(name -> name.equals("PLUMBLINE_TOKEN") ? LOADER : null)
        .run(
            new String[] {
              "load",
              mixed.toString(),
              "--server",
              "http://localhost:" + server.port(),
              "--source-environment",
              "test"
            });
  }

  JsonNode graphql(String query) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/graphql"))
            .header("Authorization", "Bearer " + VIEWER)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    JSON.writeValueAsString(Map.of("query", query))))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertFalse(body.has("errors"), r.body());
    return body.get("data");
  }

  /** The environment's drifts by key. */
  Map<String, JsonNode> drifts(String environment) throws Exception {
    JsonNode drifts =
        graphql(
                "{ drifts(environment: \""
                    + environment
                    + "\") { key expected actual assessment { riskCategory severity findings } } }")
            .get("drifts");
    Map<String, JsonNode> byKey = new java.util.TreeMap<>();
    drifts.forEach(d -> byKey.put(d.get("key").asText(), d));
    return byKey;
  }

  static List<String> findings(JsonNode drift) {
    return JSON.convertValue(drift.at("/assessment/findings"), List.class);
  }

  @Test
  void everyGoodFileLoadsAndTheBrokenOneFailsAlone() {
    assertEquals(1, firstStatus, firstErr);
    assertTrue(firstOut.contains("12 loaded, 1 failed"), firstOut);
    assertEquals(1, firstErr.lines().count(), firstErr);
    assertTrue(
        firstErr.contains(
            "zz-broken.yaml: INVALID_KUBERNETES: invalid Kubernetes objects: 1 problem"
                + " [document 2 (line 5)/metadata/name: is required]"),
        firstErr);
    // One line per file, blueprints first.
    List<String> lines = firstOut.lines().toList();
    assertEquals(13, lines.size(), firstOut);
    assertTrue(lines.subList(0, 5).stream().allMatch(l -> l.contains(": blueprint: ")), firstOut);
  }

  @Test
  void otlpSpansNameTheAliasTheApplicationRequests() throws Exception {
    Map<String, JsonNode> drifts = drifts("credit-assistant-prod");
    assertEquals(Set.of("llm.temperature", "model.version"), drifts.keySet());
    JsonNode model = drifts.get("model.version");
    assertEquals("gpt-4o-2024-08-06", model.get("expected").asText());
    assertEquals("gpt-4o", model.get("actual").asText());
    assertTrue(findings(model).contains("ALIAS_MODEL_VERSION"), model.toString());
    assertEquals("CRITICAL", model.at("/assessment/severity").asText(), model.toString());
    assertEquals(0.7, drifts.get("llm.temperature").get("actual").asDouble());
  }

  @Test
  void aRefreshOnlyPlanNamesWhatChangedOutsideTerraform() throws Exception {
    Map<String, JsonNode> drifts = drifts("credit-model-infra");
    JsonNode type = drifts.get("terraform.aws_instance.inference[0].instance_type");
    assertEquals("g5.xlarge", type.get("expected").asText());
    assertEquals("g5.2xlarge", type.get("actual").asText());
    assertFalse(
        drifts.get("terraform.aws_instance.inference[0].monitoring").get("actual").asBoolean());
    JsonNode deleted = drifts.get("terraform.aws_ssm_parameter.temperature.name");
    assertTrue(deleted.get("actual").isNull(), deleted.toString());
    assertTrue(findings(deleted).contains("MISSING_KEY"), deleted.toString());
    // The rotated secret (Terraform marks it sensitive; load --server sends it flagged) drifts
    // from the one the blueprint pins, and only their markers are stored.
    JsonNode rotated = drifts.get("terraform.aws_ssm_parameter.api_key.value");
    assertTrue(
        rotated.get("expected").asText().startsWith("secret:hmac-sha256:"), rotated.toString());
    assertTrue(
        rotated.get("actual").asText().startsWith("secret:hmac-sha256:"), rotated.toString());
    assertNotEquals(rotated.get("expected"), rotated.get("actual"));
    assertNoSecretStored();
  }

  /** The secrets the fixtures hold in clear appear in no drift, explanation or change. */
  void assertNoSecretStored() throws Exception {
    String everything =
        graphql("{ drifts { key expected actual assessment { explanation } } }").toString()
            + graphql("{ changes(environment: \"credit-model-infra\") { from to } }")
            + graphql("{ changes(environment: \"gateway-prod\") { from to } }");
    for (String secret :
        List.of(
            "sk-old",
            "sk-new-rotated",
            "LIVEKEY",
            "changeme-in-clear",
            "master-in-clear",
            "pa55word",
            "secret:unhashed")) {
      assertFalse(everything.contains(secret), secret + " stored: " + everything);
    }
  }

  @Test
  void kubernetesChangesCarryTheFieldManagerAsTheirSource() throws Exception {
    JsonNode changes =
        graphql(
                "{ changes(environment: \"credit-serving-prod\", lastDays: 30) { key from to at source } }")
            .get("changes");
    String image =
        "k8s.Deployment.credit-serving.credit-assistant.spec.template.spec.containers[0].image";
    JsonNode change = null;
    for (JsonNode c : changes) {
      if (c.get("key").asText().equals(image)) {
        change = c;
      }
    }
    assertTrue(change != null, changes.toString());
    assertEquals("registry.example.org/credit/assistant:2.3.0", change.get("from").asText());
    assertEquals("registry.example.org/credit/assistant:2.3.0-hotfix1", change.get("to").asText());
    assertEquals("k8s/kubectl-edit", change.get("source").asText());
    assertEquals("2026-11-19T22:41:07Z", change.get("at").asText());
    // Noise never reaches the graph: only the three edited values drift.
    assertEquals(3, drifts("credit-serving-prod").size(), drifts("credit-serving-prod").toString());
  }

  @Test
  void aGatewayDeploymentOnAnAliasAndALoosenedGuardrailDrift() throws Exception {
    Map<String, JsonNode> drifts = drifts("gateway-prod");
    assertEquals(
        Set.of("guardrails.prompt-injection.default_on", "models.gpt-4o[1].model"),
        drifts.keySet());
    assertTrue(findings(drifts.get("models.gpt-4o[1].model")).contains("ALIAS_MODEL_VERSION"));
    assertEquals(
        "SECURITY",
        drifts
            .get("guardrails.prompt-injection.default_on")
            .at("/assessment/riskCategory")
            .asText());
    // The blueprint pins the gateway's secrets; they compare equal by their markers.
    assertNoSecretStored();
  }

  @Test
  void flagFilesDriftByFlag() throws Exception {
    Map<String, JsonNode> prod = drifts("support-flags-prod");
    assertEquals(Set.of("flags.max-turns", "flags.retrieval-tuning"), prod.keySet());
    assertTrue(findings(prod.get("flags.max-turns")).contains("UNEXPECTED_KEY"));
    Map<String, JsonNode> staging = drifts("support-flags-staging");
    JsonNode flag = staging.get("flags.new-escalation-flow");
    assertFalse(flag.get("expected").asBoolean());
    assertTrue(flag.get("actual").asBoolean(), "read from the LaunchDarkly environment 'test'");
    assertTrue(findings(staging.get("flags.answer-style")).contains("MISSING_KEY"));
  }

  @Test
  void loadingTheSameFolderAgainStoresNothing() throws Exception {
    int status = load();
    String again = out.toString(StandardCharsets.UTF_8);
    assertEquals(1, status);
    assertTrue(again.contains("12 loaded, 1 failed"), again);
    assertEquals(12, again.lines().filter(l -> l.contains(" unchanged")).count(), again);
  }
}
