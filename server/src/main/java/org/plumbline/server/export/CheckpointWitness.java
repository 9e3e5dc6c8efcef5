package org.plumbline.server.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.plumbline.ontology.AuditCheckpoint;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.ontology.ledger.TreeHead;
import org.plumbline.server.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each signed checkpoint to a witness a third party keeps ({@code audit.witness}): one
 * JSON line appended to a file, or one JSON POST to a URL. It runs on its own thread: a write only
 * {@linkplain #poke pokes} it, so the write path never waits for the witness. A failed publication
 * is logged, counted ({@code plumbline_ledger_witness_total{outcome="failed"}}) and retried with
 * backoff (1 s doubling to 5 min); checkpoints are published in order, none skipped once the
 * witness has seen one. At start a file witness continues after the last size it holds; a URL
 * witness is sent the latest checkpoint first.
 */
public final class CheckpointWitness {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointWitness.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration LONGEST_BACKOFF = Duration.ofMinutes(5);

  private final ServerConfig.Witness target;
  private final GraphStore store;
  private final Supplier<LedgerSigner> signer;
  private final Consumer<Boolean> outcome;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean due = new AtomicBoolean();
  private final HttpClient http;
  private long published; // the largest size published (-1: none yet); the witness thread's only
  private Duration backoff = Duration.ZERO;
  private volatile boolean waiting; // a retry is scheduled: writes meanwhile do not retry sooner

  /**
   * @param outcome told true for each checkpoint published, false for each failed attempt
   */
  public CheckpointWitness(
      ServerConfig.Witness target,
      GraphStore store,
      Supplier<LedgerSigner> signer,
      Consumer<Boolean> outcome) {
    this.target = target;
    this.store = store;
    this.signer = signer;
    this.outcome = outcome;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "plumbline-witness");
              t.setDaemon(true);
              return t;
            });
    this.http =
        target.url() == null
            ? null
            : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.published = target.file() == null ? -1 : lastWitnessedSize(target.file());
    poke();
  }

  /** A write committed: publish any checkpoint it made, soon, on the witness thread. */
  public void poke() {
    if (due.compareAndSet(false, true)) {
      thread.execute(this::publishDue);
    }
  }

  /** Stops the witness thread (what is not published yet is published at the next start). */
  public void close() {
    thread.shutdownNow();
  }

  private void publishDue() {
    due.set(false);
    if (waiting) {
      return;
    }
    try {
      long size = store.read(StoreReader::auditCount);
      if (size / AuditLedger.CHECKPOINT_INTERVAL * AuditLedger.CHECKPOINT_INTERVAL <= published) {
        return;
      }
      List<AuditCheckpoint> all = store.read(StoreReader::auditCheckpoints);
      List<AuditCheckpoint> todo =
          published < 0 && !all.isEmpty()
              ? all.subList(all.size() - 1, all.size())
              : all.stream().filter(c -> c.size() > published).toList();
      for (AuditCheckpoint c : todo) {
        publish(signer.get().signed(new TreeHead(c.size(), c.root(), c.at())));
        published = c.size();
        outcome.accept(true);
      }
      backoff = Duration.ZERO;
    } catch (IOException | RuntimeException e) {
      outcome.accept(false);
      backoff =
          backoff.isZero()
              ? FIRST_BACKOFF
              : backoff.multipliedBy(2).compareTo(LONGEST_BACKOFF) > 0
                  ? LONGEST_BACKOFF
                  : backoff.multipliedBy(2);
      LOG.warn(
          "cannot publish the ledger's checkpoint to the witness {}: {}; retrying in {}",
          target.file() != null ? target.file() : target.url(),
          e.getMessage(),
          backoff);
      waiting = true;
      thread.schedule(
          () -> {
            waiting = false;
            publishDue();
          },
          backoff.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void publish(JsonObject head) throws IOException, InterruptedException {
    String line = head.encode();
    if (target.file() != null) {
      Path f = target.file();
      if (f.toAbsolutePath().getParent() != null) {
        Files.createDirectories(f.toAbsolutePath().getParent());
      }
      try (FileChannel ch =
          FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        ch.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      return;
    }
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(target.url())
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(line))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("the witness answered " + r.statusCode());
    }
  }

  /** The size of the last head in a witness log, or -1 when it holds none. */
  static long lastWitnessedSize(Path file) {
    if (!Files.exists(file)) {
      return -1;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          JsonNode n = JSON.readTree(lines.get(i));
          return n.path("size").asLong(-1);
        }
      }
      return -1;
    } catch (IOException e) {
      LOG.warn("cannot read the witness log {}: {}", file, e.getMessage());
      return -1;
    }
  }
}
