package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.ledger.LedgerKeys;
import org.plumbline.server.cli.Main;
import org.plumbline.server.export.LedgerSigner;

/**
 * Signed exports (issue 17): the data folder's Ed25519 key is created owner-only and kept; an
 * export's tree head and checkpoints are signed with it; {@code audit verify --public-key} checks
 * them offline with the public key alone, and a different key, or a head rewritten to hide a cut,
 * fails.
 */
class SignedExportTest {
  static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void anExportIsSignedAndVerifiesOnlyUnderItsOwnPublicKey(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (GraphStore store = GraphStore.openTdb2(data)) {
      store.write(
          w -> {
            for (int i = 0; i < 130; i++) {
              w.appendAudit(
                  T0.plus(Duration.ofMinutes(i)),
                  "u" + (i % 3),
                  "snapshot.ingested",
                  i % 2 == 0 ? "e1" : "e2",
                  "s" + i,
                  null);
            }
            return null;
          });
    }
    Path keyFile = data.resolve(LedgerSigner.KEY_FILE);
    LedgerSigner signer = LedgerSigner.read(keyFile, true);
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    assertEquals(
        signer.fingerprint(), LedgerSigner.read(keyFile, false).fingerprint(), "the key is kept");
    assertTrue(signer.publicKeyPem().startsWith("-----BEGIN PUBLIC KEY-----"));
    Path publicKey = dir.resolve("public.pem");
    Files.writeString(publicKey, signer.publicKeyPem());
    Path otherKey = dir.resolve("other.pem");
    Files.writeString(
        otherKey,
        LedgerKeys.publicKeyPem(
            LedgerKeys.publicOf(LedgerKeys.privateKey(LedgerKeys.newPrivateKeyPem()))));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    Path export = dir.resolve("e1.json");
    assertEquals(
        0,
        main.run(
            new String[] {
              "audit", "export", "--data", data.toString(), "--out", export.toString()
            }));
    String text = Files.readString(export);
    assertTrue(text.contains("\"treeHead\""), text.substring(0, 800));
    out.reset();
    assertEquals(
        0,
        main.run(
            new String[] {
              "audit", "verify", "--file", export.toString(), "--public-key", publicKey.toString()
            }),
        out.toString(StandardCharsets.UTF_8));
    String ok = out.toString(StandardCharsets.UTF_8);
    assertTrue(ok.contains("signed by the key with fingerprint " + signer.fingerprint()), ok);
    assertTrue(ok.contains("1 checkpoint(s)"), ok);
    assertTrue(!ok.contains("authenticity: no signature"), ok);

    out.reset();
    assertEquals(
        1,
        main.run(
            new String[] {
              "audit", "verify", "--file", export.toString(), "--public-key", otherKey.toString()
            }));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("does not verify"));

    // The last record cut and the header's head rewritten to match: the signature catches it.
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(text);
    var records = (com.fasterxml.jackson.databind.node.ArrayNode) root.get("records");
    var last = records.remove(records.size() - 1);
    var head = (com.fasterxml.jackson.databind.node.ObjectNode) root.at("/ledger/head");
    head.put("position", last.get("seq").asLong() - 1);
    head.put("hash", records.get(records.size() - 1).get("hash").asText());
    var kept =
        org.plumbline.server.export.AuditExport.parse(text.getBytes(StandardCharsets.UTF_8))
            .records();
    String cutRoot = org.plumbline.ontology.ledger.AuditLedger.root(kept.subList(0, 129));
    var header = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("ledger");
    header
        .put("ledgerSize", 129)
        .put("records", 129)
        .put("ledgerRoot", cutRoot)
        .put("root", cutRoot);
    Path cut = dir.resolve("cut.json");
    Files.writeString(cut, json.writeValueAsString(root));
    // The inclusion proof of record 130 no longer fits the cut export's last record...
    assertEquals(1, main.run(new String[] {"audit", "verify", "--file", cut.toString()}));
    // ...so the forger drops it too: without a key the cut then passes, and says it is unproved.
    header.remove("inclusion");
    Files.writeString(cut, json.writeValueAsString(root));
    out.reset();
    assertEquals(0, main.run(new String[] {"audit", "verify", "--file", cut.toString()}));
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("carries no inclusion proof"),
        out.toString(StandardCharsets.UTF_8));
    out.reset();
    assertEquals(
        1,
        main.run(
            new String[] {
              "audit", "verify", "--file", cut.toString(), "--public-key", publicKey.toString()
            }));
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("not the signed tree head's"),
        out.toString(StandardCharsets.UTF_8));
  }
}
