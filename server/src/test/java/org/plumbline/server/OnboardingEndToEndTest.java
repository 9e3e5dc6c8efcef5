package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.SettableClock;
import org.plumbline.server.cli.Main;
import org.plumbline.server.config.ServerConfig;

/**
 * Issue 18, done when: a Kubernetes-served model onboarded end to end as docs/onboarding.md tells
 * it, on a real server with the shipped rules. The key mapping, {@code blueprint init} from the
 * Deployment as it runs, a dry run that stores nothing, the blueprint posted, the Deployment
 * loaded, a drift on {@code llm.temperature} when someone changes the variable, CODIFY, and {@code
 * blueprint export} of the codified version, which posted again is the same version.
 */
class OnboardingEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path FILES = Path.of("src/test/resources/onboarding");
  static final String LOADER = "ob-loader-token-0000001";
  static final String ADMIN = "ob-admin-token-00000001";
  static final String ENV = "credit-serving-dev";
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  final HttpClient http = HttpClient.newHttpClient();
  PlumblineServer server;

  @Test
  void aKubernetesServedModelIsOnboardedFromTheDocs(@TempDir Path dir) throws Exception {
    SettableClock clock = new SettableClock(T0.plusSeconds(86_400));
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(dir.resolve("data"))
            .withRules(Path.of("../rules"))
            .withTokens(
                List.of(
                    new ServerConfig.Token(LOADER, "loader", Set.of("loader")),
                    new ServerConfig.Token(
                        ADMIN, "root", Set.of("admin", "auditor", "viewer", "operator"))));
    server = PlumblineServer.start(config, clock);
    try {
      String url = "http://localhost:" + server.port();
      // 1. a blueprint from what runs, with the mapping applied
      Run init =
          main(
              "blueprint",
              "init",
              "--from",
              FILES.resolve("deployment.yaml").toString(),
              "--map",
              FILES.resolve("map.yaml").toString(),
              "--environment",
              ENV,
              "--bundle",
              "credit-assistant",
              "--owner",
              "credit-ml");
      assertEquals(0, init.status(), init.err());
      String blueprint = init.out();
      assertTrue(blueprint.contains("  llm:\n    temperature: 0.3\n"), blueprint);
      assertTrue(
          blueprint.contains(
              "  container:\n    image: registry.example.org/credit/assistant:2.3.0"),
          blueprint);
      assertTrue(blueprint.contains("  model:\n    version: gpt-4o-2024-08-06"), blueprint);
      assertFalse(blueprint.contains("LLM_TEMPERATURE\n"), blueprint);
      Path file = dir.resolve("credit-assistant.yaml");
      Files.writeString(file, blueprint);

      // 2a. a dry run of both first: what the load would do, and nothing stored
      Run dry =
          main(
              "load",
              file.toString(),
              FILES.resolve("deployment.yaml").toString(),
              "--environment",
              ENV,
              "--observed-at",
              T0.toString(),
              "--dry-run",
              "--server",
              url);
      assertEquals(0, dry.status(), dry.out() + dry.err());
      assertTrue(dry.out().contains("credit-assistant@1.0.0 would be stored"), dry.out());
      assertTrue(dry.out().contains("would register 1 environment: " + ENV), dry.out());
      assertTrue(dry.out().contains("would open 0 drifts"), dry.out());
      assertEquals(0, gql("{ environments { id } }").at("/data/environments").size());

      // 2. posted, then the Deployment as it runs: no drift
      Run post = main("load", file.toString(), "--server", url);
      assertEquals(0, post.status(), post.out() + post.err());
      Run first =
          main(
              "load",
              FILES.resolve("deployment.yaml").toString(),
              "--environment",
              ENV,
              "--observed-at",
              T0.toString(),
              "--server",
              url);
      assertEquals(0, first.status(), first.out() + first.err());
      assertEquals(0, gql(drifts()).at("/data/drifts").size());

      // 3. someone sets LLM_TEMPERATURE to 0.7 and restarts the pods: one drift, on the governed
      // key
      Run second =
          main(
              "load",
              FILES.resolve("deployment-changed.yaml").toString(),
              "--environment",
              ENV,
              "--observed-at",
              T0.plusSeconds(3600).toString(),
              "--server",
              url);
      assertEquals(0, second.status(), second.out() + second.err());
      JsonNode drifts = gql(drifts()).at("/data/drifts");
      assertEquals(1, drifts.size(), drifts.toString());
      JsonNode drift = drifts.get(0);
      assertEquals("llm.temperature", drift.path("key").asText());
      assertEquals(0.3, drift.path("expected").asDouble());
      assertEquals(0.7, drift.path("actual").asDouble());
      assertFalse(drift.at("/assessment/severity").asText().isEmpty(), drift.toString());

      // 4. the team keeps 0.7: CODIFY writes version 1.0.1
      JsonNode codify =
          gql(
              "mutation { requestDisposition(drift: \""
                  + drift.path("id").asText()
                  + "\", kind: CODIFY, justification: \"0.7 tested in the evaluation suite\")"
                  + " { status } }");
      assertEquals("APPROVED", codify.at("/data/requestDisposition/status").asText());
      JsonNode after = gql(drifts()).at("/data/drifts/0");
      assertFalse(after.path("status").asText().equals("OPEN"), after.toString());

      // 5. and back to git: the codified version as YAML, the same version when posted again
      Run export = main("blueprint", "export", "--bundle", "credit-assistant", "--server", url);
      assertEquals(0, export.status(), export.err());
      assertTrue(export.out().contains("version: 1.0.1\n"), export.out());
      assertTrue(export.out().contains("    temperature: 0.7\n"), export.out());
      Files.writeString(file, export.out());
      Run again = main("load", file.toString(), "--server", url);
      assertEquals(0, again.status(), again.out() + again.err());
      assertTrue(again.out().contains("unchanged"), again.out());
    } finally {
      server.close();
    }
  }

  private static String drifts() {
    return "{ drifts(environment: \""
        + ENV
        + "\") { id key expected actual status assessment { severity } } }";
  }

  record Run(int status, String out, String err) {}

  private Run main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new Main(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .withEnvironment(name -> name.equals("PLUMBLINE_TOKEN") ? ADMIN : null)
            .run(args);
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private JsonNode gql(String query) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/graphql"))
                .header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("query", query))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    assertFalse(body.has("errors"), body.toString());
    return body;
  }
}
