package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.SettableClock;
import org.plumbline.server.cli.Main;
import org.plumbline.server.config.ServerConfig;

/**
 * Issue 18, a blueprint from what runs: {@code plumbline blueprint init --from ENVIRONMENT} writes
 * a blueprint from the environment's latest stored snapshot, from a data folder ({@code --data})
 * and from a server ({@code --server}) alike: the observed values (as stored, under governed keys),
 * secrets left out and named, and a document the server's parser takes. An environment with no
 * snapshot is a coded failure.
 */
class BlueprintInitFromEnvironmentTest {
  static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
  static final String TOKEN = "init-admin-token-000001";
  static final String BLUEPRINT =
      """
      bundle: credit
      version: 1.0.0
      environments:
        - { id: credit-dev, tier: DEV, owner: credit-ml }
        - { id: credit-empty, tier: DEV, owner: credit-ml }
      config: { llm: { temperature: 0.3 }, model: { version: gpt-4o-2024-08-06 } }
      """;
  static final String SNAPSHOT =
      """
      {"environment": "credit-dev", "observedAt": "2026-11-20T00:00:00Z", "source": "collector",
       "config": {"llm": {"temperature": 0.7, "top_p": 0.9}, "model": {"version": "gpt-4o-2024-08-06"},
                  "gateway": {"api_key": "sk-proj-LIVEKEY0123456789abcdef"}}}
      """;

  @TempDir Path dir;

  @Test
  void aBlueprintIsWrittenFromAnEnvironmentsLatestSnapshotInAFolderAndOnAServer() throws Exception {
    Path data = dir.resolve("data");
    Path blueprint = Files.writeString(dir.resolve("credit.yaml"), BLUEPRINT);
    Path snapshot = Files.writeString(dir.resolve("snapshot.json"), SNAPSHOT);
    Run load =
        main(
            "load",
            blueprint.toString(),
            snapshot.toString(),
            "--data",
            data.toString(),
            "--rules",
            "../rules");
    assertEquals(0, load.status(), load.err());

    Run offline =
        main(
            "blueprint",
            "init",
            "--from",
            "credit-dev",
            "--bundle",
            "credit-next",
            "--data",
            data.toString());
    assertEquals(0, offline.status(), offline.err());
    String yaml = offline.out();
    assertTrue(yaml.startsWith("# Written by plumbline blueprint init from credit-dev."), yaml);
    assertTrue(yaml.contains("secret values left out"), yaml);
    assertTrue(yaml.contains("gateway.api_key"), yaml);
    assertFalse(yaml.contains("sk-proj"), yaml);
    assertFalse(yaml.contains("secret:hmac"), yaml);
    assertTrue(yaml.contains("bundle: credit-next\n"), yaml);
    assertTrue(yaml.contains("  - id: credit-dev\n"), yaml);
    assertTrue(yaml.contains("  llm:\n    temperature: 0.7\n    top_p: 0.9\n"), yaml);
    assertTrue(yaml.contains("  model:\n    version: gpt-4o-2024-08-06\n"), yaml);
    // what it prints posts as it is
    Path written =
        Files.writeString(
            dir.resolve("credit-next.yaml"), yaml.replace("credit-dev", "credit-next-dev"));
    Run post = main("load", written.toString(), "--data", data.toString(), "--rules", "../rules");
    assertEquals(0, post.status(), post.out() + post.err());

    Run none = main("blueprint", "init", "--from", "credit-empty", "--data", data.toString());
    assertEquals(1, none.status());
    assertTrue(
        none.err()
            .contains("UNKNOWN_ENVIRONMENT: no snapshot of environment 'credit-empty' is stored"),
        none.err());

    // the same from a server on that folder: the same blueprint
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(data)
            .withRules(Path.of("../rules"))
            .withTokens(List.of(new ServerConfig.Token(TOKEN, "root", Set.of("admin", "viewer"))));
    PlumblineServer server = PlumblineServer.start(config, new SettableClock(NOW));
    try {
      String url = "http://localhost:" + server.port();
      Run online =
          main(
              "blueprint",
              "init",
              "--from",
              "credit-dev",
              "--bundle",
              "credit-next",
              "--server",
              url);
      assertEquals(0, online.status(), online.err());
      assertEquals(yaml, online.out());
      Run missing = main("blueprint", "init", "--from", "credit-empty", "--server", url);
      assertEquals(1, missing.status());
      assertTrue(missing.err().contains("UNKNOWN_ENVIRONMENT"), missing.err());
    } finally {
      server.close();
    }
  }

  record Run(int status, String out, String err) {}

  static Run main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new Main(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.fixed(NOW, ZoneOffset.UTC),
                false,
                System::nanoTime)
            .withEnvironment(name -> name.equals("PLUMBLINE_TOKEN") ? TOKEN : null)
            .run(args);
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
