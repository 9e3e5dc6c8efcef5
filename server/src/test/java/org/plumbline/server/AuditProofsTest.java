package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Tier;
import org.plumbline.ontology.ledger.LedgerKeys;
import org.plumbline.ontology.ledger.MerkleProofs;
import org.plumbline.server.cli.Main;
import org.plumbline.server.export.LedgerSigner;

/**
 * RFC 9162 proofs end to end (issue 17): every JSON export carries the inclusion proof of its last
 * record against its signed tree head, and {@code audit verify} checks it; an auditor keeps only a
 * signed tree head ({@code plumbline audit head}, {@code GET /api/v1/audit/head}), a later export
 * made with {@code --since-head} carries the consistency proof from it, and {@code audit verify
 * --extends HEAD} checks that proof. A history rewritten before the kept head fails, even signed
 * with the server's own key.
 */
class AuditProofsTest {
  static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Main main =
      new Main(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

  /** Appends {@code n} records from index {@code from}; {@code actor} names who made them. */
  static void append(Path data, int from, int n, String actor) {
    try (GraphStore store = GraphStore.openTdb2(data)) {
      store.write(
          w -> {
            if (from == 0) {
              for (String env : List.of("e1", "e2")) {
                w.putEnvironment(
                    new Environment(
                        env, env, Tier.PROD, "team", "sys", "ACTIVE", T0, null, "b", "1.0.0"));
              }
            }
            for (int i = from; i < from + n; i++) {
              w.appendAudit(
                  T0.plus(Duration.ofMinutes(i)),
                  actor + (i % 3),
                  "snapshot.ingested",
                  i % 2 == 0 ? "e1" : "e2",
                  "s" + i,
                  null);
            }
            return null;
          });
    }
  }

  int run(String... args) {
    out.reset();
    return main.run(args);
  }

  String said() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anAuditorKeepsOnlyASignedHeadAndHoldsTheLedgerToIt(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    append(data, 0, 130, "u");
    LedgerSigner signer = LedgerSigner.read(data.resolve(LedgerSigner.KEY_FILE), true);
    Path publicKey = Files.writeString(dir.resolve("public.pem"), signer.publicKeyPem());

    // The head an auditor keeps, signed.
    Path head = dir.resolve("head-130.json");
    assertEquals(0, run("audit", "head", "--data", data.toString(), "--out", head.toString()));
    JsonNode kept = JSON.readTree(head.toFile());
    assertEquals(130, kept.get("size").asLong());
    assertEquals(signer.fingerprint(), kept.get("keyFingerprint").asText());

    // An environment's export carries the inclusion proof of its last record, and it verifies.
    Path e1 = dir.resolve("e1.json");
    assertEquals(
        0,
        run(
            "audit",
            "export",
            "--environment",
            "e1",
            "--data",
            data.toString(),
            "--out",
            e1.toString()));
    JsonNode inclusion = JSON.readTree(e1.toFile()).at("/ledger/inclusion");
    assertEquals(129, inclusion.get("seq").asLong(), inclusion.toString());
    assertEquals(
        0,
        run("audit", "verify", "--file", e1.toString(), "--public-key", publicKey.toString()),
        said());
    assertTrue(said().contains("RFC 9162 inclusion proof: the last record (seq 129)"), said());
    // A flipped byte in the path fails, and says why.
    Path badPath = dir.resolve("e1-bad-path.json");
    ObjectNode doc = (ObjectNode) JSON.readTree(e1.toFile());
    ArrayNode path = (ArrayNode) doc.at("/ledger/inclusion/path");
    path.set(0, JSON.getNodeFactory().textNode(flip(path.get(0).asText())));
    Files.writeString(badPath, JSON.writeValueAsString(doc));
    assertEquals(1, run("audit", "verify", "--file", badPath.toString()), said());
    assertTrue(said().contains("inclusion proof of the last record (seq 129) does not"), said());

    // The ledger grows; a later export made from the kept head carries the consistency proof.
    append(data, 130, 40, "u");
    Path later = dir.resolve("e1-later.json");
    assertEquals(
        0,
        run(
            "audit",
            "export",
            "--environment",
            "e1",
            "--since-head",
            head.toString(),
            "--data",
            data.toString(),
            "--out",
            later.toString()));
    JsonNode consistency = JSON.readTree(later.toFile()).at("/ledger/consistency");
    assertEquals(130, consistency.get("first").asLong());
    assertEquals(170, consistency.get("second").asLong());
    assertEquals(
        0,
        run(
            "audit",
            "verify",
            "--file",
            later.toString(),
            "--extends",
            head.toString(),
            "--public-key",
            publicKey.toString()),
        said());
    assertTrue(said().contains("\"extends\":true"), said());
    assertTrue(
        said().contains("RFC 9162 consistency proof: the ledger of 170 records extends"), said());
    // The earlier export itself stands for its head just as well.
    assertEquals(
        0, run("audit", "verify", "--file", later.toString(), "--extends", e1.toString()), said());

    // Without the proof: a clear refusal that says how to export it.
    Path plain = dir.resolve("e1-plain.json");
    assertEquals(
        0,
        run(
            "audit",
            "export",
            "--environment",
            "e1",
            "--data",
            data.toString(),
            "--out",
            plain.toString()));
    assertEquals(
        1, run("audit", "verify", "--file", plain.toString(), "--extends", head.toString()));
    assertTrue(
        said()
            .contains(
                "the export carries no consistency proof from size 130: export it with"
                    + " sinceSize=130"),
        said());
    // A whole-ledger export needs none: its own first records are the proof.
    Path whole = dir.resolve("whole.json");
    assertEquals(0, run("audit", "export", "--data", data.toString(), "--out", whole.toString()));
    assertEquals(
        0,
        run("audit", "verify", "--file", whole.toString(), "--extends", head.toString()),
        said());
    assertTrue(said().contains("this export's first 130 records have the earlier head's root"));

    // A head signed by another key is refused under the server's key.
    Path otherHead = dir.resolve("other-head.json");
    ObjectNode forgedHead = (ObjectNode) JSON.readTree(head.toFile());
    var otherKey = LedgerKeys.privateKey(LedgerKeys.newPrivateKeyPem());
    forgedHead.put(
        "signature",
        LedgerKeys.sign(
            otherKey,
            new org.plumbline.ontology.ledger.TreeHead(
                    130, kept.get("root").asText(), Instant.parse(kept.get("at").asText()))
                .statement()));
    Files.writeString(otherHead, JSON.writeValueAsString(forgedHead));
    assertEquals(
        1,
        run(
            "audit",
            "verify",
            "--file",
            later.toString(),
            "--extends",
            otherHead.toString(),
            "--public-key",
            publicKey.toString()));
    assertTrue(said().contains("the earlier tree head is not signed by the given public key"));
    // A head larger than the export's ledger.
    Path ahead = dir.resolve("ahead.json");
    Files.writeString(ahead, "{\"size\": 500, \"root\": \"" + kept.get("root").asText() + "\"}");
    assertEquals(
        1, run("audit", "verify", "--file", later.toString(), "--extends", ahead.toString()));
    assertTrue(said().contains("is larger than this export's 170"), said());
  }

  @Test
  void aRewrittenHistorySignedWithTheServersOwnKeyFailsAgainstTheKeptHead(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    append(data, 0, 130, "u");
    Path keyFile = data.resolve(LedgerSigner.KEY_FILE);
    LedgerSigner signer = LedgerSigner.read(keyFile, true);
    Path publicKey = Files.writeString(dir.resolve("public.pem"), signer.publicKeyPem());
    Path head = dir.resolve("head.json");
    assertEquals(0, run("audit", "head", "--data", data.toString(), "--out", head.toString()));

    // The forger rebuilds the ledger with record 7's actor changed, grows it, and exports it with
    // the server's own key and a consistency proof computed from the rewritten history.
    Path forged = dir.resolve("forged");
    append(forged, 0, 7, "u");
    append(forged, 7, 1, "mallory");
    append(forged, 8, 162, "u");
    Files.createDirectories(forged);
    Files.copy(keyFile, forged.resolve(LedgerSigner.KEY_FILE));
    Path export = dir.resolve("forged-e2.json");
    assertEquals(
        0,
        run(
            "audit",
            "export",
            "--environment",
            "e2",
            "--since-size",
            "130",
            "--data",
            forged.toString(),
            "--out",
            export.toString()));
    // On its own the forged export is consistent and correctly signed...
    assertEquals(
        0,
        run("audit", "verify", "--file", export.toString(), "--public-key", publicKey.toString()),
        said());
    // ...but it cannot lead from the root the auditor kept.
    assertEquals(
        1,
        run(
            "audit",
            "verify",
            "--file",
            export.toString(),
            "--extends",
            head.toString(),
            "--public-key",
            publicKey.toString()));
    assertTrue(said().contains("\"extends\":false"), said());
    assertTrue(said().contains("the ledger's first 130 records were rewritten"), said());
  }

  @Test
  void theServerServesItsSignedHeadAndConsistencyProofsAndTheCliUsesThem(@TempDir Path dir)
      throws Exception {
    try (SecurityWorld world = new SecurityWorld(dir.resolve("data"), c -> c)) {
      HttpResponse<String> h = world.send("GET", "/api/v1/audit/head", "auditor", null, null);
      assertEquals(200, h.statusCode(), h.body());
      JsonNode head = JSON.readTree(h.body());
      long m = head.get("size").asLong();
      String pem = world.send("GET", "/api/v1/audit/public-key", "auditor", null, null).body();
      var key = LedgerKeys.publicKey(pem);
      assertTrue(
          LedgerKeys.verifies(
              key,
              new org.plumbline.ontology.ledger.TreeHead(
                      m, head.get("root").asText(), Instant.parse(head.get("at").asText()))
                  .statement(),
              head.get("signature").asText()),
          h.body());

      // The ledger grows (another snapshot); the proof from the kept head to now verifies.
      HttpResponse<String> s =
          world.send(
              "POST",
              "/api/v1/snapshots",
              "loader",
              "application/json",
              EndToEndTest.snapshot(
                  "credit-model-prod",
                  "2026-11-09T10:00:00Z",
                  EndToEndTest.config(0.5, "gpt-4o", 0.8)));
      assertEquals(201, s.statusCode(), s.body());
      long n = world.auditCount();
      assertTrue(n > m);
      JsonNode proof =
          JSON.readTree(
              world
                  .send("GET", "/api/v1/audit/consistency?first=" + m, "auditor", null, null)
                  .body());
      assertEquals(n, proof.get("second").asLong(), proof.toString());
      assertEquals(head.get("root").asText(), proof.get("firstRoot").asText());
      assertEquals(proof.get("secondRoot").asText(), proof.at("/treeHead/root").asText());
      assertTrue(
          MerkleProofs.verifyConsistency(
              m,
              n,
              head.get("root").asText(),
              proof.at("/treeHead/root").asText(),
              strings(proof.get("proof"))));
      // Sizes beyond the ledger, or out of order, are refused with a code.
      for (String q : List.of("first=" + (n + 1), "first=2&second=1", "first=x", "")) {
        HttpResponse<String> bad =
            world.send("GET", "/api/v1/audit/consistency?" + q, "auditor", null, null);
        assertEquals(400, bad.statusCode(), q);
        assertTrue(
            bad.body()
                .contains(
                    q.equals("first=x") || q.isEmpty()
                        ? "INVALID_REQUEST"
                        : "TREE_SIZE_OUT_OF_RANGE"),
            q + ": " + bad.body());
      }
      assertTrue(
          world
              .send(
                  "GET",
                  "/api/v1/environments/credit-model-prod/audit?sinceSize=" + (n + 5),
                  "auditor",
                  null,
                  null)
              .body()
              .contains("TREE_SIZE_OUT_OF_RANGE"));

      // The CLI against the server: keep the head, export with the proof from it, verify.
      Path token =
          Files.writeString(dir.resolve("auditor.token"), SecurityWorld.TOKENS.get("auditor"));
      String url = "http://127.0.0.1:" + world.server.port();
      Path kept = dir.resolve("head.json");
      assertEquals(
          0,
          run(
              "audit",
              "head",
              "--server",
              url,
              "--token-file",
              token.toString(),
              "--out",
              kept.toString()),
          said());
      assertEquals(n, JSON.readTree(kept.toFile()).get("size").asLong());
      world.send(
          "POST",
          "/api/v1/snapshots",
          "loader",
          "application/json",
          EndToEndTest.snapshot(
              "credit-model-prod",
              "2026-11-12T10:00:00Z",
              EndToEndTest.config(0.3, "gpt-4o", 0.8)));
      Path export = dir.resolve("export.json");
      assertEquals(
          0,
          run(
              "audit",
              "export",
              "--environment",
              "credit-model-prod",
              "--since-head",
              kept.toString(),
              "--server",
              url,
              "--token-file",
              token.toString(),
              "--out",
              export.toString()),
          said());
      Path pemFile = Files.writeString(dir.resolve("public.pem"), pem);
      assertEquals(
          0,
          run(
              "audit",
              "verify",
              "--file",
              export.toString(),
              "--extends",
              kept.toString(),
              "--public-key",
              pemFile.toString()),
          said());
      assertTrue(said().contains("RFC 9162 consistency proof"), said());
      assertTrue(said().contains("RFC 9162 inclusion proof"), said());
      assertFalse(said().contains("NOT VALID"), said());
    }
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(x -> out.add(x.asText()));
    return out;
  }

  static String flip(String hex) {
    char c = hex.charAt(0);
    return (c == '0' ? '1' : '0') + hex.substring(1);
  }
}
