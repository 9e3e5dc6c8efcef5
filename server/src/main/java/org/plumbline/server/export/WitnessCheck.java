package org.plumbline.server.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.ledger.AuditLedger;

/**
 * Checks an export against a witness log ({@code audit verify --file F --witness LOG}): the signed
 * checkpoints the server published ({@link CheckpointWitness}), one JSON line each, kept by a third
 * party. The server cannot show the auditor one history and the witness another: a witnessed head
 * of the same size as the export's tree head or one of its checkpoints, with another root, is a
 * split view; the export's tree head must be witnessed or newer than the last witnessed head; and
 * when newer, the export must extend that head (a whole-ledger export's first records have its
 * root; a slice carries the witnessed checkpoint, which must have the witnessed root).
 */
public final class WitnessCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WitnessCheck() {}

  /** One head in a witness log. */
  record Witnessed(long size, String root) {}

  /** The heads in a witness log, in its order; throws IOException for a line that is not one. */
  static List<Witnessed> read(Path log) throws IOException {
    List<Witnessed> out = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode h = JSON.readTree(line);
      if (!h.path("size").canConvertToLong() || !h.hasNonNull("root")) {
        throw new IOException("line " + n + " of the witness log is not a tree head");
      }
      out.add(new Witnessed(h.get("size").asLong(), h.get("root").asText()));
    }
    return out;
  }

  public static AuditLedger.Verification check(
      byte[] export, AuditExport.Parsed parsed, AuditLedger.Verification v, Path log)
      throws IOException {
    if (!v.valid()) {
      return v;
    }
    List<Witnessed> witnessed = read(log);
    JsonNode ledger = JSON.readTree(export).path("ledger");
    Long size = parsed.claims().ledgerSize();
    String root = parsed.claims().ledgerRoot();
    if (size == null || root == null) {
      return failed(v, "the export declares no ledger size and root to hold against the witness");
    }
    List<Witnessed> carried = new ArrayList<>();
    carried.add(new Witnessed(size, root));
    parsed.checkpoints().forEach(c -> carried.add(new Witnessed(c.size(), c.root())));
    for (Witnessed w : witnessed) {
      for (Witnessed c : carried) {
        if (w.size() == c.size() && !w.root().equals(c.root())) {
          return failed(
              v,
              "split view: the witness holds the ledger of "
                  + w.size()
                  + " records with root "
                  + w.root()
                  + ", the export "
                  + (c.size() == size ? "'s tree head" : "'s checkpoint")
                  + " says "
                  + c.root());
        }
      }
    }
    List<String> checked = new ArrayList<>(v.checked());
    if (witnessed.isEmpty()) {
      List<String> notChecked = new ArrayList<>(v.notChecked());
      notChecked.add("the witness: its log holds no tree head yet");
      return new AuditLedger.Verification(
          true, v.records(), null, null, v.root(), v.partial(), checked, notChecked);
    }
    Witnessed last = witnessed.get(0);
    for (Witnessed w : witnessed) {
      last = w.size() > last.size() ? w : last;
    }
    boolean headWitnessed =
        witnessed.stream().anyMatch(w -> w.size() == size && w.root().equals(root));
    if (!headWitnessed && size < last.size()) {
      return failed(
          v,
          "the export's tree head (ledger of "
              + size
              + ") was never witnessed and is older than the witness's last head (ledger of "
              + last.size()
              + ")");
    }
    List<String> notChecked = new ArrayList<>(v.notChecked());
    if (size > last.size()) {
      String problem = extension(ledger, parsed, last, size, root);
      if (problem != null) {
        return failed(v, problem);
      }
      if (parsed.claims().slice() && !ledger.path("consistency").has("proof")) {
        notChecked.add(
            "that the export's tree head extends the witnessed checkpoint (ledger of "
                + last.size()
                + ") beyond the server's signatures: the export carries no consistency proof"
                + " from it");
      }
    }
    checked.add(
        "the witness log ("
            + witnessed.size()
            + " head(s)): no split view, and the export's tree head "
            + (headWitnessed
                ? "is witnessed"
                : "extends the witness's last head (ledger of " + last.size() + ")"));
    return new AuditLedger.Verification(
        true, v.records(), null, null, v.root(), v.partial(), checked, notChecked);
  }

  /**
   * Why the export does not extend the witness's last head, or null when it does: an RFC 9162
   * consistency proof it carries from that size ({@code ledger.consistency}), or a whole-ledger
   * export's own first records, or for a slice the witnessed checkpoint it carries.
   */
  private static String extension(
      JsonNode ledger, AuditExport.Parsed parsed, Witnessed last, long size, String root) {
    JsonNode proof = ledger.path("consistency");
    if (proof.path("first").asLong(-1) == last.size() && proof.path("second").asLong(-1) == size) {
      List<String> path = new ArrayList<>();
      proof.path("proof").forEach(p -> path.add(p.asText()));
      return org.plumbline.ontology.ledger.MerkleProofs.verifyConsistency(
              last.size(), size, last.root(), root, path)
          ? null
          : "the consistency proof does not lead from the witnessed root (ledger of "
              + last.size()
              + ") to the export's: the ledger's history was rewritten";
    }
    if (!parsed.claims().slice() && parsed.records().size() >= last.size()) {
      List<AuditRecord> prefix = parsed.records().subList(0, (int) last.size());
      return AuditLedger.root(prefix).equals(last.root())
          ? null
          : "the export's first "
              + last.size()
              + " records do not have the witnessed root: they were rewritten";
    }
    // A slice carries every checkpoint; the split-view check held each against the witness.
    boolean carried = parsed.checkpoints().stream().anyMatch(c -> c.size() == last.size());
    return carried
        ? null
        : "the export carries no checkpoint of the witness's last head (ledger of "
            + last.size()
            + ") to show it extends it";
  }

  private static AuditLedger.Verification failed(AuditLedger.Verification v, String reason) {
    return new AuditLedger.Verification(
        false, v.records(), null, reason, null, v.partial(), v.checked(), v.notChecked());
  }
}
