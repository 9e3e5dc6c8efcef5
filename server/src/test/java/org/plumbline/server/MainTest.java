package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.server.cli.Main;

/** The command line's exit statuses and one-line errors, run in-process. */
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    return new Main(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void badUsageExitsTwoWithOneLine() {
    assertEquals(2, run("frobnicate"));
    assertEquals(1, err().lines().count());
    assertTrue(err().contains("unknown command"));
    assertEquals(2, run("serve", "--port"));
    assertEquals(2, run("load", "x.json"));
    // The bench is its own module (BenchSmokeTest checks its usage errors): this jar points there.
    assertEquals(2, run("bench", "--environments", "2"));
    assertTrue(err().contains("run ./plumbline bench"), err());
  }

  @Test
  void rulesTestRunsTheShippedPackGreen() {
    assertEquals(0, run("rules", "test", "../rules/packs/default"));
    assertTrue(out().lines().anyMatch(l -> l.matches("\\d+ passed, 0 failed")), out());
  }

  @Test
  void rulesTestTakesTheRulesFolderAsShipped() {
    // "plumbline rules test rules/" from the repository root: the folder holds packs/default.
    assertEquals(0, run("rules", "test", "../rules/"), err());
    assertTrue(out().lines().anyMatch(l -> l.startsWith("PASS authorization.json: ")), out());
    assertTrue(out().lines().anyMatch(l -> l.matches("\\d+ passed, 0 failed")), out());
  }

  @Test
  void rulesTestReportsACompileErrorWithFileAndLine(@TempDir Path dir) throws Exception {
    Path pack = dir.resolve("rules/packs/default");
    Files.createDirectories(pack);
    for (Path f : Files.list(Path.of("../rules/packs/default")).toList()) {
      if (Files.isRegularFile(f)) {
        Files.copy(f, pack.resolve(f.getFileName()));
      }
    }
    Path severity = pack.resolve("severity.drl");
    Files.writeString(
        severity,
        Files.readString(severity)
            .replace("DriftFacts( tier == Tier.PROD )", "DriftFacts( tier == Tier.PROD, key == )"));
    assertEquals(1, run("rules", "test", dir.resolve("rules").toString()));
    assertEquals(1, err().lines().count(), err());
    assertTrue(err().startsWith("plumbline: PACK_COMPILE_FAILED: "), err());
    assertTrue(err().matches("(?s).*\\[severity\\.drl:\\d+: .*"), err());
  }

  @Test
  void rulesTestFailsOnABrokenCase(@TempDir Path dir) throws Exception {
    Path pack = dir.resolve("pack");
    Files.createDirectories(pack.resolve("tests"));
    for (Path f : Files.list(Path.of("../rules/packs/default")).toList()) {
      if (Files.isRegularFile(f)) {
        Files.copy(f, pack.resolve(f.getFileName()));
      }
    }
    Files.writeString(
        pack.resolve("tests/wrong.json"),
        """
        [ { "name": "prod security is surely low",
            "facts": { "environment": "e", "tier": "PROD", "key": "auth.mode", "expected": "oidc", "actual": "none" },
            "expected": { "severity": "LOW" } } ]
        """);
    assertEquals(1, run("rules", "test", pack.toString()));
    assertTrue(out().contains("FAIL wrong.json: prod security is surely low"), out());
    assertTrue(out().contains("0 passed, 1 failed"), out());
  }

  @Test
  void loadWritesToAStoreAndAuditVerifiesIt(@TempDir Path dir) throws Exception {
    Path blueprint = dir.resolve("bp.yaml");
    Files.writeString(
        blueprint,
        """
        bundle: b
        version: 1.0.0
        environments: [ { id: e-prod, tier: PROD, owner: o } ]
        config: { llm: { temperature: 0.3 } }
        """);
    Path snapshot = dir.resolve("s.json");
    Files.writeString(
        snapshot,
        "{\"environment\":\"e-prod\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"config\":{\"llm\":{\"temperature\":0.9}}}");
    Path data = dir.resolve("data");
    assertEquals(
        0,
        run(
            "load",
            blueprint.toString(),
            snapshot.toString(),
            "--data",
            data.toString(),
            "--rules",
            "../rules"),
        err());
    assertTrue(out().contains("2 loaded, 0 failed"), out());
    assertEquals(0, run("audit", "verify", "--data", data.toString()), err());
    assertTrue(out().contains("\"valid\":true,\"partial\":false"), out());
    assertEquals(
        0,
        run(
            "audit",
            "export",
            "--environment",
            "e-prod",
            "--data",
            data.toString(),
            "--format",
            "csv"));
    assertTrue(out().contains("drift.opened"), out());
  }
}
