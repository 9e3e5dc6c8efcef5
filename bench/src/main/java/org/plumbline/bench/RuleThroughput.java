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
 *   <li>first assessments: every drift is new to the pack, unlike any other in every member (its
 *       detection time also moves on each pass). The pack remembers its answer by what its rules
 *       test ({@code RuleInputs}), so the rules fire for the first drift of each kind the rules can
 *       tell apart; the figure says how many fired. A pass through a freshly compiled pack (cold)
 *       shows the cost while the kinds are new;
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
    long firedBefore = pack.assessmentsFired();
    Rate first = Rate.of(pack, facts, Kind.FIRST, Duration.ofSeconds(full ? 5 : 1));
    long fired = pack.assessmentsFired() - firedBefore;
    Rate.of(pack, facts, Kind.AGAIN, Duration.ofSeconds(full ? 3 : 1));
    Rate again = Rate.of(pack, facts, Kind.AGAIN, Duration.ofSeconds(full ? 5 : 1));
    // Last, since compiling a pack disturbs the JIT and the heap: the same drifts through a pack
    // that remembers nothing yet, where the first drift of each kind fires the rules.
    RulePack fresh = RulePack.compile(pack.directory());
    Rate cold = Rate.of(fresh, facts, Kind.FIRST, Duration.ZERO);
    ObjectNode w3 = result.putObject("W3");
    w3.putObject("ours")
        .put("per_s", Benchmark.round(first.perS()))
        .put("cpu_per_s", Benchmark.round(first.cpuPerS()))
        .put("assessed", first.count())
        .put("fired", fired)
        .put("cold_per_s", Benchmark.round(cold.perS()))
        .put("cold_cpu_per_s", Benchmark.round(cold.cpuPerS()))
        .put("cold_assessed", cold.count())
        .put("cold_fired", fresh.assessmentsFired())
        .put("reassessed_per_s", Benchmark.round(again.perS()))
        .put("reassessed_cpu_per_s", Benchmark.round(again.cpuPerS()))
        .put("threads", 1);
    w3.putObject("baseline").put("name", "issue 21 target").put("per_s", TARGET);
    w3.put("ratio", Benchmark.ratio(first.perS(), TARGET));
    w3.put("cpu_ratio", Benchmark.ratio(first.cpuPerS(), TARGET));
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
  private record Rate(double perS, double cpuPerS, long count) {
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
      return new Rate(count / wall, cpuS > 0 ? count / cpuS : 0, count);
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

  /**
   * A fleet's drifts across every risk category, tier and finding the shipped packs know, unlike
   * each other in every member: each has a key name, values, environment, owner, times and change
   * request ids of its own. What repeats is what a fleet repeats: the kind of key (its prefix), the
   * kind of value, the tier.
   */
  static List<DriftFacts> driftFacts(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tier[] tiers = Tier.values();
    List<DriftFacts> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String[] k = kind(i, r);
      Instant observed = WorldGenerator.END.minus(Duration.ofSeconds(r.nextInt(30 * 86_400)));
      Instant detected = observed.minus(Duration.ofSeconds(r.nextInt(60 * 86_400)));
      String actual = k[2];
      List<String> trail = new ArrayList<>();
      if (k[0].startsWith("guardrails.") && k[0].endsWith(".threshold") && r.nextBoolean()) {
        // Relaxed in small steps: each under 10 % of the value before it.
        double v = Double.parseDouble(k[1]);
        for (int s = 0; s < 3; s++) {
          v = v * (1 - (1 + r.nextInt(8)) / 100.0);
          trail.add(String.format(java.util.Locale.ROOT, "%.4f", v));
        }
        actual = trail.get(trail.size() - 1);
      } else {
        trail.add(actual == null ? "null" : actual);
      }
      List<String> requests = new ArrayList<>();
      if (r.nextInt(5) == 0) {
        requests.add("CHG-" + i);
      }
      out.add(
          new DriftFacts(
              "env-" + r.nextInt(1000),
              tiers[r.nextInt(tiers.length)],
              "team-" + r.nextInt(100),
              k[0],
              k[1],
              actual,
              trail,
              detected,
              observed,
              r.nextInt(4) == 0 ? List.of("env-" + r.nextInt(1000)) : List.of(),
              r.nextInt(3) == 0 ? List.of("svc" + i + ".llm.temperature") : List.of(),
              requests,
              null));
    }
    return out;
  }

  /** Key, blueprint value and observed value of drift {@code i}: a name and values of its own. */
  private static String[] kind(int i, SplittableRandom r) {
    String svc = "svc" + i;
    int v = 1 + r.nextInt(1_000_000);
    return switch (i % 12) {
      case 0 -> new String[] {"guardrails." + svc + ".threshold", "0.8", "0." + (50 + v % 30)};
      case 1 -> new String[] {"guardrails." + svc + ".enabled", "true", "false"};
      case 2 -> new String[] {"llm." + svc + ".temperature", "0.3", "0." + v};
      case 3 ->
          new String[] {
            svc + ".model",
            "\"gpt-4o-2024-08-06\"",
            r.nextBoolean() ? "\"model-" + v + "\"" : "\"model-" + v + "-2025-01-01\""
          };
      case 4 -> new String[] {"security." + svc + ".tls.enabled", "true", "false"};
      case 5 -> new String[] {"flags." + svc, null, Boolean.toString(r.nextBoolean())};
      case 6 -> new String[] {svc + ".replicas", "3", Integer.toString(v)};
      case 7 -> new String[] {"retrieval." + svc + ".top_k", "8", Integer.toString(v)};
      case 8 -> new String[] {"prompt." + svc, "\"You are...\"", "\"You are " + v + "\""};
      case 9 -> new String[] {"custom." + svc, Integer.toString(v), null};
      case 10 -> new String[] {"llm." + svc + ".max_tokens", "800", Integer.toString(v)};
      default -> new String[] {"gpu." + svc + ".count", "1", Integer.toString(v)};
    };
  }
}
