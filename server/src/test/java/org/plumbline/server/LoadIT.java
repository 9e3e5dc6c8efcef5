package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.server.config.ServerConfig;
import org.slf4j.LoggerFactory;

/**
 * Issue 9 point 5, on loopback only, bounded in time: dashboard queries and snapshot ingest
 * together, then an overload. {@code -Dplumbline.load.seconds=60} runs the steady phase longer
 * (default 10 s, to keep CI short).
 */
class LoadIT {
  static final long SECONDS = Long.getLong("plumbline.load.seconds", 10);

  static final List<String> DASHBOARD =
      List.of(
          "{ environments { id tier status bundleVersion } }",
          "{ drifts(environment: \"credit-model-prod\") { id key expected actual assessment {"
              + " severity findings blastRadius } } }",
          "{ changes(environment: \"credit-model-prod\", lastDays: 90) { key from to at } }",
          "{ conformance(environment: \"credit-model-prod\") { matchesBlueprint differences {"
              + " key } } }",
          "{ auditTrail(environment: \"credit-model-prod\") { seq action at } }");

  @Test
  void dashboardsAndIngestTogetherWithoutErrorsBlockingOrUnboundedMemory(@TempDir Path data)
      throws Exception {
    ListAppender<ILoggingEvent> blocked = watchBlockedThreads();
    try (SecurityWorld world = new SecurityWorld(data, c -> c.withRateLimits(unlimited()))) {
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      AtomicLong slowest = new AtomicLong();
      AtomicInteger ingested = new AtomicInteger();
      long heapBefore = usedHeapAfterGc();
      long end = System.nanoTime() + SECONDS * 1_000_000_000L;
      ExecutorService clients = Executors.newFixedThreadPool(5);
      try {
        List<Future<?>> running = new java.util.ArrayList<>();
        for (int c = 0; c < 4; c++) {
          int client = c;
          running.add(
              clients.submit(
                  () -> {
                    int i = client;
                    while (System.nanoTime() < end) {
                      String q = DASHBOARD.get(i++ % DASHBOARD.size());
                      count(statuses, slowest, () -> postQuery(world, q));
                    }
                    return null;
                  }));
        }
        running.add(
            clients.submit(
                () -> {
                  Instant at = Instant.parse("2026-11-06T00:00:00Z");
                  int n = 0;
                  while (System.nanoTime() < end) {
                    String body =
                        EndToEndTest.snapshot(
                            "credit-model-prod",
                            at.plusSeconds(60L * n).toString(),
                            EndToEndTest.config(n % 2 == 0 ? 0.7 : 0.75, "gpt-4o", 0.8));
                    n++;
                    count(
                        statuses,
                        slowest,
                        () ->
                            world.send(
                                "POST", "/api/v1/snapshots", "loader", "application/json", body));
                    ingested.incrementAndGet();
                  }
                  return null;
                }));
        for (Future<?> f : running) {
          f.get();
        }
      } finally {
        clients.shutdownNow();
      }
      long heapAfter = usedHeapAfterGc();
      int total = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
      System.out.printf(
          "load: %d s, %d requests (%d ingests), statuses %s, slowest %d ms, heap %d -> %d MB%n",
          SECONDS,
          total,
          ingested.get(),
          statuses,
          slowest.get(),
          heapBefore >> 20,
          heapAfter >> 20);
      assertTrue(
          statuses.keySet().stream().allMatch(s -> s == 200 || s == 201),
          "errors under load: " + statuses);
      assertTrue(total > 50, "too few requests: " + total);
      assertTrue(
          heapAfter - heapBefore < 256L << 20,
          "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MB");
      assertEquals(200, world.send("GET", "/health", null, null, null).statusCode());
      assertEquals(
          true,
          SecurityWorld.JSON
              .readTree(world.send("GET", "/api/v1/audit/verify", "auditor", null, null).body())
              .get("valid")
              .asBoolean());
    } finally {
      stopWatching(blocked);
    }
    assertTrue(
        blocked.list.isEmpty(),
        "blocked-thread warnings: "
            + blocked.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
  }

  @Test
  void overloadIsAnswered503Or429NeverATimeout(@TempDir Path data) throws Exception {
    try (SecurityWorld world =
        new SecurityWorld(data, c -> c.withRateLimits(unlimited()).withMaxQueuedRequests(2))) {
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      AtomicLong slowest = new AtomicLong();
      AtomicInteger retryAfter = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(24);
      try {
        List<Future<?>> running = new java.util.ArrayList<>();
        for (int c = 0; c < 24; c++) {
          running.add(
              clients.submit(
                  () -> {
                    for (int i = 0; i < 10; i++) {
                      count(
                          statuses,
                          slowest,
                          () -> {
                            HttpResponse<String> r =
                                postQuery(world, "{ verifyAudit { valid records } }");
                            if (r.statusCode() == 503
                                && r.headers().firstValue("Retry-After").isPresent()
                                && r.body().contains("OVERLOADED")) {
                              retryAfter.incrementAndGet();
                            }
                            return r;
                          });
                    }
                    return null;
                  }));
        }
        for (Future<?> f : running) {
          f.get();
        }
      } finally {
        clients.shutdownNow();
      }
      System.out.printf("overload: statuses %s, slowest %d ms%n", statuses, slowest.get());
      assertTrue(
          statuses.keySet().stream().allMatch(s -> s == 200 || s == 503),
          "unexpected answers: " + statuses);
      assertTrue(statuses.containsKey(503), "no overload was signalled: " + statuses);
      assertEquals(statuses.get(503).get(), retryAfter.get(), "503 without Retry-After or code");
      assertEquals(200, world.send("GET", "/health", null, null, null).statusCode());
    }
  }

  interface Call {
    HttpResponse<String> send() throws Exception;
  }

  /** Counts the answer's status; a timeout or refused connection fails the test. */
  static void count(Map<Integer, AtomicInteger> statuses, AtomicLong slowest, Call call)
      throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r = call.send();
    slowest.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
    statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
  }

  static HttpResponse<String> postQuery(SecurityWorld world, String q) throws Exception {
    return world.send(
        "POST",
        "/graphql",
        "auditor", // the dashboard reads the ledger too, which is the auditor's
        "application/json",
        SecurityWorld.JSON.writeValueAsString(Map.of("query", q)));
  }

  static ServerConfig.RateLimits unlimited() {
    return new ServerConfig.RateLimits(
        false, ServerConfig.RateLimits.DEFAULT.defaultLimit(), Map.of());
  }

  static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Captures Vert.x's blocked-thread warnings (event loop and workers) during the run. */
  static ListAppender<ILoggingEvent> watchBlockedThreads() {
    Logger logger = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    return appender;
  }

  static void stopWatching(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker"))
        .detachAppender(appender);
  }
}
