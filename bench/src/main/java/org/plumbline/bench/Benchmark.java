package org.plumbline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.plumbline.ontology.Change;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Tier;
import org.plumbline.rules.RulePack;
import org.plumbline.server.RulePacks;
import org.plumbline.server.config.ServerConfig;

/**
 * One benchmark run (issue 8): generates the world, runs W1 to W4, start time, store size and peak
 * memory beside their baselines, and returns the figures as JSON (see {@link BenchReport}). Timings
 * on a shared machine are noisy; the ratios are what to compare.
 */
public final class Benchmark {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEPGRAPH_ENV = "depgraph-prod";

  private final BenchOptions options;
  private final PrintStream log;
  private final WorldGenerator world;
  private final ObjectNode result = JSON.createObjectNode();
  private final BenchHttp web;
  private final Clock clock = Clock.fixed(WorldGenerator.END, ZoneOffset.UTC);

  private Benchmark(BenchOptions options, PrintStream log) {
    this.options = options;
    this.log = log;
    this.world = new WorldGenerator(options);
    this.web = new BenchHttp(log);
  }

  /** Runs every workload; progress goes to {@code log}. */
  public static ObjectNode run(BenchOptions options, PrintStream log)
      throws IOException, InterruptedException {
    return new Benchmark(options, log).run();
  }

  private ObjectNode run() throws IOException, InterruptedException {
    Path data =
        options.data() == null ? Files.createTempDirectory("plumbline-bench") : options.data();
    PeakMemory.start();
    try {
      describe();
      RulePack pack = RulePacks.load(options.rules());
      if (options.runs("W3")) {
        RuleThroughput.run(pack, options, log, result);
      }
      if (options.runs("W2") || options.runs("W4")) {
        Path worldStore = data.resolve("world");
        deleteTree(worldStore);
        new WorldLoad(options, log, world, result, clock).run(worldStore, pack);
        Optional<PostgresBaseline> pg = startPostgres();
        try {
          pg.ifPresent(p -> loadPostgres(p, worldStore));
          queryWorkloads(worldStore, pg);
        } finally {
          pg.ifPresent(PostgresBaseline::close);
        }
      }
      if (options.runs("W1")) {
        Path ingestStore = data.resolve("ingest");
        deleteTree(ingestStore);
        new IngestThroughput(options, log, world, result, clock, web).run(ingestStore);
      }
      if (options.runs("W5")) {
        Path consoleStore = data.resolve("console");
        deleteTree(consoleStore);
        new ConsoleInbox(
                log,
                result,
                clock,
                Math.max(5, Math.min(50, options.queries())),
                options.environments())
            .run(consoleStore, options.rules());
      }
      if (options.runs("W6")) {
        Path historyStore = data.resolve("history");
        deleteTree(historyStore);
        new HistoryImport(options, log, world, result, clock).run(historyStore);
      }
      PeakMemory.record(result);
      return result;
    } finally {
      if (options.data() == null) {
        deleteTree(data);
      }
    }
  }

  // ---- the run's context ----

