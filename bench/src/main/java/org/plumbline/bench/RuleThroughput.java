package org.plumbline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.plumbline.ontology.Tier;
import org.plumbline.rules.DriftFacts;
import org.plumbline.rules.RulePack;

/**
 * W3: drift assessments per second on one thread with the shipped packs, against issue 8's target.
 */
final class RuleThroughput {
  private RuleThroughput() {}

  static void run(RulePack pack, BenchOptions options, PrintStream log, ObjectNode result) {
    log.println("W3  assessing drifts with the shipped packs ...");
    List<DriftFacts> facts = driftFacts(2000, options.seed());
    // The JIT needs seconds to compile the rule network on a busy machine; warm up accordingly.
    runAssessments(pack, facts, Duration.ofSeconds(options.queries() >= 100 ? 10 : 1));
    long count = 0;
    long start = System.nanoTime();
    long until = start + Duration.ofSeconds(options.queries() >= 100 ? 5 : 1).toNanos();
    while (System.nanoTime() < until) {
      count += runAssessments(pack, facts, Duration.ZERO);
    }
    double perS = count / ((System.nanoTime() - start) / 1e9);
    ObjectNode w3 = result.putObject("W3");
    w3.putObject("ours").put("per_s", Benchmark.round(perS)).put("threads", 1);
    w3.putObject("baseline").put("name", "issue 8 target").put("per_s", 50_000);
    w3.put("ratio", Benchmark.ratio(perS, 50_000));
    w3.put("target", "ratio >= 1");
    w3.put("met", perS >= 50_000);
  }

  private static long runAssessments(RulePack pack, List<DriftFacts> facts, Duration atLeast) {
    long count = 0;
    long until = System.nanoTime() + atLeast.toNanos();
    do {
      for (DriftFacts f : facts) {
        pack.assess(f);
        count++;
      }
    } while (System.nanoTime() < until);
    return count;
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
