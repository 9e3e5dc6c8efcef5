package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.Governor;
import org.plumbline.governance.InputJournal;
import org.plumbline.governance.Inputs;
import org.plumbline.governance.SettableClock;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.ontology.GraphStore;
import org.plumbline.server.auth.HmacKey;
import org.plumbline.server.cli.Main;
import org.plumbline.server.export.LedgerSigner;
import org.plumbline.server.export.SigningKeyRotation;

/**
 * Backup, restore and rebuild keep the evidence (issue 17): a data folder with two environments'
 * history and a key rotation is backed up, restored into another folder (with its signing key) and
 * rebuilt from its journal; the per-environment exports of all three verify with the same public
 * key (the one before the rotation, through the key chain) and carry the same environment heads;
 * the restored ledger has the same size and root, and the rotation survives the rebuild.
 */
class EvidenceSurvivesBackupTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PROD = "credit-model-prod";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Main main =
      new Main(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

  private int run(String... args) {
    out.reset();
    return main.run(args);
  }

  private String said() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void exportsBeforeAndAfterBackupRestoreAndRebuildVerifyWithOneKeyAndCarryTheSameHeads(
      @TempDir Path dir) throws Exception {
    Path a = dir.resolve("a");
    Path keyFile = a.resolve(LedgerSigner.KEY_FILE);
    Path oldPem = dir.resolve("old.pem");
    SettableClock clock =
        new SettableClock(Instant.now().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS));
    try (GraphStore store = GraphStore.openTdb2(a);
        InputJournal journal = InputJournal.open(a.resolve("journal"))) {
      var pack = RulePacks.load(Path.of("../rules"));
      Governor g = new Governor(store, () -> pack, clock, journal);
      Inputs inputs = new Inputs(ParseLimits.DEFAULT, HmacKey.ofData(a));
      var admin = Governor.system("admin");
      g.execute(
          inputs.blueprint(
              EndToEndTest.BLUEPRINT.getBytes(StandardCharsets.UTF_8), "application/yaml", admin));
      Files.writeString(oldPem, LedgerSigner.read(keyFile, true).publicKeyPem());
      for (int i = 0; i < 6; i++) {
        clock.advance(Duration.ofHours(1));
        if (i == 3) {
          SigningKeyRotation.rotateFile(keyFile, g, admin);
          clock.advance(Duration.ofMinutes(1));
        }
        String env = i % 2 == 0 ? PROD : "credit-model-dev";
        g.execute(
            inputs.snapshot(
                EndToEndTest.snapshot(
                        env,
                        clock.instant().toString(),
                        EndToEndTest.config(0.3 + i / 10.0, "gpt-4o-2024-08-06", 0.8))
                    .getBytes(StandardCharsets.UTF_8),
                admin));
      }
    }
    JsonNode before = export(a, dir.resolve("a.json"));
    assertEquals(1, before.at("/ledger/keyChain").size(), "the rotation is in the ledger");
    assertTrue(before.at("/ledger/head/position").asLong() >= 3, before.at("/ledger").toString());

    Path backup = dir.resolve("a.nq.gz");
    assertEquals(0, run("backup", "--data", a.toString(), "--out", backup.toString()), said());
    Path b = dir.resolve("b");
    assertEquals(
        0,
        run(
            "restore",
            "--from",
            backup.toString(),
            "--data",
            b.toString(),
            "--signing-key",
            keyFile.toString()),
        said());
    assertTrue(said().contains("installed"), said());
    JsonNode restored = export(b, dir.resolve("b.json"));
    assertEquals(before.at("/ledger/treeHead/size"), restored.at("/ledger/treeHead/size"));
    assertEquals(before.at("/ledger/treeHead/root"), restored.at("/ledger/treeHead/root"));
    assertEquals(before.at("/ledger/head"), restored.at("/ledger/head"));
    assertEquals(before.get("records"), restored.get("records"));

    // A key that is not the ledger's (its last rotation names another) is not installed.
    Path stranger = dir.resolve("stranger.pem");
    LedgerSigner.read(stranger, true);
    assertNotEquals(
        0,
        run(
            "restore",
            "--from",
            backup.toString(),
            "--data",
            dir.resolve("d").toString(),
            "--signing-key",
            stranger.toString()));

    Path c = dir.resolve("c");
    assertEquals(
        0,
        run("rebuild", "--from", a.toString(), "--data", c.toString(), "--rules", "../rules"),
        said());
    JsonNode rebuilt = export(c, dir.resolve("c.json"));
    assertEquals(1, rebuilt.at("/ledger/keyChain").size(), "the rotation survives the rebuild");
    assertEquals(before.at("/ledger/keyChain"), rebuilt.at("/ledger/keyChain"));
    assertEquals(before.at("/ledger/head"), rebuilt.at("/ledger/head"), "the same head of " + PROD);
  }

  /** The environment's export from a folder, verified under the key from before the rotation. */
  private JsonNode export(Path data, Path file) throws Exception {
    assertEquals(
        0,
        run(
            "audit",
            "export",
            "--environment",
            PROD,
            "--data",
            data.toString(),
            "--out",
            file.toString()),
        said());
    assertEquals(
        0,
        run(
            "audit",
            "verify",
            "--file",
            file.toString(),
            "--public-key",
            dir(file).resolve("old.pem").toString()),
        said());
    assertTrue(said().contains("through 1 rotation(s)"), said());
    return JSON.readTree(file.toFile());
  }

  private static Path dir(Path file) {
    return file.getParent();
  }
}
