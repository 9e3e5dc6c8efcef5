package org.plumbline.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sizes and switches of one benchmark run. Every size is a flag of {@code plumbline bench}.
 *
 * @param changesPerSnapshot how many keys each snapshot after an environment's first changes
 * @param ingestSnapshots W1: how many snapshots the loaders post in all
 * @param ingestKeys W1: keys per snapshot
 * @param queries W2 and W4: measured queries per workload (after as many warm-up queries)
 * @param data where the stores live; {@code null} for a temporary folder removed afterwards
 * @param postgres whether to run the PostgreSQL baseline ({@code false}: skip it even if installed)
 * @param json where to write the figures as JSON, or {@code null}
 * @param workloads which workloads run ({@code --workloads W3,W5}; all by default): W1 ingest, W2
 *     and W4 the queries on the world (which W2 needs loaded), W3 rule throughput, W5 the console,
 *     W6 the bulk history import
 * @param store what W1, W2 and W4 run against: {@code tdb2} (one server on its data folder, the
 *     default) or {@code sparql} (a shared store, Apache Jena Fuseki on TDB2, with {@code servers}
 *     servers on it)
 * @param servers how many servers stand on the shared store ({@code --servers N}, 1 by default)
 * @param historySnapshots W6: how many snapshot files the bulk history import loads
 * @param historyKeys W6: keys per snapshot file
 */
