package org.plumbline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.plumbline.ontology.Tier;
import org.plumbline.rules.DriftFacts;
import org.plumbline.rules.RulePack;

/**
 * W3: drift assessments per second on one thread with the shipped packs, against issue 21's target,
 * in two kinds:
 *
 * <ul>
 *   <li>first assessments: every drift is new to the pack (its detection time moves on each pass),
 *       so the rules fire for each one;
 *   <li>re-assessments: the same drifts assessed again with another blast radius, as the governance
 *       does when another environment takes or leaves a drifted value. The pack remembers its
 *       answer by what its rules can see, and the shipped pack does not read the blast radius.
 * </ul>
 *
 * <p>Each figure is also given per second of the thread's CPU time, which waiting for a core on a
 * shared machine does not inflate.
 */
final class RuleThroughput {
  static final int TARGET = 100_000;

  private RuleThroughput() {}

  static void run(RulePack pack, BenchOptions options, PrintStream log, ObjectNode result) {
    log.println("W3  assessing drifts with the shipped packs ...");
    List<DriftFacts> facts = driftFacts(2000, options.seed());
    boolean full = options.queries() >= 100;
    // The JIT needs seconds to compile the rule network on a busy machine; warm up accordingly.
    Rate.of(pack, facts, Kind.FIRST, Duration.ofSeconds(full ? 10 : 1));
    Rate first = Rate.of(pack, facts, Kind.FIRST, Duration.ofSeconds(full ? 5 : 1));
    Rate.of(pack, facts, Kind.AGAIN, Duration.ofSeconds(full ? 3 : 1));
    Rate again = Rate.of(pack, facts, Kind.AGAIN, Duration.ofSeconds(full ? 5 : 1));
    ObjectNode w3 = result.putObject("W3");
    w3.putObject("ours")
        .put("per_s", Benchmark.round(first.perS()))
        .put("cpu_per_s", Benchmark.round(first.cpuPerS()))
        .put("reassessed_per_s", Benchmark.round(again.perS()))
        .put("reassessed_cpu_per_s", Benchmark.round(again.cpuPerS()))
        .put("threads", 1);
    w3.putObject("baseline").put("name", "issue 21 target").put("per_s", TARGET);
    w3.put("ratio", Benchmark.ratio(first.perS(), TARGET));
    w3.put("reassessed_ratio", Benchmark.ratio(again.perS(), TARGET));
    w3.put("target", "ratio >= 1");
    w3.put("met", first.perS() >= TARGET);
    w3.put("reassessed_met", again.perS() >= TARGET);
  }

  private enum Kind {
    FIRST,
    AGAIN
  }

  /** Assessments per second of wall-clock time and of the thread's CPU time. */
  private record Rate(double perS, double cpuPerS) {
    static Rate of(RulePack pack, List<DriftFacts> facts, Kind kind, Duration atLeast) {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long count = 0;
      long pass = 0;
      long cpu = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      long until = start + atLeast.toNanos();
      do {
        pass++;
        for (DriftFacts f : facts) {
          pack.assess(kind == Kind.FIRST ? firstSeen(f) : reassessed(f, pass));
          count++;
        }
      } while (System.nanoTime() < until);
      double wall = (System.nanoTime() - start) / 1e9;
      double cpuS = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
      return new Rate(count / wall, cpuS > 0 ? count / cpuS : 0);
    }
  }

  /** Seconds moved so far: each first assessment's drift was detected at an instant of its own. */
  private static long moved;

  /** The drift as if detected a little earlier than any before: new to the pack. */
  private static DriftFacts firstSeen(DriftFacts f) {
    return with(f, f.detectedAt().minusSeconds(++moved), f.blastRadius());
  }

  /** The same drift with another blast radius, as a re-assessment sees it. */
  private static DriftFacts reassessed(DriftFacts f, long pass) {
    return with(f, f.detectedAt(), List.of("env-" + pass % 50, "env-" + (pass + 1) % 50));
  }

  private static DriftFacts with(DriftFacts f, Instant detectedAt, List<String> blastRadius) {
    return new DriftFacts(
        f.environment(),
        f.tier(),
        f.owner(),
        f.key(),
        f.expected(),
        f.actual(),
        f.trail(),
        detectedAt,
        f.observedAt(),
        blastRadius,
        f.reevaluate(),
        f.changeRequests(),
        f.metric(),
        f.observation());
  }

  /** Drifts across every risk category, tier and finding the shipped packs know. */
  private static List<DriftFacts> driftFacts(int n, long seed) {
    String[][] keys = {
      {"guardrails.toxicity.threshold", "0.8", "0.7"},
      {"guardrails.enabled", "true", "false"},
      {"llm.temperature", "0.3", "0.7"},
      {"model.version", "\"gpt-4o-2024-08-06\"", "\"gpt-4o\""},
      {"security.tls.enabled", "true", "false"},
      {"flags.new_ui", null, "true"},
      {"service.replicas", "3", "5"},
      {"retrieval.top_k", "8", "10"},
      {"prompt.system", "\"You are...\"", "\"You are a...\""},
      {"custom.setting", "1", null},
      {"llm.max_tokens", "800", "1600"},
      {"gpu.count", "1", "2"}
    };
    SplittableRandom r = new SplittableRandom(seed);
    Tier[] tiers = Tier.values();
    List<DriftFacts> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String[] k = keys[i % keys.length];
      Instant observed = WorldGenerator.END.minus(Duration.ofDays(r.nextInt(30)));
      Instant detected = observed.minus(Duration.ofDays(r.nextInt(60)));
      List<String> trail =
          k[0].startsWith("guardrails.toxicity") && r.nextBoolean()
              ? List.of("0.78", "0.75", "0.72", k[2] == null ? "null" : k[2])
              : List.of(k[2] == null ? "null" : k[2]);
      out.add(
          new DriftFacts(
              "env-" + (i % 50),
              tiers[i % tiers.length],
              "team-" + (i % 7),
              k[0],
              k[1],
              k[2],
              trail,
              detected,
              observed,
              r.nextInt(4) == 0 ? List.of("env-a", "env-b") : List.of(),
              r.nextInt(3) == 0 ? List.of("llm.temperature") : List.of(),
              r.nextInt(5) == 0 ? List.of("CHG-" + i) : List.of(),
              null));
    }
    return out;
  }
}
