package org.plumbline.server.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.ontology.ledger.KeyChain;
import org.plumbline.ontology.ledger.KeyRotation;
import org.plumbline.ontology.ledger.LedgerKeys;
import org.plumbline.ontology.ledger.MerkleProofs;
import org.plumbline.ontology.ledger.TreeHead;

/**
 * Checks the RFC 9162 proofs an export carries, offline: the inclusion proof of its last record
 * against the tree head it declares (signed, when {@code --public-key} checked it), and the
 * consistency proof from a tree head an auditor kept earlier ({@code audit verify --extends}), so
 * that the auditor needs only that head, not the earlier export.
 */
public final class ProofCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProofCheck() {}

  /**
   * A tree head kept earlier: the ledger's size and root then.
   *
   * @param what how to name it in messages
   */
  public record KeptHead(long size, String root, String what) {}

  /**
   * The verification with the export's inclusion proof checked: its last record must be the leaf at
   * its seq in the tree of the size and root the header declares. An export without one (made
   * before issue 17's proofs) says so under what was not checked.
   */
  public static AuditLedger.Verification inclusion(
      byte[] export, AuditExport.Parsed parsed, AuditLedger.Verification v) throws IOException {
    if (!v.valid() || parsed.records().isEmpty()) {
      return v;
    }
    JsonNode proof = JSON.readTree(export).path("ledger").path("inclusion");
    if (proof.isMissingNode() || proof.isNull()) {
      return notChecked(v, "inclusion: the export carries no inclusion proof of its last record");
    }
    AuditRecord last = parsed.records().get(parsed.records().size() - 1);
    Long size = parsed.claims().ledgerSize();
    String root = parsed.claims().ledgerRoot();
    String problem = null;
    if (size == null || root == null) {
      problem = "the export declares no ledger size and root to check its inclusion proof against";
    } else if (proof.path("seq").asLong() != last.seq()
        || proof.path("treeSize").asLong() != size) {
      problem =
          "the inclusion proof is of seq "
              + proof.path("seq").asText()
              + " in a ledger of "
              + proof.path("treeSize").asText()
              + ", not of the last record (seq "
              + last.seq()
              + ") in the declared ledger of "
              + size;
    } else if (!MerkleProofs.verifyInclusion(
        last.hash(), last.seq() - 1, size, hashes(proof.path("path")), root)) {
      problem =
          "the inclusion proof of the last record (seq "
              + last.seq()
              + ") does not lead to the declared ledger root: the record or the ledger was"
              + " rewritten";
    }
    if (problem != null) {
      return failed(v, last.seq(), problem);
    }
    return checked(
        v,
        "RFC 9162 inclusion proof: the last record (seq "
            + last.seq()
            + ") is in the ledger of "
            + size
            + " records with the declared root");
  }

  /**
   * The keys that may have signed a head kept earlier, when {@code trusted} is the key the auditor
   * gives and {@code export} the newer export: the trusted key and the keys its key chain leads to,
   * each rotation signed by the key before it ({@link KeyChain}). A head kept after a rotation is
   * so checked under the key of its time. Keys the trusted one was rotated from are not taken on
   * the export's word: to check a head older than the key you hold, give that older key.
   */
  public static List<PublicKey> headKeys(byte[] export, PublicKey trusted) throws IOException {
    List<KeyRotation> rotations = new ArrayList<>();
    for (JsonNode k : JSON.readTree(export).path("ledger").path("keyChain")) {
      rotations.add(KeyRotation.fromJson(k));
    }
    KeyChain chain = KeyChain.follow(trusted, rotations);
    List<PublicKey> keys = new ArrayList<>(List.of(trusted));
    if (!chain.valid()) {
      return keys;
    }
    try {
      for (KeyRotation r : rotations) {
        if (chain.fingerprints().indexOf(r.newFingerprint()) > 0) {
          keys.add(r.newKey());
        }
      }
    } catch (GeneralSecurityException e) {
      return List.of(trusted);
    }
    return keys;
  }

  /**
   * Reads what {@code --extends} names: a signed tree head ({@code plumbline audit head}, {@code
   * GET /api/v1/audit/head}) or an earlier export, whose tree head is taken. With keys, a signature
   * it carries must verify under one of them ({@link #headKeys}), and a head file must carry one.
   *
   * @return the head, or null with {@code problems} holding why it cannot be used
   */
  public static KeptHead keptHead(
      byte[] bytes, AuditExport.Parsed asExport, List<PublicKey> keys, List<String> problems)
      throws IOException {
    JsonNode root = JSON.readTree(bytes);
    if (asExport == null) {
      if (!root.path("size").canConvertToLong() || !root.hasNonNull("root")) {
        throw new IOException("neither an audit export nor a signed tree head");
      }
      if (keys != null && !signed(root, keys)) {
        problems.add(
            "the earlier tree head is not signed by the given public key or a key of its chain");
        return null;
      }
      return new KeptHead(root.get("size").asLong(), root.get("root").asText(), "earlier head");
    }
    JsonNode th = root.path("ledger").path("treeHead");
    if (th.hasNonNull("root")) {
      if (keys != null && !signed(th, keys)) {
        problems.add(
            "the earlier export's tree head is not signed by the given public key or a key of its"
                + " chain");
        return null;
      }
      return new KeptHead(th.path("size").asLong(), th.get("root").asText(), "earlier export");
    }
    AuditLedger.ExportClaims c = asExport.claims();
    if (c.ledgerSize() != null && c.ledgerRoot() != null) {
      return new KeptHead(c.ledgerSize(), c.ledgerRoot(), "earlier export");
    }
    if (!c.slice() && asExport.root() != null) {
      return new KeptHead(asExport.records().size(), asExport.root(), "earlier export");
    }
    problems.add("the earlier export declares no ledger size and root");
    return null;
  }

  /**
   * Why the export does not extend the earlier head, or null when it does: the export's ledger must
   * be at least as large, and a consistency proof it carries (or, for a whole-ledger export, its
   * own first records) must lead from the earlier root to its declared root.
   */
  public static String extension(
      byte[] export, AuditExport.Parsed parsed, KeptHead earlier, List<String> proved)
      throws IOException {
    AuditLedger.ExportClaims c = parsed.claims();
    long m = earlier.size();
    Long n = c.ledgerSize();
    String root = c.ledgerRoot();
    if (n == null && !c.slice() && parsed.root() != null) {
      n = (long) parsed.records().size();
      root = parsed.root();
    }
    if (n == null || root == null) {
      return "the export declares no ledger size and root";
    }
    if (m > n) {
      return "the " + earlier.what() + " (ledger of " + m + ") is larger than this export's " + n;
    }
    if (m == n) {
      if (!root.equals(earlier.root())) {
        return "the ledger of "
            + n
            + " records has another root than the "
            + earlier.what()
            + ": its history was rewritten";
      }
      proved.add("the ledger of " + n + " records has the " + earlier.what() + "'s root");
      return null;
    }
    JsonNode proof = JSON.readTree(export).path("ledger").path("consistency");
    if (proof.path("first").asLong(-1) == m && proof.path("second").asLong(-1) == n) {
      if (!MerkleProofs.verifyConsistency(
          m, n, earlier.root(), root, hashes(proof.path("proof")))) {
        return "the consistency proof from size "
            + m
            + " does not lead from the "
            + earlier.what()
            + "'s root to this export's: the ledger's first "
            + m
            + " records were rewritten";
      }
      proved.add(
          "RFC 9162 consistency proof: the ledger of "
              + n
              + " records extends the "
              + earlier.what()
              + " (ledger of "
              + m
              + ", root "
              + earlier.root()
              + ")");
      return null;
    }
    if (!c.slice() && parsed.records().size() >= m) {
      // A whole-ledger export holds the leaves themselves: no proof is needed.
      List<AuditRecord> prefix = parsed.records().subList(0, (int) m);
      if (!AuditLedger.root(prefix).equals(earlier.root())) {
        return "this export's first "
            + m
            + " records do not have the "
            + earlier.what()
            + "'s root: they were rewritten";
      }
      proved.add("this export's first " + m + " records have the " + earlier.what() + "'s root");
      return null;
    }
    return "the export carries no consistency proof from size "
        + m
        + ": export it with sinceSize="
        + m
        + " (plumbline audit export --since-size "
        + m
        + " or --since-head HEAD.json)";
  }

  private static boolean signed(JsonNode head, List<PublicKey> keys) {
    try {
      TreeHead h =
          new TreeHead(
              head.path("size").asLong(),
              head.path("root").asText(null),
              Instant.parse(head.path("at").asText()),
              head.path("environment").asText(null),
              head.path("position").canConvertToLong() ? head.get("position").asLong() : null,
              head.path("hash").asText(null));
      String signature = head.path("signature").asText(null);
      return keys.stream().anyMatch(k -> LedgerKeys.verifies(k, h.statement(), signature));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static List<String> hashes(JsonNode array) {
    if (!array.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    array.forEach(h -> out.add(h.asText()));
    return out;
  }

  private static AuditLedger.Verification failed(
      AuditLedger.Verification v, Long seq, String reason) {
    return new AuditLedger.Verification(
        false, v.records(), seq, reason, null, v.partial(), v.checked(), v.notChecked());
  }

  private static AuditLedger.Verification checked(AuditLedger.Verification v, String what) {
    List<String> checked = new ArrayList<>(v.checked());
    checked.add(what);
    return new AuditLedger.Verification(
        v.valid(), v.records(), null, null, v.root(), v.partial(), checked, v.notChecked());
  }

  private static AuditLedger.Verification notChecked(AuditLedger.Verification v, String what) {
    List<String> notChecked = new ArrayList<>(v.notChecked());
    notChecked.add(what);
    return new AuditLedger.Verification(
        v.valid(), v.records(), null, null, v.root(), v.partial(), v.checked(), notChecked);
  }
}
