package org.plumbline.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.server.export.AuditExport;
import org.plumbline.server.export.ProofCheck;

/**
 * {@code audit verify --file NEW --extends EARLIER}: whether the ledger NEW was exported from only
 * grew since EARLIER, a signed tree head an auditor kept ({@code plumbline audit head}) or an
 * earlier export (its tree head is taken, and it must verify itself). The proof is the RFC 9162
 * consistency proof NEW carries ({@code sinceSize}), or, for a whole-ledger export, its own first
 * records.
 */
final class ExtendsCheck {
  /** The verification with the extension's outcome folded in, and whether it extends. */
  record Outcome(AuditLedger.Verification verification, boolean extension) {}

  private ExtendsCheck() {}

  static Outcome check(
      Path file,
      AuditExport.Parsed export,
      AuditLedger.Verification v,
      Path earlierFile,
      PublicKey key) {
    List<String> proved = new ArrayList<>();
    String problem;
    try {
      byte[] newBytes = Files.readAllBytes(file);
      byte[] earlierBytes = Files.readAllBytes(earlierFile);
      problem = problem(newBytes, export, earlierBytes, key, proved);
    } catch (IOException | RuntimeException e) {
      throw new Main.UsageException(
          "cannot read "
              + earlierFile
              + " (an audit export or a signed tree head): "
              + e.getMessage());
    }
    if (problem == null) {
      List<String> checked = new ArrayList<>(v.checked());
      checked.addAll(proved);
      return new Outcome(
          new AuditLedger.Verification(
              v.valid(),
              v.records(),
              v.firstBrokenSeq(),
              v.reason(),
              v.root(),
              v.partial(),
              checked,
              v.notChecked()),
          true);
    }
    if (!v.valid()) {
      return new Outcome(v, false);
    }
    return new Outcome(
        new AuditLedger.Verification(
            false,
            v.records(),
            null,
            "does not extend " + earlierFile.getFileName() + ": " + problem,
            null,
            v.partial(),
            v.checked(),
            v.notChecked()),
        false);
  }

  private static String problem(
      byte[] newBytes,
      AuditExport.Parsed export,
      byte[] earlierBytes,
      PublicKey key,
      List<String> proved)
      throws IOException {
    List<String> problems = new ArrayList<>();
    AuditExport.Parsed earlier = null;
    if (new ObjectMapper().readTree(earlierBytes).has("records")) {
      earlier = AuditExport.parse(earlierBytes);
      AuditLedger.Verification old =
          AuditLedger.verifyScopedExport(
              earlier.records(), earlier.checkpoints(), earlier.claims());
      if (!old.valid()) {
        return "the earlier export does not verify itself: " + old.reason();
      }
      String differs = AuditLedger.notExtending(export.records(), earlier.records());
      if (differs != null) {
        return differs;
      }
    }
    ProofCheck.KeptHead head =
        ProofCheck.keptHead(
            earlierBytes,
            earlier,
            key == null ? null : ProofCheck.headKeys(newBytes, key),
            problems);
    if (head == null) {
      return problems.get(0);
    }
    return ProofCheck.extension(newBytes, export, head, proved);
  }
}