  private void describe() {
    ObjectNode machine = result.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("java", System.getProperty("java.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    ObjectNode w = result.putObject("world");
    w.put("seed", options.seed());
    w.put("environments", options.environments());
    w.put("changes", options.changes());
    w.put("changes_per_snapshot", options.changesPerSnapshot());
    w.put("keys_min", options.keysMin());
    w.put("keys_max", options.keysMax());
    w.put("dependency_keys", options.dependencyKeys());
    w.put("ingest_snapshots", options.ingestSnapshots());
    w.put("ingest_keys", options.ingestKeys());
    w.put("history_snapshots", options.historySnapshots());
    w.put("history_keys", options.historyKeys());
    w.put("loaders", options.loaders());
    w.put("queries", options.queries());
    result.put(
        "note",
        "timings on a shared machine are noisy: compare the ratios, measured in the same run");
  }

  private Optional<PostgresBaseline> startPostgres() {
    if (!options.postgres()) {
      skipPostgres("skipped with --postgres off");
      return Optional.empty();
    }
    Optional<String> why = PostgresBaseline.unavailable();
    if (why.isPresent()) {
      skipPostgres(why.get());
      return Optional.empty();
    }
    try {
      log.println("     starting a private PostgreSQL cluster on loopback ...");
      return Optional.of(PostgresBaseline.start());
    } catch (IOException e) {
      skipPostgres("PostgreSQL did not start: " + e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      skipPostgres("interrupted while starting PostgreSQL");
      return Optional.empty();
    }
  }

  private void skipPostgres(String reason) {
    log.println("     PostgreSQL baseline not run: " + reason);
    result.put("postgres_skipped", reason);
  }

  /** Loads what our store holds (read back through the store API) so both hold identical data. */
  private void loadPostgres(PostgresBaseline pg, Path worldStore) {
    log.println("     loading the same data into PostgreSQL ...");
    long start = System.nanoTime();
    try (Connection c = pg.connect();
        GraphStore store = GraphStore.openTdb2(worldStore)) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE environments (id text PRIMARY KEY, tier text NOT NULL,"
                + " system text, owner text)");
        s.execute(
            "CREATE TABLE changes (environment text NOT NULL REFERENCES environments(id),"
                + " key text NOT NULL, from_value text, to_value text,"
                + " at timestamptz NOT NULL, source text)");
        s.execute("CREATE TABLE dependencies (key text NOT NULL, depends_on text NOT NULL)");
      }
      c.setAutoCommit(false);
      List<Environment> envs = store.read(r -> r.environments());
      try (PreparedStatement ins =
          c.prepareStatement("INSERT INTO environments VALUES (?, ?, ?, ?)")) {
        for (Environment e : envs) {
          ins.setString(1, e.id());
          ins.setString(2, e.tier().name());
          ins.setString(3, e.system());
          ins.setString(4, e.owner());
          ins.addBatch();
        }
        ins.executeBatch();
      }
      try (PreparedStatement ins =
          c.prepareStatement("INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?)")) {
        for (Environment e : envs) {
          for (Change ch : store.read(r -> r.changes(e.id(), null, null))) {
            ins.setString(1, ch.environment());
            ins.setString(2, ch.key());
            ins.setString(3, ch.from());
            ins.setString(4, ch.to());
            ins.setTimestamp(5, Timestamp.from(ch.at()));
            ins.setString(6, ch.source());
            ins.addBatch();
          }
          ins.executeBatch();
        }
      }
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO dependencies VALUES (?, ?)")) {
        for (Map.Entry<String, List<String>> e :
            world.dependencyEdges(options.dependencyKeys()).entrySet()) {
          for (String on : e.getValue()) {
            ins.setString(1, e.getKey());
            ins.setString(2, on);
            ins.addBatch();
          }
        }
        ins.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE INDEX changes_environment_at ON changes (environment, at)");
        s.execute("CREATE INDEX environments_tier ON environments (tier)");
        s.execute("CREATE INDEX dependencies_depends_on ON dependencies (depends_on)");
        s.execute("VACUUM ANALYZE");
        try (ResultSet rs =
            s.executeQuery(
                "SELECT pg_total_relation_size('changes') + pg_total_relation_size('environments')")) {
          rs.next();
          long bytes = rs.getLong(1);
          ObjectNode size = (ObjectNode) result.get("store");
          long perMillion = bytes * 1_000_000L / options.changes();
          size.put("postgres_bytes", bytes);
          size.put("postgres_bytes_per_million_changes", perMillion);
          // The target compares the same data: the changes and environments PostgreSQL holds.
          double r =
              ratio(size.get("changes_only_bytes_per_million_changes").asDouble(), perMillion);
          size.put("ratio", r);
          size.put(
              "whole_store_ratio",
              ratio(size.get("bytes_per_million_changes").asDouble(), perMillion));
          size.put(
              "target",
              "ratio <= 5 for the same data (environments and changes with their indexes)");
          size.put("met", r <= 5);
        }
      }
      result.put("postgres_version", pg.version());
      log.printf("     PostgreSQL loaded in %.0f s%n", (System.nanoTime() - start) / 1e9);
    } catch (SQLException e) {
      throw new IllegalStateException("loading PostgreSQL failed: " + e.getMessage(), e);
    }
  }

