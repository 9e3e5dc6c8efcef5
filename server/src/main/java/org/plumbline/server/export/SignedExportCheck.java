package org.plumbline.server.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.ontology.ledger.KeyChain;
import org.plumbline.ontology.ledger.KeyRotation;
import org.plumbline.ontology.ledger.LedgerKeys;
import org.plumbline.ontology.ledger.TreeHead;

/**
 * Checks an export's signatures offline with the public key alone ({@code audit verify --file F
 * --public-key PEM}): its tree head must be signed by that key and say exactly what the export's
 * header declares (the ledger's size and root, the exported environment's head), and every
 * checkpoint it carries must be signed by it. Then the head the records were checked against is the
 * server's, not the forger's.
 *
 * <p>After key rotations the export is signed by a later key: it carries the ledger's key chain,
 * and the check follows it from the given key ({@link KeyChain}); every rotation followed must be
 * signed by the key before it, and the export's signatures must be the chain's last key's.
 */
public final class SignedExportCheck {
  private SignedExportCheck() {}

  /**
   * The verification of the export's records, with what its signatures proved added (or the first
   * signature problem, making it invalid).
   */
  public static AuditLedger.Verification check(
      byte[] export, AuditExport.Parsed parsed, AuditLedger.Verification v, PublicKey key)
      throws IOException {
    if (!v.valid()) {
      return v;
    }
    JsonNode ledger = new ObjectMapper().readTree(export).path("ledger");
    List<KeyRotation> rotations = new ArrayList<>();
    for (JsonNode k : ledger.path("keyChain")) {
      rotations.add(KeyRotation.fromJson(k));
    }
    KeyChain chain = KeyChain.follow(key, rotations);
    if (!chain.valid()) {
      return failed(v, chain.problem());
    }
    PublicKey trusted = key;
    key = chain.key();
    JsonNode th = ledger.path("treeHead");
    if (th.isMissingNode() || th.isNull()) {
      return failed(v, "the export carries no signed tree head");
    }
    TreeHead head =
        new TreeHead(
            th.path("size").asLong(),
            th.path("root").asText(null),
            Instant.parse(th.path("at").asText()),
            th.path("environment").asText(null),
            th.path("position").canConvertToLong() ? th.get("position").asLong() : null,
            th.path("hash").asText(null));
    if (!LedgerKeys.verifies(key, head.statement(), th.path("signature").asText(null))) {
      String by = th.path("keyFingerprint").asText("?");
      return failed(
          v,
          chain.fingerprints().contains(by) || by.equals(LedgerKeys.fingerprint(key))
              ? "the tree head's signature does not verify under the given public key"
                  + (trusted == key ? "" : " and the export's key chain")
              : "the tree head's signature does not verify: it is signed by an unknown key "
                  + by
                  + ": neither the given key "
                  + LedgerKeys.fingerprint(trusted)
                  + " nor a key the export's key chain leads to from it (it ends at "
                  + LedgerKeys.fingerprint(key)
                  + ")");
    }
    AuditLedger.ExportClaims c = parsed.claims();
    if (!Objects.equals(head.size(), c.ledgerSize())
        || !Objects.equals(head.root(), c.ledgerRoot())) {
      return failed(v, "the ledger size or root the header declares is not the signed tree head's");
    }
    if (c.environment() != null
        && (!c.environment().equals(head.environment())
            || !Objects.equals(head.position(), c.headPosition())
            || !Objects.equals(head.headHash(), c.headHash()))) {
      return failed(v, "the environment head the header declares is not the signed tree head's");
    }
    int checkpoints = 0;
    for (JsonNode cp : new ObjectMapper().readTree(export).path("checkpoints")) {
      TreeHead h =
          new TreeHead(
              cp.path("size").asLong(),
              cp.path("root").asText(null),
              Instant.parse(cp.path("at").asText()));
      if (!LedgerKeys.verifies(key, h.statement(), cp.path("signature").asText(null))) {
        return failed(v, "checkpoint at " + h.size() + " is not signed by the given public key");
      }
      checkpoints++;
    }
    List<String> checked = new ArrayList<>(v.checked());
    checked.add(
        "the tree head (ledger size "
            + head.size()
            + (head.environment() == null
                ? ""
                : ", the head of environment "
                    + head.environment()
                    + " at its record "
                    + head.position())
            + ")"
            + (checkpoints == 0 ? "" : " and " + checkpoints + " checkpoint(s)")
            + " signed by the key with fingerprint "
            + LedgerKeys.fingerprint(key)
            + (trusted == key
                ? ""
                : ", which the export's key chain leads to from the given key "
                    + LedgerKeys.fingerprint(trusted)
                    + " through "
                    + (chain.fingerprints().size() - 1)
                    + " rotation(s), each signed by the key before it"));
    List<String> notChecked = new ArrayList<>(v.notChecked());
    notChecked.remove(AuditLedger.NO_SIGNATURE);
    return new AuditLedger.Verification(
        true, v.records(), null, null, v.root(), v.partial(), checked, notChecked);
  }

  public static PublicKey publicKey(String pem) throws GeneralSecurityException {
    return LedgerKeys.publicKey(pem);
  }

  private static AuditLedger.Verification failed(AuditLedger.Verification v, String reason) {
    return new AuditLedger.Verification(
        false, v.records(), null, reason, null, v.partial(), v.checked(), v.notChecked());
  }
}
