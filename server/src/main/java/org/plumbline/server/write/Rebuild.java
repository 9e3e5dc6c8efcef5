package org.plumbline.server.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.plumbline.governance.Command;
import org.plumbline.governance.Governor;
import org.plumbline.governance.InputJournal;
import org.plumbline.governance.SettableClock;
import org.plumbline.graphql.GraphQLApi;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.loaders.Secrets;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreError;
import org.plumbline.rules.RulePack;
import org.plumbline.server.auth.HmacKey;
import org.plumbline.server.config.ServerConfig;

/**
 * Rebuilds a store from another store's input journal: every accepted input is applied again, in
 * the journal's order, on a clock that reads each entry's instant. Identities (drift, disposition
 * and snapshot ids) come out the same; instants are the journal's, within milliseconds of the
 * originals; the rebuilt ledger is a new ledger that ends with a {@code store.rebuilt} record.
 */
public final class Rebuild {
  private Rebuild() {}

  public record Outcome(int applied, int refused, long auditRecords) {}

  public static Outcome run(Path from, Path to, RulePack pack, Consumer<String> progress) {
    Path journalDir = from.resolve("journal");
    List<InputJournal.Entry> entries;
    try {
      entries = InputJournal.read(journalDir);
      if (Files.exists(to)) {
        try (Stream<Path> s = Files.list(to)) {
          if (s.findAny().isPresent()) {
            throw new PlumblineException(
                StoreError.STORE_UNAVAILABLE,
                "rebuild needs an empty target folder; " + to + " is not empty");
          }
        }
      }
      copy(journalDir, to.resolve("journal"));
      // The source's key: secrets still in an old journal get the markers the source stored.
      // The source's ledger signing key: the rebuilt ledger is signed as the source's was.
      Path signingKey = from.resolve(org.plumbline.server.export.LedgerSigner.KEY_FILE);
      if (Files.exists(signingKey)) {
        Files.createDirectories(to);
        Files.copy(
            signingKey,
            to.resolve(org.plumbline.server.export.LedgerSigner.KEY_FILE),
            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
      Path sourceKey = from.resolve(ServerConfig.HMAC_KEY_FILE);
      if (Files.exists(sourceKey)) {
        Files.copy(
            sourceKey,
            to.resolve(ServerConfig.HMAC_KEY_FILE),
            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the journal in " + journalDir, e);
    }
    SettableClock clock = new SettableClock(Instant.EPOCH);
    int applied = 0;
    int refused = 0;
    long lastReport = System.nanoTime();
    try (GraphStore store = GraphStore.openTdb2(to)) {
      Secrets secrets = HmacKey.ofData(to);
      WritePath writes =
          new WritePath(
              store,
              new AtomicReference<>(pack),
              clock,
              null,
              ParseLimits.DEFAULT,
              secrets,
              GraphQLApi.Limits.REPLAY,
              org.plumbline.graphql.SignerVerifier.NOT_REQUIRED);
      for (int i = 0; i < entries.size(); i++) {
        InputJournal.Entry e = entries.get(i);
        clock.set(e.at());
        try {
          Object result = writes.replay(e, InputJournal.body(journalDir, e));
          if (result instanceof java.util.Map<?, ?> m && m.containsKey("errors")) {
            refused++; // a mutation the policy refused then, and refuses again
          } else {
            applied++;
          }
        } catch (PlumblineException ex) {
          refused++; // refused originally too (or never acknowledged): same outcome again
        } catch (IOException ex) {
          throw new UncheckedIOException(
              "journal object of entry " + e.seq() + " is unreadable", ex);
        }
        if (System.nanoTime() - lastReport > 5_000_000_000L) {
          progress.accept((i + 1) + " of " + entries.size() + " inputs replayed");
          lastReport = System.nanoTime();
        }
      }
      long records =
          writes
              .governor()
              .execute(
                  new Command.RecordAudit(
                      List.of(
                          new Command.AuditEntry(
                              Instant.now(),
                              "plumbline",
                              "store.rebuilt",
                              null,
                              from.toAbsolutePath().toString(),
                              "{\"applied\":" + applied + ",\"refused\":" + refused + "}")),
                      Governor.system("plumbline")));
      return new Outcome(applied, refused, records);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    if (!Files.exists(from)) {
      throw new IOException("no journal at " + from);
    }
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
