package org.plumbline.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.server.RulePacks;
import org.plumbline.server.cli.Main.Options;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.export.SigningKeyRotation;
import org.plumbline.server.write.Rebuild;

/** {@code plumbline backup}, {@code restore} and {@code rebuild}: the store's copies. */
final class StoreCommands {
  private final Main main;
  private final PrintStream out;
  private final PrintStream err;

  StoreCommands(Main main, PrintStream out, PrintStream err) {
    this.main = main;
    this.out = out;
    this.err = err;
  }

  int backup(Options o) {
    o.allow("server", "token", "token-file", "data", "out");
    if (o.flag("server") != null) {
      String token = main.token(o);
      if (token == null) {
        throw new Main.UsageException("--server needs --token-file F (or PLUMBLINE_TOKEN)");
      }
      try {
        HttpResponse<String> r =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                o.flag("server").replaceAll("/$", "") + "/api/v1/admin/backup"))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        (r.statusCode() == 200 ? out : err).println(r.body());
        return r.statusCode() == 200 ? 0 : 1;
      } catch (IOException e) {
        err.println("plumbline: cannot reach " + o.flag("server") + ": " + e.getMessage());
        return 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }
    if (o.flag("data") == null || o.flag("out") == null) {
      throw new Main.UsageException(
          "backup needs --server URL --token-file F, or --data DIR --out FILE (server stopped)");
    }
    try (GraphStore store = GraphStore.openTdb2(Path.of(o.flag("data")));
        var stream = Files.newOutputStream(Path.of(o.flag("out")))) {
      long triples = store.backup(stream);
      out.println(
          "wrote "
              + o.flag("out")
              + ": "
              + triples
              + " triples, "
              + store.read(r -> r.auditCount())
              + " audit records");
      return 0;
    } catch (IOException e) {
      throw new Main.UsageException("cannot write " + o.flag("out") + ": " + e.getMessage());
    }
  }

  int restore(Options o) {
    o.allow("from", "data", "signing-key");
    if (o.flag("from") == null || o.flag("data") == null) {
      throw new Main.UsageException(
          "restore needs --from BACKUP.nq.gz --data NEW_DIR [--signing-key audit-signing.pem]");
    }
    long triples;
    try (var in = Files.newInputStream(Path.of(o.flag("from")))) {
      triples = GraphStore.restore(in, Path.of(o.flag("data")));
    } catch (IOException e) {
      throw new Main.UsageException("cannot read " + o.flag("from") + ": " + e.getMessage());
    }
    try (GraphStore store = GraphStore.openTdb2(Path.of(o.flag("data")))) {
      AuditLedger.Verification v = store.read(AuditLedger::verify);
      // The backup holds the store, not the signing key (a secret, kept apart like hmac.key).
      String key =
          o.flag("signing-key") == null
              ? "; no --signing-key: a server on this folder signs with a new key that no key"
                  + " rotation vouches for"
              : "; signing key "
                  + store
                      .read(
                          r ->
                              SigningKeyRotation.install(
                                  Path.of(o.flag("signing-key")), Path.of(o.flag("data")), r))
                      .fingerprint()
                  + " installed";
      out.println(
          "restored "
              + triples
              + " triples into "
              + o.flag("data")
              + "; ledger "
              + (v.valid()
                  ? "verifies: " + v.records() + " records, root " + v.root()
                  : "does NOT verify: " + v.reason())
              + key);
      return v.valid() ? 0 : 1;
    }
  }

  int rebuild(Options o) {
    o.allow("from", "journal", "hmac-key", "data", "rules");
    boolean merged = !o.flags("journal").isEmpty();
    if (o.flag("data") == null || merged == (o.flag("from") != null)) {
      throw new Main.UsageException(
          "rebuild needs --from DATA_DIR --data NEW_DIR, or --journal DIR (once per server)"
              + " --data NEW_DIR");
    }
    if (!merged && o.flag("hmac-key") != null) {
      throw new Main.UsageException("--hmac-key goes with --journal (--from takes the folder's)");
    }
    var pack =
        RulePacks.load(
            o.flag("rules") == null ? ServerConfig.DEFAULT_RULES : Path.of(o.flag("rules")));
    Rebuild.Outcome r =
        merged
            ? Rebuild.merge(
                o.flags("journal").stream().map(Path::of).toList(),
                o.flag("hmac-key") == null ? null : Path.of(o.flag("hmac-key")),
                Path.of(o.flag("data")),
                pack,
                line -> out.println("  " + line))
            : Rebuild.run(
                Path.of(o.flag("from")),
                Path.of(o.flag("data")),
                pack,
                line -> out.println("  " + line));
    out.println(
        "rebuilt "
            + o.flag("data")
            + ": "
            + r.applied()
            + " inputs applied, "
            + r.refused()
            + " refused (as they were originally), "
            + (merged ? r.uncommitted() + " never committed (left out), " : "")
            + r.auditRecords()
            + " audit records");
    return 0;
  }
}