public record BenchOptions(
    long seed,
    int environments,
    long changes,
    int changesPerSnapshot,
    int keysMin,
    int keysMax,
    int ingestSnapshots,
    int ingestKeys,
    int loaders,
    int dependencyKeys,
    int queries,
    Path rules,
    Path data,
    boolean postgres,
    Path json,
    java.util.Set<String> workloads,
    String store,
    int servers,
    int historySnapshots,
    int historyKeys) {

  /** Every workload, the default of {@code --workloads}. */
  public static final java.util.Set<String> ALL =
      java.util.Set.of("W1", "W2", "W3", "W4", "W5", "W6");

  /** The flags {@link #parse} understands, for the usage line. */
  public static final List<String> FLAGS =
      List.of(
          "json",
          "seed",
          "environments",
          "changes",
          "changes-per-snapshot",
          "keys-min",
          "keys-max",
          "ingest-snapshots",
          "ingest-keys",
          "loaders",
          "dependency-keys",
          "queries",
          "rules",
          "data",
          "postgres",
          "workloads",
          "store",
          "servers",
          "history-snapshots",
          "history-keys",
          "world");

  public BenchOptions {
    List<String> problems = new ArrayList<>();
    if (environments < 4) problems.add("--environments must be at least 4");
    if (changes < environments) problems.add("--changes must be at least --environments");
    if (changesPerSnapshot < 1) problems.add("--changes-per-snapshot must be at least 1");
    if (keysMin < 8 || keysMax < keysMin) problems.add("need 8 <= --keys-min <= --keys-max");
    if (ingestKeys < 100) problems.add("--ingest-keys must be at least 100");
    if (loaders < 1) problems.add("--loaders must be at least 1");
    if (ingestSnapshots < loaders) problems.add("--ingest-snapshots must be at least --loaders");
    if (dependencyKeys < 10) problems.add("--dependency-keys must be at least 10");
    if (queries < 10) problems.add("--queries must be at least 10");
    if (workloads.isEmpty() || !ALL.containsAll(workloads)) {
      problems.add("--workloads must name some of W1,W2,W3,W4,W5,W6, was " + workloads);
    }
    if (!store.equals("tdb2") && !store.equals("sparql")) {
      problems.add("--store must be tdb2 or sparql, was " + store);
    }
    if (historySnapshots < HistoryImport.ENVIRONMENTS) {
      problems.add("--history-snapshots must be at least " + HistoryImport.ENVIRONMENTS);
    }
    if (historyKeys < 100) problems.add("--history-keys must be at least 100");
    if (servers < 1 || servers > 16) problems.add("--servers must be from 1 to 16");
    if (servers > 1 && store.equals("tdb2")) {
      problems.add("--servers above 1 needs --store sparql (a TDB2 folder has one server)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * A world that a 2-core machine loads in minutes: 200 environments, 40,000 changes, 100 to 300
   * keys each. The full world of issue 8 (1,000 environments, 1,000,000 changes, 500 to 5,000 keys)
   * is a matter of flags; docs/performance.md gives the command and what it costs.
   */
  public static BenchOptions defaults() {
    return new BenchOptions(
        42,
        200,
        40_000,
        10,
        100,
        300,
        80,
        5000,
        4,
        100_000,
        200,
        Path.of("rules"),
        null,
        true,
        null,
        ALL,
        "tdb2",
        1,
        2_000,
        300);
  }

  /**
   * The full-size world of issue 21 ({@code --world full}): 1,000 environments, 1,000,000 changes,
   * 500 to 5,000 keys; its goal is a load through the governed bulk path in under 30 minutes.
   */
  public static BenchOptions full() {
    return defaults()
        .with(
            Map.of(
                "environments", "1000",
                "changes", "1000000",
                "keys-min", "500",
                "keys-max", "5000"));
  }

  /** Whether this is at least the full-size world: its load is then held to the 30-minute goal. */
  public boolean fullSize() {
    return environments >= 1000 && changes >= 1_000_000 && keysMin >= 500 && keysMax >= 5000;
  }

  /** A world small enough to run in seconds: the smoke run of the test suite. */
  public static BenchOptions tiny() {
    return new BenchOptions(
        7,
        8,
        400,
        5,
        40,
        80,
        24,
        500,
        4,
        2000,
        20,
        Path.of("rules"),
        null,
        true,
        null,
        ALL,
        "tdb2",
        1,
        40,
        300);
  }

  /**
   * These options with {@code --name value} flags laid over them; {@code --world default|full}
   * starts from that world's sizes instead, and the other flags are laid over those.
   */
  public BenchOptions with(Map<String, String> flags) {
    for (String f : flags.keySet()) {
      if (!FLAGS.contains(f)) {
        throw new IllegalArgumentException("'bench' does not take --" + f);
      }
    }
    if (flags.containsKey("world")) {
      String world = flags.get("world");
      if (!world.equals("default") && !world.equals("full")) {
        throw new IllegalArgumentException("--world must be default or full, was '" + world + "'");
      }
      Map<String, String> rest = new java.util.HashMap<>(flags);
      rest.remove("world");
      return (world.equals("full") ? full() : defaults()).with(rest);
    }
    String pg = flags.getOrDefault("postgres", postgres ? "auto" : "off");
    if (!pg.equals("auto") && !pg.equals("off")) {
      throw new IllegalArgumentException("--postgres must be auto or off");
    }
    return new BenchOptions(
        number(flags, "seed", seed),
        (int) number(flags, "environments", environments),
        number(flags, "changes", changes),
        (int) number(flags, "changes-per-snapshot", changesPerSnapshot),
        (int) number(flags, "keys-min", keysMin),
        (int) number(flags, "keys-max", keysMax),
        (int) number(flags, "ingest-snapshots", ingestSnapshots),
        (int) number(flags, "ingest-keys", ingestKeys),
        (int) number(flags, "loaders", loaders),
        (int) number(flags, "dependency-keys", dependencyKeys),
        (int) number(flags, "queries", queries),
        flags.containsKey("rules") ? Path.of(flags.get("rules")) : rules,
        flags.containsKey("data") ? Path.of(flags.get("data")) : data,
        pg.equals("auto"),
        flags.containsKey("json") ? Path.of(flags.get("json")) : json,
        flags.containsKey("workloads")
            ? java.util.Set.copyOf(
                java.util.Arrays.stream(flags.get("workloads").split(","))
                    .map(w -> w.trim().toUpperCase(java.util.Locale.ROOT))
                    .toList())
            : workloads,
        flags.getOrDefault("store", store),
        (int) number(flags, "servers", servers),
        (int) number(flags, "history-snapshots", historySnapshots),
        (int) number(flags, "history-keys", historyKeys));
  }

  /** Whether W1, W2 and W4 run against a shared store ({@code --store sparql}). */
  public boolean sharedStore() {
    return store.equals("sparql");
  }

  /** Whether the run includes workload {@code w} (W1 to W5). */
  public boolean runs(String w) {
    return workloads.contains(w);
  }

  private static long number(Map<String, String> flags, String name, long fallback) {
    String v = flags.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + v + "'");
    }
  }

  /** A copy writing the JSON figures to {@code file}. */
  public BenchOptions withJson(Path file) {
    return with(Map.of("json", file.toString()));
  }

  /** A copy keeping its stores in {@code folder}. */
  public BenchOptions withData(Path folder) {
    return with(Map.of("data", folder.toString()));
  }
}
