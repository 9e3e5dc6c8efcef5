package org.plumbline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.plumbline.server.PlumblineServer;
import org.plumbline.server.config.ServerConfig;

/**
 * W1: snapshots of many keys posted over HTTP by concurrent loaders, durable before each answer,
 * against a floor that only parses and diffs the same bodies in memory.
 */
final class IngestThroughput {
  private final BenchOptions options;
  private final PrintStream log;
  private final WorldGenerator world;
  private final ObjectNode result;
  private final Clock clock;
  private final BenchHttp web;

  IngestThroughput(
      BenchOptions options,
      PrintStream log,
      WorldGenerator world,
      ObjectNode result,
      Clock clock,
      BenchHttp web) {
    this.options = options;
    this.log = log;
    this.world = world;
    this.result = result;
    this.clock = clock;
    this.web = web;
  }

  void run(Path folder) throws InterruptedException {
    int keys = options.ingestKeys();
    int loaders = options.loaders();
    int envs = loaders * 2;
    int perEnv = Math.max(1, options.ingestSnapshots() / envs);
    log.printf(
        "W1  ingest: %,d snapshots of %,d keys through HTTP, %d loaders ...%n",
        perEnv * envs, keys, loaders);
    // Bodies are made before the clock starts: the loaders only post.
    byte[][][] bodies = new byte[envs][perEnv + 1][];
    for (int e = 0; e < envs; e++) {
      for (int n = 0; n <= perEnv; n++) {
        bodies[e][n] = world.ingestSnapshotJson(e, n, keys);
      }
    }
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withRules(options.rules())
            .withTokens(
                List.of(new ServerConfig.Token(BenchHttp.LOADER, "bench-loader", Set.of("loader"))))
            .withRateLimits(Benchmark.UNLIMITED);
    BenchServers servers = BenchServers.start(options, folder, config, clock);
    PlumblineServer server = servers.get(0);
    double seconds;
    Latencies posts;
    // Compactions pause the one writer (TDB2 compacts under its write lock): counted
    // over the timed posts, as they are much of what W1 waits for (issue 21).
    AtomicInteger compactions = new AtomicInteger();
    AtomicBoolean timing = new AtomicBoolean();
    server
        .store()
        .onCompacted(
            () -> {
              if (timing.get()) {
                compactions.incrementAndGet();
              }
            });
    try {
      web.post(server, "/api/v1/blueprints", world.ingestBlueprintJson(envs, keys));
      // Each environment's first snapshot has no predecessor to diff against: post it untimed.
      for (int e = 0; e < envs; e++) {
        web.post(server, "/api/v1/snapshots", bodies[e][0]);
      }
      ExecutorService pool = Executors.newFixedThreadPool(loaders);
      AtomicInteger failures = new AtomicInteger();
      timing.set(true);
      long start = System.nanoTime();
      List<Future<?>> running = new ArrayList<>();
      List<Latencies> perLoader = new ArrayList<>();
      for (int l = 0; l < loaders; l++) {
        int loader = l;
        Latencies timed = new Latencies(perEnv * envs);
        perLoader.add(timed);
        running.add(
            pool.submit(
                () -> {
                  for (int n = 1; n <= perEnv; n++) {
                    for (int e = loader; e < envs; e += loaders) {
                      // each loader posts through its own server, round robin
                      long sent = System.nanoTime();
                      int status = web.post(servers.get(loader), "/api/v1/snapshots", bodies[e][n]);
                      timed.record(System.nanoTime() - sent);
                      if (status != 201) {
                        failures.incrementAndGet();
                      }
                    }
                  }
                }));
      }
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("a loader failed: " + e.getCause(), e.getCause());
        }
      }
      seconds = (System.nanoTime() - start) / 1e9;
      timing.set(false);
      posts = Latencies.merged(perLoader);
      pool.shutdown();
      if (failures.get() > 0) {
        throw new IllegalStateException(failures.get() + " W1 snapshots were refused");
      }
    } finally {
      servers.close();
    }
    int posted = perEnv * envs;
    double perS = posted / seconds;
    double floorPairs = parseAndDiffFloor(bodies[0]);
    ObjectNode w1 = result.putObject("W1");
    w1.putObject("ours")
        .put("snapshots_per_s", Benchmark.round(perS))
        .put("keys_per_s", Benchmark.round(perS * keys))
        .put("loaders", loaders)
        .put("durable", true)
        .put("post_p50_ms", Benchmark.round(posts.percentileMs(50)))
        .put("post_p99_ms", Benchmark.round(posts.percentileMs(99)))
        .put("posts_timed", posts.count())
        .put("compactions", compactions.get())
        .put(
            "via",
            "POST /api/v1/snapshots, "
                + BenchServers.describe(options)
                + ", rules and audit in the transaction");
    w1.putObject("baseline")
        .put("name", "Jackson parse-and-diff of consecutive snapshots, in process, 1 core")
        .put("pairs_per_s", Benchmark.round(floorPairs))
        .put("keys_per_s", Benchmark.round(floorPairs * keys));
    double r = Benchmark.ratio(perS, floorPairs);
    w1.put("ratio", r);
    w1.put("target", "ratio >= 0.25 in keys/s");
    w1.put("met", r >= 0.25);
    log.printf(
        "     %.1f snapshots/s (%,.0f keys/s), post p50 %.1f / p99 %.1f ms under load;"
            + " %d compactions; floor %.1f pairs/s (%,.0f keys/s)%n",
        perS,
        perS * keys,
        posts.percentileMs(50),
        posts.percentileMs(99),
        compactions.get(),
        floorPairs,
        floorPairs * keys);
  }

  /** Pairs per second: parse two snapshots with Jackson, flatten both, diff them. One thread. */
  private static double parseAndDiffFloor(byte[][] bodies) {
    long pairs = 0;
    long start = System.nanoTime();
    long warm = start + Duration.ofMillis(500).toNanos();
    long until = start + Duration.ofSeconds(2).toNanos();
    long measuredFrom = 0;
    long counted = 0;
    while (System.nanoTime() < until) {
      for (int n = 1; n < bodies.length; n++) {
        Map<String, String> a = flatten(bodies[n - 1]);
        Map<String, String> b = flatten(bodies[n]);
        int differ = 0;
        for (Map.Entry<String, String> e : b.entrySet()) {
          if (!e.getValue().equals(a.get(e.getKey()))) {
            differ++;
          }
        }
        pairs += differ >= 0 ? 1 : 0;
        if (measuredFrom == 0 && System.nanoTime() > warm) {
          measuredFrom = System.nanoTime();
          counted = pairs;
        }
      }
    }
    if (measuredFrom == 0) {
      return pairs / ((System.nanoTime() - start) / 1e9);
    }
    return (pairs - counted) / ((System.nanoTime() - measuredFrom) / 1e9);
  }

  /** The floors' flattening of a snapshot body's config: Jackson only, values as JSON text. */
  static Map<String, String> flatten(byte[] body) {
    try {
      Map<String, String> out = new HashMap<>();
      flatten("", Benchmark.JSON.readTree(body).get("config"), out);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("generated snapshot is not JSON", e);
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e ->
                  flatten(
                      prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                      e.getValue(),
                      out));
    } else {
      out.put(prefix, node.toString());
    }
  }
}
