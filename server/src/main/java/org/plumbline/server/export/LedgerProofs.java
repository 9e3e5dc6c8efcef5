package org.plumbline.server.export;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.ledger.MerkleFrontier;
import org.plumbline.ontology.ledger.MerkleProofs;
import org.plumbline.ontology.ledger.TreeHead;
import org.plumbline.server.ServerError;

/**
 * The RFC 9162 proofs the server hands out about its audit ledger: the signed tree head an auditor
 * keeps ({@code GET /api/v1/audit/head}), the consistency proof between two sizes ({@code GET
 * /api/v1/audit/consistency}), and what an export carries (the inclusion proof of its last record
 * against its tree head, and on request the consistency proof from an earlier size to it).
 */
public final class LedgerProofs {
  private LedgerProofs() {}

  /** The ledger's tree head now, signed: what {@code plumbline audit head} saves. */
  public static JsonObject head(StoreReader r, Instant now, LedgerSigner signer) {
    TreeHead head = new TreeHead(r.auditCount(), r.auditRoot(), now);
    if (signer != null) {
      return signer.signed(head);
    }
    return new JsonObject()
        .put("size", head.size())
        .put("root", head.root())
        .put("at", head.at().toString());
  }

  /**
   * The consistency proof from the ledger's first {@code first} records to its first {@code second}
   * (the whole ledger when null), with both roots; with the tree head now, signed, when {@code
   * second} is the ledger's size.
   */
  public static JsonObject consistency(
      StoreReader r, long first, Long second, Instant now, LedgerSigner signer) {
    long size = r.auditCount();
    long to = second == null ? size : second;
    if (first < 0 || to > size || first > to) {
      throw new PlumblineException(
          ServerError.TREE_SIZE_OUT_OF_RANGE,
          "need 0 <= first <= second <= "
              + size
              + " (the ledger's size now), got first="
              + first
              + ", second="
              + to,
          List.of("first: " + first, "second: " + to));
    }
    List<String> leaves = leaves(r).subList(0, (int) to);
    JsonObject o =
        new JsonObject()
            .put("first", first)
            .put("second", to)
            .put("firstRoot", MerkleFrontier.rootOf(leaves.subList(0, (int) first)))
            .put("secondRoot", MerkleFrontier.rootOf(leaves))
            .put("proof", new JsonArray(MerkleProofs.consistency(leaves, first)));
    if (to == size) {
      o.put("treeHead", head(r, now, signer));
    }
    return o;
  }

  /**
   * Adds to an export's header the inclusion proof of its last record against the ledger's tree
   * head (its size and root now), and, when {@code sinceSize} is given, the consistency proof from
   * the ledger of that size to it.
   */
  static void addTo(JsonObject header, StoreReader r, List<AuditRecord> records, Long sinceSize) {
    long size = r.auditCount();
    if (sinceSize != null && (sinceSize < 0 || sinceSize > size)) {
      throw new PlumblineException(
          ServerError.TREE_SIZE_OUT_OF_RANGE,
          "sinceSize must lie between 0 and " + size + " (the ledger's size now), was " + sinceSize,
          List.of("sinceSize: " + sinceSize));
    }
    if (records.isEmpty() && sinceSize == null) {
      return;
    }
    List<String> leaves = leaves(r);
    if (!records.isEmpty()) {
      AuditRecord last = records.get(records.size() - 1);
      header.put(
          "inclusion",
          new JsonObject()
              .put("seq", last.seq())
              .put("treeSize", size)
              .put("path", new JsonArray(MerkleProofs.inclusion(leaves, last.seq() - 1))));
    }
    if (sinceSize != null) {
      header.put(
          "consistency",
          new JsonObject()
              .put("first", sinceSize)
              .put("firstRoot", MerkleFrontier.rootOf(leaves.subList(0, sinceSize.intValue())))
              .put("second", size)
              .put("proof", new JsonArray(MerkleProofs.consistency(leaves, sinceSize))));
    }
  }

  /** The hashes of the ledger's records, seq 1 first: its Merkle leaves. */
  private static List<String> leaves(StoreReader r) {
    long size = r.auditCount();
    List<String> out = new ArrayList<>((int) size);
    for (AuditRecord a : r.audit(null, null, null)) {
      if (out.size() == size) {
        break;
      }
      out.add(a.hash());
    }
    return out;
  }
}
