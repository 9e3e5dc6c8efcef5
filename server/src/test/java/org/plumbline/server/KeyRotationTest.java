package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.Governor;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.ledger.KeyRotation;
import org.plumbline.ontology.ledger.LedgerKeys;
import org.plumbline.server.cli.Main;
import org.plumbline.server.export.LedgerSigner;
import org.plumbline.server.export.SigningKeyRotation;
import org.plumbline.server.http.resources.AuditResource;

/**
 * Key rotation (issue 17): {@code plumbline audit rotate-key} records a rotation signed by the old
 * key, replaces the data folder's key (the old private key is removed), and exports carry the key
 * chain, so {@code audit verify --public-key OLD.pem} accepts heads signed by the new key only
 * through a chain from OLD; a rotation not signed by the old key, or a head signed by an unknown
 * key, exits 1. The rotation is journaled, so a rebuild keeps it.
 */
class KeyRotationTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant T0 = Instant.now().minus(Duration.ofDays(1));

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

  static void records(Path data, Instant from, int n) {
    try (GraphStore store = GraphStore.openTdb2(data)) {
      store.write(
          w -> {
            for (int i = 0; i < n; i++) {
              w.appendAudit(
                  from.plus(Duration.ofSeconds(i)),
                  "u" + (i % 3),
                  "snapshot.ingested",
                  i % 2 == 0 ? "e1" : "e2",
                  "s" + i,
                  null);
            }
            return null;
          });
    }
  }

  static Path publicKeyFile(Path dir, String name, LedgerSigner signer) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, signer.publicKeyPem());
    return f;
  }

  @Test
  void anExportSignedAfterRotationsVerifiesUnderTheOldKeyOnlyThroughItsChain(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    records(data, T0, 40);
    Path keyFile = data.resolve(LedgerSigner.KEY_FILE);
    LedgerSigner first = LedgerSigner.read(keyFile, true);
    Path oldPem = publicKeyFile(dir, "old.pem", first);

    assertEquals(0, run("audit", "rotate-key", "--data", data.toString()), said());
    assertTrue(said().contains("\"oldFingerprint\":\"" + first.fingerprint() + "\""), said());
    LedgerSigner second = LedgerSigner.read(keyFile, false);
    assertNotEquals(first.fingerprint(), second.fingerprint());
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    try (Stream<Path> files = Files.list(data)) {
      assertEquals(
          List.of(LedgerSigner.KEY_FILE),
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("audit-signing"))
              .toList(),
          "the old private key is removed; nothing waits in " + SigningKeyRotation.NEXT_FILE);
    }
    records(data, Instant.now(), 20);
    assertEquals(0, run("audit", "rotate-key", "--data", data.toString()), said());
    LedgerSigner third = LedgerSigner.read(keyFile, false);
    records(data, Instant.now().plusSeconds(60), 10);

    Path export = dir.resolve("ledger.json");
    assertEquals(0, run("audit", "export", "--data", data.toString(), "--out", export.toString()));
    ObjectNode root = (ObjectNode) JSON.readTree(export.toFile());
    assertEquals(2, root.at("/ledger/keyChain").size());
    assertEquals(third.fingerprint(), root.at("/ledger/treeHead/keyFingerprint").asText());

    assertEquals(0, verify(export, oldPem), said());
    assertTrue(said().contains("through 2 rotation(s)"), said());
    assertEquals(0, verify(export, publicKeyFile(dir, "second.pem", second)), said());
    assertEquals(0, verify(export, publicKeyFile(dir, "third.pem", third)), said());

    // A rotation signed by another key than the one it rotates from (a forger's link).
    ObjectNode forged = root.deepCopy();
    ObjectNode link = (ObjectNode) forged.at("/ledger/keyChain/1");
    link.put(
        "signature",
        LedgerKeys.sign(
            LedgerKeys.privateKey(LedgerKeys.newPrivateKeyPem()),
            KeyRotation.fromJson(link).statement()));
    assertEquals(1, verify(write(dir, "forged.json", forged), oldPem));
    assertTrue(said().contains("not signed by the key it rotates from"), said());

    // A chain that starts at a key the auditor never trusted.
    ObjectNode foreign = root.deepCopy();
    LedgerSigner stranger = LedgerSigner.read(dir.resolve("stranger.pem"), true);
    LedgerSigner strangerNext = LedgerSigner.read(dir.resolve("stranger-next.pem"), true);
    ArrayNode chain = (ArrayNode) foreign.at("/ledger/keyChain");
    chain.removeAll();
    chain.add(
        KeyRotation.sign(
                LedgerKeys.privateKey(Files.readString(dir.resolve("stranger.pem"))),
                LedgerKeys.publicKey(strangerNext.publicKeyPem()),
                60)
            .toJson());
    assertEquals(1, verify(write(dir, "foreign.json", foreign), oldPem));
    assertTrue(said().contains("does not follow from the key " + first.fingerprint()), said());
    assertFalse(stranger.fingerprint().equals(first.fingerprint()));

    // No chain: the head is signed by a key the old one does not lead to.
    ObjectNode unchained = root.deepCopy();
    ((ObjectNode) unchained.get("ledger")).remove("keyChain");
    assertEquals(1, verify(write(dir, "unchained.json", unchained), oldPem));
    assertTrue(said().contains("signed by an unknown key " + third.fingerprint()), said());

    // The rotations are journaled: a rebuild keeps them, and its exports verify from OLD.
    Path rebuilt = dir.resolve("rebuilt");
    assertEquals(
        0,
        run(
            "rebuild",
            "--from",
            data.toString(),
            "--data",
            rebuilt.toString(),
            "--rules",
            "../rules"),
        said());
    Path again = dir.resolve("rebuilt.json");
    assertEquals(
        0, run("audit", "export", "--data", rebuilt.toString(), "--out", again.toString()));
    assertEquals(2, JSON.readTree(again.toFile()).at("/ledger/keyChain").size());
    assertEquals(0, verify(again, oldPem), said());
  }

  @Test
  void aHeadKeptBetweenRotationsIsCheckedUnderTheKeyTheChainLeadsTo(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    records(data, T0, 40);
    Path keyFile = data.resolve(LedgerSigner.KEY_FILE);
    Path oldPem = publicKeyFile(dir, "old.pem", LedgerSigner.read(keyFile, true));
    assertEquals(0, run("audit", "rotate-key", "--data", data.toString()), said());
    records(data, Instant.now(), 20);
    Path head = dir.resolve("head.json");
    assertEquals(0, run("audit", "head", "--data", data.toString(), "--out", head.toString()));
    LedgerSigner second = LedgerSigner.read(keyFile, false);
    assertEquals(
        second.fingerprint(), JSON.readTree(head.toFile()).path("keyFingerprint").asText());
    assertEquals(0, run("audit", "rotate-key", "--data", data.toString()), said());
    records(data, Instant.now().plusSeconds(60), 10);
    Path export = dir.resolve("later.json");
    assertEquals(
        0,
        run(
            "audit",
            "export",
            "--data",
            data.toString(),
            "--since-head",
            head.toString(),
            "--out",
            export.toString()),
        said());

    // The auditor trusts the first key; the head they kept was signed by the second, which the
    // export's chain leads to from the first.
    assertEquals(0, extendsUnder(export, head, oldPem), said());
    assertTrue(said().contains("consistency proof"), said());
    // A key the chain does not lead to does not vouch for the kept head.
    LedgerSigner stranger = LedgerSigner.read(dir.resolve("stranger.pem"), true);
    assertEquals(1, extendsUnder(export, head, publicKeyFile(dir, "s.pub", stranger)), said());
    // Nor does a chain whose links are not signed by the key before them.
    ObjectNode forged = (ObjectNode) JSON.readTree(export.toFile());
    ObjectNode link = (ObjectNode) forged.at("/ledger/keyChain/0");
    link.put(
        "signature",
        LedgerKeys.sign(
            LedgerKeys.privateKey(Files.readString(dir.resolve("stranger.pem"))),
            KeyRotation.fromJson(link).statement()));
    assertEquals(1, extendsUnder(write(dir, "forged-chain.json", forged), head, oldPem), said());
  }

  private int extendsUnder(Path export, Path head, Path publicKey) {
    return run(
        "audit",
        "verify",
        "--file",
        export.toString(),
        "--extends",
        head.toString(),
        "--public-key",
        publicKey.toString());
  }

  @Test
  void theLedgerRefusesARotationNotSignedByItsKeyOrNotFromItsCurrentKey(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    records(data, T0, 5);
    LedgerSigner a = LedgerSigner.read(dir.resolve("a.pem"), true);
    LedgerSigner b = LedgerSigner.read(dir.resolve("b.pem"), true);
    LedgerSigner c = LedgerSigner.read(dir.resolve("c.pem"), true);
    try (GraphStore store = GraphStore.openTdb2(data)) {
      Governor g = new Governor(store, () -> null, java.time.Clock.systemUTC());
      // audit.signingKey kept by the operator: the rotation is recorded, no file is touched
      SigningKeyRotation.Rotated r =
          SigningKeyRotation.rotateTo(
              dir.resolve("a.pem"), dir.resolve("b.pem"), g, Governor.system("ops"));
      assertEquals(a.fingerprint(), r.rotation().oldFingerprint());
      assertEquals(b.publicKeyPem(), r.rotation().newPublicKey());
      long size = store.read(x -> x.auditCount());
      // from a key the ledger no longer signs with (a, rotated away): refused
      PlumblineException stale =
          assertThrows(
              PlumblineException.class,
              () ->
                  SigningKeyRotation.rotateTo(
                      dir.resolve("a.pem"), dir.resolve("c.pem"), g, Governor.system("ops")));
      assertEquals(StoreError.KEY_ROTATION_INVALID, stale.code());
      // a rotation whose signature is not its old key's: refused
      KeyRotation good =
          KeyRotation.sign(
              LedgerKeys.privateKey(Files.readString(dir.resolve("b.pem"))),
              LedgerKeys.publicKey(c.publicKeyPem()),
              size);
      KeyRotation bad =
          new KeyRotation(
              good.oldPublicKey(),
              good.newPublicKey(),
              good.oldFingerprint(),
              good.newFingerprint(),
              good.ledgerSize() + 1,
              good.signature());
      PlumblineException unsigned =
          assertThrows(
              PlumblineException.class,
              () ->
                  g.execute(
                      new org.plumbline.governance.Command.RotateSigningKey(
                          bad, Governor.system("ops"))));
      assertEquals(StoreError.KEY_ROTATION_INVALID, unsigned.code());
      assertEquals(size, (long) store.read(x -> x.auditCount()), "nothing stored");
      // the server does not rotate an audit.signingKey: it says how to
      AuditResource external =
          new AuditResource(g, () -> null, v -> {}, dir.resolve("b.pem"), true);
      PlumblineException refused =
          assertThrows(
              PlumblineException.class,
              () -> external.rotateKey((org.plumbline.governance.Caller) null));
      assertEquals(ServerError.SIGNING_KEY_EXTERNAL, refused.code());
      assertTrue(refused.getMessage().contains("--new-key"), refused.getMessage());
    }
  }

  @Test
  void theServerRotatesUnderItsLockAndFinishesARotationInterruptedBeforeItsKeyMoved(
      @TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    records(data, T0, 5);
    Path keyFile = data.resolve(LedgerSigner.KEY_FILE);
    Path next = data.resolve(SigningKeyRotation.NEXT_FILE);
    try (GraphStore store = GraphStore.openTdb2(data)) {
      Governor g = new Governor(store, () -> null, java.time.Clock.systemUTC());
      AuditResource audit = new AuditResource(g, () -> null, v -> {}, keyFile, false);
      LedgerSigner first = audit.signer();
      Path oldPem = publicKeyFile(dir, "old.pem", first);
      var reply = audit.rotateKey(Governor.system("admin"));
      assertEquals(200, reply.status());
      assertTrue(reply.body().contains(first.fingerprint()), reply.body());
      assertNotEquals(first.fingerprint(), audit.signer().fingerprint());
      assertEquals(audit.signer().publicKeyPem(), audit.publicKey().body());
      Path export = dir.resolve("after.json");
      Files.writeString(
          export,
          store.read(
              r ->
                  org.plumbline.server.export.AuditExport.json(
                      r,
                      new org.plumbline.server.export.AuditExport.Scope(null, null, null),
                      Instant.now(),
                      audit.signer())));
      assertEquals(0, verify(export, oldPem), said());

      // Interrupted after the record, before the move: the next start moves the waiting key in.
      LedgerSigner second = audit.signer();
      Path waiting = dir.resolve("waiting.pem");
      LedgerSigner third = LedgerSigner.read(waiting, true);
      SigningKeyRotation.rotateTo(keyFile, waiting, g, Governor.system("admin"));
      Files.copy(waiting, next);
      AuditResource restarted = new AuditResource(g, () -> null, v -> {}, keyFile, false);
      assertEquals(third.fingerprint(), restarted.signer().fingerprint());
      assertFalse(Files.exists(next));
      // A waiting key no rotation names (interrupted before the record) is dropped.
      LedgerSigner.read(next, true);
      AuditResource again = new AuditResource(g, () -> null, v -> {}, keyFile, false);
      assertEquals(third.fingerprint(), again.signer().fingerprint());
      assertFalse(Files.exists(next));
      assertNotEquals(second.fingerprint(), third.fingerprint());
    }
  }

  private int verify(Path export, Path publicKey) {
    return run(
        "audit", "verify", "--file", export.toString(), "--public-key", publicKey.toString());
  }

  private static Path write(Path dir, String name, ObjectNode root) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, JSON.writeValueAsString(root));
    return f;
  }
}
