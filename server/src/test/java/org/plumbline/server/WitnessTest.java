package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.Command;
import org.plumbline.governance.Governor;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.cli.Main;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.export.AuditExport;
import org.plumbline.server.export.CheckpointWitness;
import org.plumbline.server.export.LedgerSigner;

/**
 * The witness (issue 17): each signed checkpoint is published, one JSON line to a file or one POST
 * to a URL, off the write path, retried with backoff and counted; {@code audit verify --witness}
 * holds an export against the log: a split view (a witnessed head of the same size with another
 * root) and an unwitnessed head older than the witness's last fail; a head that is witnessed or
 * extends the last witnessed head passes.
 */
class WitnessTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Main main =
      new Main(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

  static void append(Governor g, int from, int n) {
    List<Command.AuditEntry> entries = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      entries.add(
          new Command.AuditEntry(T0.plus(Duration.ofMinutes(i)), "u", "note", null, "s" + i, null));
    }
    g.execute(new Command.RecordAudit(entries, Governor.system("test")));
  }

  static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what);
      }
      Thread.sleep(20);
    }
  }

  static long lines(Path f) {
    try {
      return Files.exists(f) ? Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count() : 0;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aFileWitnessKeepsEveryCheckpointAndVerifyHoldsAnExportAgainstIt(@TempDir Path dir)
      throws Exception {
    Path log = dir.resolve("witness").resolve("plumbline.log");
    LedgerSigner signer = LedgerSigner.read(dir.resolve("key.pem"), true);
    AtomicInteger published = new AtomicInteger();
    try (GraphStore store = GraphStore.openTdb2(dir.resolve("data"))) {
      Governor g = new Governor(store, () -> null, java.time.Clock.systemUTC());
      CheckpointWitness witness =
          new CheckpointWitness(
              new ServerConfig.Witness(log, null),
              store,
              () -> signer,
              ok -> {
                if (ok) published.incrementAndGet();
              });
      g.listen((c, r) -> witness.poke());
      append(g, 0, 150); // checkpoint 100: the first the witness sees
      await(() -> lines(log) == 1, "checkpoint 100 witnessed");
      append(g, 150, 120); // checkpoint 200
      await(() -> lines(log) == 2, "checkpoint 200 witnessed");
      await(() -> published.get() == 2, "both publications counted");
      witness.close();
      var first = JSON.readTree(Files.readAllLines(log).get(0));
      assertEquals(100, first.get("size").asLong());
      assertEquals(signer.fingerprint(), first.get("keyFingerprint").asText());

      // A restarted witness continues after the last size in its file: nothing twice.
      append(g, 270, 40); // checkpoint 300, while no witness runs
      CheckpointWitness again =
          new CheckpointWitness(new ServerConfig.Witness(log, null), store, () -> signer, ok -> {});
      await(() -> lines(log) == 3, "checkpoint 300 witnessed after a restart");
      again.close();
      assertEquals(300, JSON.readTree(Files.readAllLines(log).get(2)).get("size").asLong());

      Path whole = dir.resolve("ledger.json");
      Files.writeString(
          whole, store.read(r -> AuditExport.json(r, scope(), Instant.now(), signer)));
      assertEquals(0, verify(whole, log), said());
      assertTrue(said().contains("extends the witness's last head (ledger of 300)"), said());

      // Split view: the witness was shown another root for the ledger of 200.
      List<String> kept = Files.readAllLines(log);
      ObjectNode other = (ObjectNode) JSON.readTree(kept.get(1));
      other.put("root", "00".repeat(32));
      Path forked = dir.resolve("forked.log");
      Files.write(forked, List.of(kept.get(0), other.toString(), kept.get(2)));
      assertEquals(1, verify(whole, forked));
      assertTrue(said().contains("split view: the witness holds the ledger of 200"), said());

      // An export older than the witness's last head and never witnessed.
      ObjectNode later = (ObjectNode) JSON.readTree(kept.get(2));
      later.put("size", 400);
      Path ahead = dir.resolve("ahead.log");
      Files.write(ahead, List.of(kept.get(0), later.toString()));
      assertEquals(1, verify(whole, ahead));
      assertTrue(said().contains("never witnessed and is older"), said());

      // A whole-ledger export whose history differs from what the witness saw at 300 (same size
      // checkpoints dropped from the export, the first records rewritten with a valid chain).
      ObjectNode moved = (ObjectNode) JSON.readTree(kept.get(2));
      moved.put("size", 299).put("root", "11".repeat(32));
      Path diverged = dir.resolve("diverged.log");
      Files.write(diverged, List.of(moved.toString()));
      assertEquals(1, verify(whole, diverged));
      assertTrue(said().contains("do not have the witnessed root"), said());
    }
  }

  @Test
  void aUrlWitnessIsRetriedWithBackoffAndNeverHoldsUpAWrite(@TempDir Path dir) throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    AtomicInteger refusals = new AtomicInteger(2);
    CountDownLatch release = new CountDownLatch(1);
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/witness",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          arrivals.add(System.nanoTime());
          try {
            release.await(30, TimeUnit.SECONDS); // a slow witness
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          int status = refusals.getAndDecrement() > 0 ? 503 : 204;
          if (status == 204) {
            received.add(body);
          }
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    server.start();
    AtomicInteger failures = new AtomicInteger();
    LedgerSigner signer = LedgerSigner.read(dir.resolve("key.pem"), true);
    try (GraphStore store = GraphStore.openTdb2(dir.resolve("data"))) {
      Governor g = new Governor(store, () -> null, java.time.Clock.systemUTC());
      CheckpointWitness witness =
          new CheckpointWitness(
              new ServerConfig.Witness(
                  null,
                  URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/witness")),
              store,
              () -> signer,
              ok -> {
                if (!ok) failures.incrementAndGet();
              });
      g.listen((c, r) -> witness.poke());
      long start = System.nanoTime();
      append(g, 0, 110); // checkpoint 100, while the witness hangs
      append(g, 110, 10);
      long took = System.nanoTime() - start;
      assertTrue(took < TimeUnit.SECONDS.toNanos(5), "the writes waited for the witness");
      release.countDown();
      await(() -> received.size() == 1, "checkpoint 100 delivered after two refusals");
      witness.close();
      assertEquals(2, failures.get(), "each refused attempt counted");
      assertEquals(3, arrivals.size(), "writes meanwhile did not bring retries forward");
      assertTrue(
          arrivals.get(2) - arrivals.get(1) >= TimeUnit.MILLISECONDS.toNanos(1900),
          "the second retry waited the doubled backoff");
      var head = JSON.readTree(received.get(0));
      assertEquals(100, head.get("size").asLong());
      assertTrue(head.hasNonNull("signature"));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theServersAuditEndpointsPublishToTheConfiguredWitness(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("witness.log");
    ServerConfig config =
        ServerConfig.defaults()
            .withData(dir.resolve("data"))
            .withAuditWitness(new ServerConfig.Witness(log, null));
    try (GraphStore store = GraphStore.openTdb2(config.data())) {
      Governor g = new Governor(store, () -> null, java.time.Clock.systemUTC());
      var meters =
          new org.plumbline.server.telemetry.GovernanceMeters(
              new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
              store,
              java.time.Clock.systemUTC(),
              System::nanoTime,
              dir.resolve("journal"));
      var audit =
          org.plumbline.server.http.resources.AuditResource.of(
              g, () -> null, new org.plumbline.server.telemetry.LedgerWatch(store, meters), config);
      append(g, 0, 100);
      await(() -> lines(log) == 1, "checkpoint 100 witnessed through the server's wiring");
      assertEquals(
          audit.signer().fingerprint(),
          JSON.readTree(Files.readAllLines(log).get(0)).get("keyFingerprint").asText());
      assertTrue(witnessThreads() > 0, "the witness publishes on its own thread");
      audit.close(); // as the server's close() does
      await(() -> witnessThreads() == 0, "the witness's thread ended with the server");
    }
  }

  private static long witnessThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals("plumbline-witness"))
        .count();
  }

  @Test
  void aWitnessIsAFileOrAUrlAndNothingElse(@TempDir Path dir) throws Exception {
    Path ok = dir.resolve("ok.yaml");
    Files.writeString(ok, "audit:\n  witness: { file: witness/plumbline.log }\n");
    assertEquals(dir.resolve("witness/plumbline.log"), ServerConfig.load(ok).auditWitness().file());
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "audit:\n  witness: { file: a.log, url: 'ftp://x', colour: 1 }\n");
    PlumblineException e = assertThrows(PlumblineException.class, () -> ServerConfig.load(bad));
    assertEquals(ServerError.INVALID_CONFIG, e.code());
    String details = String.join("\n", e.details());
    assertTrue(details.contains("/audit/witness/colour"), details);
    assertTrue(details.contains("/audit/witness: give exactly one of file and url"), details);
    Path url = dir.resolve("url.yaml");
    Files.writeString(url, "audit:\n  witness: { url: 'ftp://witness.example' }\n");
    PlumblineException u = assertThrows(PlumblineException.class, () -> ServerConfig.load(url));
    assertTrue(
        String.join("\n", u.details()).contains("/audit/witness/url: must be an http or https"),
        u.details().toString());
  }

  private static AuditExport.Scope scope() {
    return new AuditExport.Scope(null, null, null);
  }

  private int verify(Path export, Path log) {
    out.reset();
    return main.run(
        new String[] {"audit", "verify", "--file", export.toString(), "--witness", log.toString()});
  }

  private String said() {
    return out.toString(StandardCharsets.UTF_8);
  }
}
