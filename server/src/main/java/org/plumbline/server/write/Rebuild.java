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
 *
 * <p>Several servers on one shared store each journal their own inputs ({@link #merge}): their
 * journals are replayed together in the order the store committed them.
 */
public final class Rebuild {
  private Rebuild() {}

  public record Outcome(int applied, int refused, long auditRecords, int uncommitted) {
    public Outcome(int applied, int refused, long auditRecords) {
      this(applied, refused, auditRecords, 0);
    }
  }

  /** One journal entry to replay and the journal folder that holds its body. */
  record Replayed(InputJournal.Entry entry, Path journal) {}

  public static Outcome run(Path from, Path to, RulePack pack, Consumer<String> progress) {
    Path journalDir = from.resolve("journal");
    List<Replayed> entries = new java.util.ArrayList<>();
    try {
      for (InputJournal.Entry e : InputJournal.read(journalDir)) {
        entries.add(new Replayed(e, journalDir));
      }
      requireEmpty(to);
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
    return replay(entries, 0, to, pack, from.toAbsolutePath().toString(), progress);
  }

  /**
   * Replays the journals of several servers that stood on one shared store into the empty TDB2
   * folder {@code to}, in the order the store committed their commands: each journal entry is
   * marked, once committed, with the ledger's length after it ({@link InputJournal#commits}), and
   * the entries of all journals are applied by that length (entries of one server that left the
   * ledger as long keep their journal's order). An entry without a mark was never committed (the
   * store refused it, or its server died before answering it) and is left out. {@code hmacKey} is
   * the key the servers shared ({@code secrets.hmacKey}), so that secrets get the markers they have
   * in the store; null when the journals hold none.
   *
   * @param journals each a server's data folder or its {@code journal} folder
   * @throws PlumblineException {@link StoreError#STORE_UNAVAILABLE} when a journal predates the
   *     marks (replay it alone, with {@code --from}) or the target folder is not empty
   */
  public static Outcome merge(
      List<Path> journals, Path hmacKey, Path to, RulePack pack, Consumer<String> progress) {
    List<Marked> marked = new java.util.ArrayList<>();
    int uncommitted = 0;
    try {
      requireEmpty(to);
      for (int j = 0; j < journals.size(); j++) {
        Path dir = journalFolder(journals.get(j));
        java.util.Map<Long, Long> commits = InputJournal.commits(dir);
        List<InputJournal.Entry> entries = InputJournal.read(dir);
        if (commits.isEmpty() && !entries.isEmpty()) {
          throw new PlumblineException(
              StoreError.STORE_UNAVAILABLE,
              "the journal in "
                  + dir
                  + " has no commit marks (written by an older server): its order against other"
                  + " journals is unknown; rebuild it alone with --from");
        }
        for (InputJournal.Entry e : entries) {
          Long ledger = commits.get(e.seq());
          if (ledger == null) {
            uncommitted++;
          } else {
            marked.add(new Marked(ledger, j, new Replayed(e, dir)));
          }
        }
      }
      Files.createDirectories(to);
      if (hmacKey != null) {
        Files.copy(hmacKey, to.resolve(ServerConfig.HMAC_KEY_FILE));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the journals " + journals, e);
    }
    marked.sort(
        java.util.Comparator.comparingLong(Marked::ledger)
            .thenComparingInt(Marked::journal)
            .thenComparingLong(m -> m.replayed().entry().seq()));
    List<Replayed> ordered = marked.stream().map(Marked::replayed).toList();
    String from = journals.stream().map(p -> p.toAbsolutePath().toString()).toList().toString();
    return replay(ordered, uncommitted, to, pack, from, progress);
  }

  private record Marked(long ledger, int journal, Replayed replayed) {}

  private static Path journalFolder(Path given) {
    return Files.exists(given.resolve("index.jsonl")) ? given : given.resolve("journal");
  }

  private static void requireEmpty(Path to) throws IOException {
    if (Files.exists(to)) {
      try (Stream<Path> s = Files.list(to)) {
        if (s.findAny().isPresent()) {
          throw new PlumblineException(
              StoreError.STORE_UNAVAILABLE,
              "rebuild needs an empty target folder; " + to + " is not empty");
        }
      }
    }
  }

  private static Outcome replay(
      List<Replayed> entries,
      int uncommitted,
      Path to,
      RulePack pack,
      String from,
      Consumer<String> progress) {
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
        InputJournal.Entry e = entries.get(i).entry();
        clock.set(e.at());
        try {
          Object result = writes.replay(e, InputJournal.body(entries.get(i).journal(), e));
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
                              from,
                              "{\"applied\":" + applied + ",\"refused\":" + refused + "}")),
                      Governor.system("plumbline")));
      return new Outcome(applied, refused, records, uncommitted);
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
