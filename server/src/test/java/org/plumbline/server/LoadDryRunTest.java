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
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.SettableClock;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.GraphStore;
import org.plumbline.server.cli.Main;
import org.plumbline.server.config.ServerConfig;

/**
 * Issue 18, dry runs: {@code plumbline load --dry-run} parses, maps and compares against what is
 * stored, says what it would store, register, open and close, and stores nothing: the store, the
 * ledger and the input journal are as they were. With {@code --data} the data folder's governor
 * rehearses it; with {@code --server} the server's {@code POST /api/v1/load/dry-run} does, by the
 * same governance code as a real ingest.
 */
class LoadDryRunTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
  static final String LOADER = "dry-loader-token-000001";
  static final String ADMIN = "dry-admin-token-0000001";
  static final String BLUEPRINT =
      """
      bundle: b
      version: 1.0.0
      environments: [ { id: e-dev, tier: DEV, owner: o } ]
      config: { llm: { temperature: 0.3 }, model: { version: m-2024-08-06 } }
      """;
  static final String NEW_BUNDLE =
      """
      bundle: n
      version: 1.0.0
      environments: [ { id: e-new, tier: DEV, owner: o } ]
      config: { llm: { temperature: 0.5 }, model: { version: m-2024-08-06 } }
      """;

  @TempDir Path dir;

  static String snapshot(String env, String at, double temperature) {
    return "{\"environment\":\""
        + env
        + "\",\"observedAt\":\""
        + at
        + "\",\"source\":\"collector\",\"config\":{\"llm\":{\"temperature\":"
        + temperature
        + "},\"model\":{\"version\":\"m-2024-08-06\"}}}";
  }

  /** The files of the dry run: a change, a new bundle with its snapshot, and two bad files. */
  List<String> dryRunFiles() throws Exception {
    Path files = Files.createDirectories(dir.resolve("dry"));
    Files.writeString(
        files.resolve("1-changed.json"), snapshot("e-dev", "2026-11-20T00:00:00Z", 0.7));
    Files.writeString(files.resolve("2-new-bundle.yaml"), NEW_BUNDLE);
    Files.writeString(
        files.resolve("3-new-env.json"), snapshot("e-new", "2026-11-20T00:00:00Z", 0.5));
    Files.writeString(
        files.resolve("4-unknown-env.json"), snapshot("e-nowhere", "2026-11-20T00:00:00Z", 0.5));
    Files.writeString(files.resolve("5-malformed.json"), "{\"environment\": ");
    try (Stream<Path> s = Files.list(files)) {
      return s.sorted().map(Path::toString).toList();
    }
  }

  /** What a dry run of {@link #dryRunFiles} says, wherever it ran. */
  static void saysWhatItWouldDo(Run run) {
    assertEquals(1, run.status(), run.out() + run.err()); // two files would fail
    String out = run.out();
    assertTrue(
        out.contains(
            "1-changed.json: snapshot: snapshot e-dev@2026-11-20T00:00:00Z would be stored (2 keys,"
                + " 1 change, drifts 1 opened)"),
        out);
    assertTrue(
        out.contains("2-new-bundle.yaml: blueprint: n@1.0.0 would be stored (1 environment)"), out);
    assertTrue(
        out.contains(
            "3-new-env.json: snapshot: snapshot e-new@2026-11-20T00:00:00Z would be stored"),
        out);
    assertTrue(out.contains("dry run: nothing was stored"), out);
    assertTrue(out.contains("would register 1 environment: e-new"), out);
    assertTrue(out.contains("would open 1 drift:\n  e-dev llm.temperature: 0.3 -> 0.7 ("), out);
    assertTrue(out.contains("would close 0 drifts"), out);
    assertTrue(out.contains("3 would load, 2 would fail"), out);
    assertTrue(
        run.err().contains("4-unknown-env.json: would be refused: UNKNOWN_ENVIRONMENT"), run.err());
    assertTrue(run.err().contains("5-malformed.json: INVALID_"), run.err());
  }

  @Test
  void aDryRunOnADataFolderSaysWhatItWouldDoAndStoresNothing() throws Exception {
    Path data = dir.resolve("data");
    Path blueprint = Files.writeString(dir.resolve("b.yaml"), BLUEPRINT);
    Path first =
        Files.writeString(dir.resolve("s0.json"), snapshot("e-dev", "2026-11-19T00:00:00Z", 0.3));
    Run load =
        main(
            "load",
            blueprint.toString(),
            first.toString(),
            "--data",
            data.toString(),
            "--rules",
            "../rules");
    assertEquals(0, load.status(), load.err());
    Stored before = stored(data);

    List<String> args = new java.util.ArrayList<>(List.of("load"));
    args.addAll(dryRunFiles());
    args.addAll(List.of("--dry-run", "--data", data.toString(), "--rules", "../rules"));
    saysWhatItWouldDo(main(args.toArray(String[]::new)));
    assertEquals(before, stored(data));

    // Stored for real, the drift opens; a dry run of the value put back would close it.
    Run real =
        main(
            "load",
            dir.resolve("dry/1-changed.json").toString(),
            "--data",
            data.toString(),
            "--rules",
            "../rules");
    assertEquals(0, real.status(), real.err());
    assertTrue(real.out().contains("drifts 1 opened"), real.out());
    Stored drifted = stored(data);
    assertEquals(1, drifted.openDrifts());
    Path back =
        Files.writeString(dir.resolve("s2.json"), snapshot("e-dev", "2026-11-20T06:00:00Z", 0.3));
    Run close =
        main(
            "load", back.toString(), "--dry-run", "--data", data.toString(), "--rules", "../rules");
    assertEquals(0, close.status(), close.err());
    assertTrue(
        close.out().contains("would close 1 drift:\n  e-dev llm.temperature: 0.3 -> 0.7"),
        close.out());
    assertTrue(close.out().contains("would open 0 drifts"), close.out());
    assertTrue(close.out().contains("would register 0 environments"), close.out());
    assertEquals(drifted, stored(data));
  }

  @Test
  void aDryRunAgainstAServerIsRehearsedByItsRouteAndStoresNothing() throws Exception {
    // before the first snapshot is two days old: no stale-observation finding is due meanwhile
    SettableClock clock = new SettableClock(Instant.parse("2026-11-20T12:00:00Z"));
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(dir.resolve("data"))
            .withRules(Path.of("../rules"))
            .withTokens(
                List.of(
                    new ServerConfig.Token(LOADER, "loader", Set.of("loader")),
                    new ServerConfig.Token(ADMIN, "root", Set.of("admin", "auditor", "viewer"))));
    PlumblineServer server = PlumblineServer.start(config, clock);
    HttpClient http = HttpClient.newHttpClient();
    String url = "http://localhost:" + server.port();
    Path journal = dir.resolve("data/journal");
    try {
      Path blueprint = Files.writeString(dir.resolve("b.yaml"), BLUEPRINT);
      Path first =
          Files.writeString(dir.resolve("s0.json"), snapshot("e-dev", "2026-11-19T00:00:00Z", 0.3));
      Run load = main("load", blueprint.toString(), first.toString(), "--server", url);
      assertEquals(0, load.status(), load.err());
      String journalBefore = fingerprint(journal);
      long ledgerBefore = ledgerSize(http, url);

      List<String> args = new java.util.ArrayList<>(List.of("load"));
      args.addAll(dryRunFiles());
      args.addAll(List.of("--dry-run", "--server", url));
      saysWhatItWouldDo(main(args.toArray(String[]::new)));
      assertEquals(journalBefore, fingerprint(journal));
      assertEquals(ledgerBefore, ledgerSize(http, url));
      JsonNode envs = gql(http, url, "{ environments { id } drifts { key } }");
      assertEquals(1, envs.at("/data/environments").size(), envs.toString());
      assertEquals(0, envs.at("/data/drifts").size(), envs.toString());

      // The route itself: a request it cannot read is refused whole, saying where.
      HttpResponse<String> bad =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/api/v1/load/dry-run"))
                  .header("Authorization", "Bearer " + LOADER)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"files\":[{\"name\":\"x\",\"documents\":[{\"kind\":\"gossip\",\"body\":\"{}\"}]}]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(400, bad.statusCode(), bad.body());
      assertTrue(bad.body().contains("INVALID_REQUEST"), bad.body());
      assertTrue(bad.body().contains("/files/0/documents/0/kind"), bad.body());
      assertEquals(journalBefore, fingerprint(journal));
    } finally {
      server.close();
    }
  }

  /** What a data folder holds that a load could change. */
  record Stored(
      long ledger, String journal, List<String> environments, String latest, long openDrifts) {}

  Stored stored(Path data) throws Exception {
    String journal = fingerprint(data.resolve("journal"));
    try (GraphStore store = GraphStore.openTdb2(data)) {
      return store.read(
          r ->
              new Stored(
                  r.auditCount(),
                  journal,
                  r.environments().stream().map(Environment::id).sorted().toList(),
                  r.latestSnapshot("e-dev").map(s -> s.contentHash()).orElse(null),
                  r.activeDrifts("e-dev").size()));
    }
  }

  static String fingerprint(Path folder) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        sha.update(folder.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
        sha.update(Files.readAllBytes(f));
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static long ledgerSize(HttpClient http, String url) throws Exception {
    return gql(http, url, "{ verifyAudit { valid records } }")
        .at("/data/verifyAudit/records")
        .asLong();
  }

  static JsonNode gql(HttpClient http, String url, String query) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/graphql"))
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
            .withEnvironment(name -> name.equals("PLUMBLINE_TOKEN") ? LOADER : null)
            .run(args);
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