  // ---- W2 and W4: queries ----

  /** The bench measures the store and the engine, not the per-token rate limiter. */
  static final ServerConfig.RateLimits UNLIMITED =
      new ServerConfig.RateLimits(
          false, ServerConfig.RateLimits.DEFAULT.defaultLimit(), java.util.Map.of());

  private void queryWorkloads(Path worldStore, Optional<PostgresBaseline> pg) {
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withRules(options.rules())
            .withTokens(
                List.of(
                    new ServerConfig.Token(BenchHttp.VIEWER, "bench-viewer", Set.of("viewer")),
                    new ServerConfig.Token(BenchHttp.LOADER, "bench-loader", Set.of("loader"))))
            .withRateLimits(UNLIMITED);
    long start = System.nanoTime();
    BenchServers servers = BenchServers.start(options, worldStore, config, clock);
    try {
      web.get(servers.get(0), "/health");
      double startMs = (System.nanoTime() - start) / 1e6;
      result
          .putObject("start")
          .put("ms", round(startMs))
          .put(
              "what",
              "open the world's store, compile the rule pack, listen, answer /health (in process)");
      result.put("against", BenchServers.describe(options));
      log.printf(
          "     %s started on the world in %.0f ms%n", BenchServers.describe(options), startMs);
      Connection c = pg.isPresent() ? pg.get().connect() : null;
      try {
        if (options.runs("W2")) {
          w2a(servers, c);
          w2b(servers, c);
        }
        if (options.runs("W4")) {
          w4(servers, c);
        }
      } finally {
        if (c != null) {
          c.close();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL query failed: " + e.getMessage(), e);
    } finally {
      servers.close();
    }
  }

  /**
   * Warm-up rounds before timing, at least (issue 21): the server's request path (routing, auth,
   * GraphQL execution) runs a few hundred Java methods per request, and after 300 requests most of
   * them still ran in the JIT's first tiers; W2a over HTTP took 1.8 ms at p50 there and 0.6 ms once
   * compiled (the same server, probe at load 2 to 4). Bounded by {@link #WARM_UP_NANOS}, for slow
   * stores.
   */
  static final int WARM_UP_ROUNDS = 2_000;

  static final long WARM_UP_NANOS = Duration.ofSeconds(20).toNanos();

  /**
   * Runs the query kinds of one workload interleaved, query by query, so that the noise of a shared
   * machine falls on each alike. Warm-up rounds (queries {@code 0..n-1}, over again: at least
   * {@code n}, up to {@link #WARM_UP_ROUNDS} within {@link #WARM_UP_NANOS}) are not recorded; then
   * queries {@code n..2n-1} are timed.
   */
  private static void interleaved(
      int n, List<Latencies> into, List<java.util.function.IntConsumer> kinds) {
    long start = System.nanoTime();
    for (int round = 0;
        round < n || (round < WARM_UP_ROUNDS && System.nanoTime() - start < WARM_UP_NANOS);
        round++) {
      for (java.util.function.IntConsumer query : kinds) {
        query.accept(round % n);
      }
    }
    for (int i = n; i < 2 * n; i++) {
      for (int k = 0; k < kinds.size(); k++) {
        int round = i;
        java.util.function.IntConsumer query = kinds.get(k);
        into.get(k).time(() -> query.accept(round));
      }
    }
  }

  private void w2a(BenchServers server, Connection pg) throws SQLException {
    log.println("W2a changes of one environment in the last 90 days ...");
    Instant since = WorldGenerator.END.minus(Duration.ofDays(90));
    int n = options.queries();
    String[] envs = randomEnvironments(n * 2);
    Latencies store = new Latencies(n);
    Latencies graphql = new Latencies(n);
    Latencies base = new Latencies(n);
    List<java.util.function.IntConsumer> kinds = new ArrayList<>();
    kinds.add(i -> server.get(i).store().read(r -> r.changes(envs[i], since, null)));
    kinds.add(
        i ->
            web.graphql(
                server.get(i),
                "{ changes(environment: \\\""
                    + envs[i]
                    + "\\\", lastDays: 90) { key from to at source } }"));
    try (PreparedStatement ps =
        pg == null
            ? null
            : pg.prepareStatement(
                "SELECT key, from_value, to_value, at, source FROM changes"
                    + " WHERE environment = ? AND at >= ? AND at < ? ORDER BY at, key")) {
      if (ps != null) {
        kinds.add(
            i -> {
              try {
                ps.setString(1, envs[i]);
                ps.setTimestamp(2, Timestamp.from(since));
                ps.setTimestamp(3, Timestamp.from(WorldGenerator.END));
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
              drain(ps);
            });
      }
      interleaved(n, List.of(store, graphql, base), kinds);
    }
    latencyWorkload(
        "W2a",
        store,
        graphql,
        pg == null ? null : base,
        "PostgreSQL over JDBC, index (environment, at)",
        2);
  }

  private void w2b(BenchServers server, Connection pg) throws SQLException {
    log.println("W2b change counts per PROD environment, last 90 days ...");
    Instant since = WorldGenerator.END.minus(Duration.ofDays(90));
    int n = Math.max(10, options.queries() / 4);
    Latencies store = new Latencies(n);
    Latencies graphql = new Latencies(n);
    Latencies base = new Latencies(n);
    List<java.util.function.IntConsumer> kinds = new ArrayList<>();
    kinds.add(
        i ->
            server
                .get(i)
                .store()
                .read(
                    r -> {
                      Map<String, Integer> counts = new HashMap<>();
                      for (Environment e : r.environments(Tier.PROD)) {
                        counts.put(e.id(), r.changeCount(e.id(), since, null));
                      }
                      return counts;
                    }));
    kinds.add(
        i ->
            web.graphql(
                server.get(i), "{ environments(tier: PROD) { id changeCount(lastDays: 90) } }"));
    try (PreparedStatement ps =
        pg == null
            ? null
            : pg.prepareStatement(
                "SELECT c.environment, count(*) FROM changes c JOIN environments e"
                    + " ON e.id = c.environment WHERE e.tier = 'PROD' AND c.at >= ? AND c.at < ?"
                    + " GROUP BY c.environment")) {
      if (ps != null) {
        ps.setTimestamp(1, Timestamp.from(since));
        ps.setTimestamp(2, Timestamp.from(WorldGenerator.END));
        kinds.add(i -> drain(ps));
      }
      interleaved(n, List.of(store, graphql, base), kinds);
    }
    latencyWorkload(
        "W2b",
        store,
        graphql,
        pg == null ? null : base,
        "PostgreSQL over JDBC, GROUP BY on the index",
        2);
  }

  private void w4(BenchServers server, Connection pg) throws SQLException {
    log.printf("W4  transitive dependents in a %,d-key graph ...%n", options.dependencyKeys());
    Map<String, List<String>> dependents = new HashMap<>();
    world
        .dependencyEdges(options.dependencyKeys())
        .forEach(
            (key, on) ->
                on.forEach(o -> dependents.computeIfAbsent(o, x -> new ArrayList<>()).add(key)));
    int n = options.queries();
    SplittableRandom r = new SplittableRandom(options.seed() + 4);
    // Query keys near the roots have large answers, deep keys small ones: draw from the first 1 %.
    String[] keys = new String[2 * n];
    for (int i = 0; i < keys.length; i++) {
      keys[i] =
          WorldGenerator.dependencyKey(r.nextInt(Math.max(2, options.dependencyKeys() / 100)));
    }
    long answers = 0;
    for (int i = 0; i < n; i++) {
      answers += bfs(dependents, keys[n + i]).size();
    }
    Latencies store = new Latencies(n);
    Latencies graphql = new Latencies(n);
    Latencies bfs = new Latencies(n);
    Latencies cte = new Latencies(n);
    List<java.util.function.IntConsumer> kinds = new ArrayList<>();
    kinds.add(i -> server.get(i).store().read(rd -> rd.dependents(keys[i], DEPGRAPH_ENV)));
    kinds.add(
        i ->
            web.graphql(
                server.get(i),
                "{ dependents(key: \\\""
                    + keys[i]
                    + "\\\", environment: \\\""
                    + DEPGRAPH_ENV
                    + "\\\") }"));
    kinds.add(i -> bfs(dependents, keys[i]));
    try (PreparedStatement ps =
        pg == null
            ? null
            : pg.prepareStatement(
                "WITH RECURSIVE d(key) AS (SELECT key FROM dependencies WHERE depends_on = ?"
                    + " UNION SELECT x.key FROM dependencies x JOIN d ON x.depends_on = d.key)"
                    + " SELECT key FROM d")) {
      if (ps != null) {
        kinds.add(
            i -> {
              try {
                ps.setString(1, keys[i]);
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
              drain(ps);
            });
      }
      interleaved(n, List.of(store, graphql, bfs, cte), kinds);
    }
    ObjectNode w4 =
        latencyWorkload("W4", store, graphql, bfs, "in-memory BFS over a HashMap (the floor)", 3);
    w4.put("mean_answer_keys", answers / n);
    if (pg != null) {
      w4.putObject("postgres")
          .put("name", "PostgreSQL recursive CTE over JDBC")
          .put("p50_ms", round3(cte.percentileMs(50)))
          .put("p99_ms", round3(cte.percentileMs(99)));
    }
  }

  /** The floor: breadth-first search over an adjacency map already in memory. */
  static Set<String> bfs(Map<String, List<String>> dependents, String key) {
    Set<String> seen = new HashSet<>();
    ArrayDeque<String> queue = new ArrayDeque<>(List.of(key));
    while (!queue.isEmpty()) {
      for (String d : dependents.getOrDefault(queue.poll(), List.of())) {
        if (!d.equals(key) && seen.add(d)) {
          queue.add(d);
        }
      }
    }
    return seen;
  }

  private ObjectNode latencyWorkload(
      String name,
      Latencies ours,
      Latencies graphql,
      Latencies baseline,
      String baselineName,
      double target) {
    ObjectNode w = result.putObject(name);
    ObjectNode o = w.putObject("ours");
    o.put("via", "store API");
    o.put("p50_ms", round3(ours.percentileMs(50)));
    o.put("p99_ms", round3(ours.percentileMs(99)));
    o.putObject("graphql")
        .put("via", "GraphQL over HTTP")
        .put("p50_ms", round3(graphql.percentileMs(50)))
        .put("p99_ms", round3(graphql.percentileMs(99)));
    ObjectNode b = w.putObject("baseline");
    b.put("name", baselineName);
    w.put("target", "ratio <= " + (int) target + " at p50 and p99, store API");
    if (baseline == null) {
      b.put("skipped", result.path("postgres_skipped").asText("not run"));
      w.putNull("ratio");
      return w;
    }
    b.put("p50_ms", round3(baseline.percentileMs(50)));
    b.put("p99_ms", round3(baseline.percentileMs(99)));
    double r50 = ratio(ours.percentileMs(50), baseline.percentileMs(50));
    double r99 = ratio(ours.percentileMs(99), baseline.percentileMs(99));
    w.put("ratio", r50);
    w.put("ratio_p99", r99);
    w.put("met", r50 <= target && r99 <= target);
    log.printf(
        "     ours p50 %.3f ms p99 %.3f ms; %s p50 %.3f ms p99 %.3f ms%n",
        ours.percentileMs(50),
        ours.percentileMs(99),
        baselineName,
        baseline.percentileMs(50),
        baseline.percentileMs(99));
    return w;
  }

  private String[] randomEnvironments(int n) {
    SplittableRandom r = new SplittableRandom(options.seed() + 2);
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = world.environmentName(r.nextInt(options.environments()));
    }
    return out;
  }

  private static void drain(PreparedStatement ps) {
    try (ResultSet rs = ps.executeQuery()) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          rs.getObject(i);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL query failed: " + e.getMessage(), e);
    }
  }

  // ---- small things ----

  static double ratio(double ours, double baseline) {
    return baseline <= 0 ? Double.NaN : Math.round(ours / baseline * 100) / 100.0;
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static void deleteTree(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary folder left behind is harmless
    }
  }
}
