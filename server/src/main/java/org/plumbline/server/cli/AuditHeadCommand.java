package org.plumbline.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.plumbline.ontology.GraphStore;
import org.plumbline.server.cli.Main.Options;
import org.plumbline.server.export.LedgerProofs;
import org.plumbline.server.export.LedgerSigner;

/**
 * {@code plumbline audit head (--server URL | --data DIR) [--out F]}: the ledger's signed tree head
 * (size, root, time, key fingerprint, signature), the one thing an auditor keeps between two
 * exports; a later export made with {@code --since-head F} carries the RFC 9162 consistency proof
 * from it, and {@code audit verify --file NEW --extends F} checks that proof.
 */
final class AuditHeadCommand {
  private final AuditCommand audit;
  private final PrintStream out;

  AuditHeadCommand(AuditCommand audit, PrintStream out) {
    this.audit = audit;
    this.out = out;
  }

  int run(Options o) {
    o.allow("server", "data", "out", "token", "token-file");
    byte[] head;
    if (o.flag("server") != null) {
      if (o.flag("data") != null) {
        throw new Main.UsageException("give --server or --data, not both");
      }
      head = audit.get(o, o.flag("server").replaceAll("/$", "") + "/api/v1/audit/head");
    } else {
      LedgerSigner signer = LedgerSigner.ofDataIfPresent(AuditCommand.dataFolder(o));
      try (GraphStore store =
          AuditCommand.openOffline(
              o, "ask the server: plumbline audit head --server URL --token-file F")) {
        head =
            store
                .read(r -> LedgerProofs.head(r, Clock.systemUTC().instant(), signer))
                .encodePrettily()
                .getBytes(StandardCharsets.UTF_8);
      }
    }
    if (o.flag("out") == null) {
      out.write(head, 0, head.length);
      out.println();
      out.flush();
      return 0;
    }
    try {
      Files.write(Path.of(o.flag("out")), head);
    } catch (IOException e) {
      throw new Main.UsageException("cannot write " + o.flag("out") + ": " + e.getMessage());
    }
    out.println("wrote " + o.flag("out"));
    return 0;
  }

  /**
   * The ledger size an export's consistency proof starts from: {@code --since-size M}, or the size
   * of the tree head in {@code --since-head F}; null when neither is given.
   */
  static Long sinceSize(Options o) {
    if (o.flag("since-size") != null && o.flag("since-head") != null) {
      throw new Main.UsageException("give --since-size or --since-head, not both");
    }
    if (o.flag("since-size") != null) {
      try {
        return Long.parseLong(o.flag("since-size"));
      } catch (NumberFormatException e) {
        throw new Main.UsageException("--since-size must be a ledger size (a whole number)");
      }
    }
    if (o.flag("since-head") == null) {
      return null;
    }
    Path file = Path.of(o.flag("since-head"));
    try {
      JsonNode head = new ObjectMapper().readTree(Files.readAllBytes(file));
      JsonNode size = head.has("records") ? head.at("/ledger/ledgerSize") : head.path("size");
      if (!size.canConvertToLong()) {
        throw new IOException("no ledger size in it");
      }
      return size.asLong();
    } catch (IOException | RuntimeException e) {
      throw new Main.UsageException(
          "cannot read the tree head " + file + " (from plumbline audit head): " + e.getMessage());
    }
  }
}
