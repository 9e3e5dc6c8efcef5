package org.plumbline.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.plumbline.governance.Command;
import org.plumbline.governance.Governor;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Hashing;
import org.plumbline.server.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to webhooks. The audit ledger is the outbox: every event is an audit record
 * written in the same transaction as the change it reports, and each webhook keeps a persisted
 * cursor into the ledger. Delivery is in order and at least once; a failed delivery is retried with
 * exponential backoff, and a restart resumes from the cursor, so no event is lost.
 */
public final class Webhooks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final GraphStore store;
  private final Governor governor;
  private final List<ServerConfig.Webhook> hooks;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledThreadPoolExecutor executor = newExecutor();

  private static ScheduledThreadPoolExecutor newExecutor() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "plumbline-webhooks");
              t.setDaemon(true);
              return t;
            });
    // On close, a retry waiting out its backoff is dropped rather than run against a closed store.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return executor;
  }

  private volatile boolean closing;
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> failing = new ConcurrentHashMap<>();

  /**
   * @param registry where deliveries are counted by outcome ({@code plumbline_webhook_deliveries})
   *     and each webhook's consecutive failures are shown, labelled by its cursor id (a hash of its
   *     URL: URLs may carry credentials)
   */
  public Webhooks(Governor governor, List<ServerConfig.Webhook> hooks, MeterRegistry registry) {
    this.governor = governor;
    this.store = governor.store();
    this.hooks = List.copyOf(hooks);
    this.registry = registry;
    if (!this.hooks.isEmpty()) {
      delivered("delivered", 0);
      delivered("failed", 0);
    }
    for (ServerConfig.Webhook hook : this.hooks) {
      AtomicInteger failures = new AtomicInteger();
      failing.put(hook.url(), failures);
      Gauge.builder("plumbline.webhook.consecutive.failures", failures, AtomicInteger::get)
          .description("Failed delivery attempts in a row, per webhook (0 once one succeeds).")
          .tag("webhook", cursorName(hook))
          .register(registry);
    }
  }

  private void delivered(String outcome, int n) {
    Counter.builder("plumbline.webhook.deliveries")
        .description("Webhook delivery attempts by outcome (delivered, failed).")
        .tag("outcome", outcome)
        .register(registry)
        .increment(n);
  }

  public void start(Duration pollEvery) {
    for (ServerConfig.Webhook hook : hooks) {
      String cursor = cursorName(hook);
      // A new subscription starts at the ledger's head instead of replaying all history.
      governor.execute(new Command.MoveCursor(cursor, null, Governor.SCHEDULER));
      executor.execute(() -> deliverLoop(hook, pollEvery, 0));
    }
  }

  private static String cursorName(ServerConfig.Webhook hook) {
    return "webhook:" + Hashing.sha256Hex(hook.url()).substring(0, 16);
  }

  /**
   * Delivers what is pending, then schedules itself again: soon when idle, later after failures.
   */
  private void deliverLoop(ServerConfig.Webhook hook, Duration pollEvery, int failures) {
    int failed = 0;
    Duration next = pollEvery;
    try {
      deliverPending(hook);
      failing.get(hook.url()).set(0);
    } catch (RuntimeException e) {
      failed = failures + 1;
      failing.get(hook.url()).set(failed);
      next = Duration.ofSeconds(1L << Math.min(failed - 1, 8));
      next = next.compareTo(MAX_BACKOFF) < 0 ? next : MAX_BACKOFF;
      LOG.warn("webhook {} failed ({}); retry {} in {}", hook.url(), e.getMessage(), failed, next);
    }
    int f = failed;
    try {
      executor.schedule(
          () -> deliverLoop(hook, pollEvery, f), next.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile: the cursor keeps the position for the next start
    }
  }

  void deliverPending(ServerConfig.Webhook hook) {
    if (closing) {
      return;
    }
    String cursor = cursorName(hook);
    long from = store.read(r -> r.cursor(cursor));
    long to = store.read(r -> r.auditCount());
    long passed = from;
    for (long seq = from + 1; seq <= to && !closing; seq++) {
      long s = seq;
      AuditRecord record = store.read(x -> x.auditRecord(s)).orElseThrow();
      if (hook.wants(record.action())) {
        post(hook, body(record));
        governor.execute(new Command.MoveCursor(cursor, s, Governor.SCHEDULER));
      }
      passed = s;
    }
    // Records this webhook does not want move the cursor once, not one write each.
    if (passed > store.read(r -> r.cursor(cursor))) {
      governor.execute(new Command.MoveCursor(cursor, passed, Governor.SCHEDULER));
    }
  }

  static String body(AuditRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("event", r.action());
    o.put("at", r.at().toString());
    o.put("environment", r.environment());
    o.put("id", r.subject());
    o.put("actor", r.actor());
    o.put("seq", r.seq());
    try {
      JsonNode detail = r.detail() == null ? null : JSON.readTree(r.detail());
      o.set("detail", detail);
    } catch (java.io.IOException e) {
      o.put("detail", r.detail());
    }
    return o.toString();
  }

  /** {@code sha256=<hex HMAC-SHA256 of the body>} with the webhook's secret. */
  public static String signature(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256="
          + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }

  private void post(ServerConfig.Webhook hook, String body) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(hook.url()))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (hook.secret() != null) {
      req.header("X-Plumbline-Signature", signature(hook.secret(), body));
    }
    try {
      HttpResponse<Void> resp = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
      if (resp.statusCode() / 100 != 2) {
        delivered("failed", 1);
        throw new IllegalStateException("HTTP " + resp.statusCode());
      }
      delivered("delivered", 1);
    } catch (java.io.IOException e) {
      delivered("failed", 1);
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Stops delivering and waits for the loops to end: one may be inside a store read, and the store
   * cannot close under an active transaction.
   */
  @Override
  public void close() {
    // No interrupt: one landing in TDB2's file I/O would close its channels under the store. Wait
    // for a delivery in progress instead (its HTTP timeout bounds the wait), so that the store is
    // closed only once no transaction of ours is active.
    closing = true;
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("a webhook delivery is still running at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
