package org.plumbline.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.Tier;

/**
 * Remembered decisions ({@link RuleInputs}, {@link Decisions}) give exactly the assessment that
 * firing the pack for that drift alone gives, and remember nothing a pack may read.
 */
class RuleInputsTest {
  private static final Path SHIPPED = Path.of("packs/default");
  private static final RulePack PACK = RulePack.compile(SHIPPED);

  @Test
  void everyMemberOfTheFactsIsKnown() {
    assertEquals(
        Arrays.stream(DriftFacts.class.getRecordComponents()).map(c -> c.getName()).toList(),
        List.copyOf(RuleInputs.MEMBERS.keySet()));
  }

  @Test
  void theShippedPackSeesNeitherOwnerNorBlastRadius() {
    List<String> seen = PACK.visibleMembers();
    assertFalse(seen.contains("owner"), seen::toString);
    assertFalse(seen.contains("blastRadius"), seen::toString);
    // Named in comments and by the gate rules, but tested by no DriftFacts constraint.
    assertFalse(seen.contains("environment"), seen::toString);
    for (String m :
        List.of(
            "tier",
            "key",
            "expected",
            "actual",
            "trail",
            "detectedAt",
            "observedAt",
            "reevaluate",
            "changeRequests",
            "metric",
            "observation")) {
      assertTrue(seen.contains(m), m + " not in " + seen);
    }
  }

  /**
   * The fast path against one session per drift, on drifts drawn from few values so that many of
   * them share what the rules see: each drift, and a copy of it with another owner, environment and
   * blast radius (what a re-assessment changes), gets the firing path's assessment.
   */
  @Property(tries = 400)
  void rememberedAnswersAreTheFiringAnswers(@ForAll("drifts") DriftFacts drift) {
    DriftFacts moved =
        new DriftFacts(
            drift.environment() + "-other",
            drift.tier(),
            drift.owner() == null ? "someone" : null,
            drift.key(),
            drift.expected(),
            drift.actual(),
            drift.trail(),
            drift.detectedAt(),
            drift.observedAt(),
            drift.blastRadius().isEmpty() ? List.of("env-x", "env-y") : List.of(),
            drift.reevaluate(),
            drift.changeRequests(),
            drift.metric(),
            drift.observation());
    for (DriftFacts f : List.of(drift, moved, drift)) {
      Assessment firing = PACK.assessFiring(f);
      assertEquals(firing, PACK.assess(f));
      assertEquals(firing, PACK.assess(f));
    }
  }

  /**
   * First assessments across a fleet: drifts unlike each other in every member (key names, values,
   * times, change request ids, environments), so that the pack's memory answers them only where its
   * rules cannot tell them apart; each gets the firing path's assessment.
   */
  @Property(tries = 400)
  void firstAssessmentsOfDistinctDriftsAreTheFiringAnswers(@ForAll("fleetDrifts") DriftFacts d) {
    Assessment firing = PACK.assessFiring(d);
    assertEquals(firing, PACK.assess(d));
  }

  @Test
  void driftsTheRulesCannotTellApartShareOneAnswer() {
    RuleInputs inputs = RuleInputs.of(packFiles(SHIPPED));
    DriftFacts a = fleetDrift(Tier.PROD, "llm.temperature", "0.3", "0.7", 3, "env-1", "CR-1");
    DriftFacts b = fleetDrift(Tier.PROD, "llm.temperature", "0.3", "0.9", 20, "env-2", "CR-2");
    assertEquals(inputs.key(a), inputs.key(b));
    assertEquals(PACK.assessFiring(b), PACK.assess(b));
    // Each differs from a in one thing a rule tests: tier, key class, null value, requests.
    for (DriftFacts other :
        List.of(
            fleetDrift(Tier.STAGING, "llm.temperature", "0.3", "0.7", 3, "env-1", "CR-1"),
            fleetDrift(Tier.PROD, "security.tls.enabled", "0.3", "0.7", 3, "env-1", "CR-1"),
            fleetDrift(Tier.PROD, "llm.temperature", null, "0.7", 3, "env-1", "CR-1"),
            fleetDrift(Tier.PROD, "llm.temperature", "0.3", "0.7", 3, "env-1", null),
            fleetDrift(Tier.PROD, "flags.x", "0.3", "0.7", 3, "env-1", "CR-1"),
            fleetDrift(Tier.PROD, "flags.x", "0.3", "0.7", 40, "env-1", "CR-1"))) {
      assertNotEquals(inputs.key(a), inputs.key(other), other::toString);
    }
    assertNotEquals(
        inputs.key(fleetDrift(Tier.PROD, "flags.x", "0.3", "0.7", 3, "env-1", "CR-1")),
        inputs.key(fleetDrift(Tier.PROD, "flags.x", "0.3", "0.7", 40, "env-1", "CR-1")));
  }

  /** Constraints whose parts the reading cannot bound count their members whole. */
  @Test
  void constraintsTheReadingCannotSplitCountTheirMembersWhole(@TempDir Path dir)
      throws IOException {
    copyPack(dir);
    Files.writeString(
        dir.resolve("odd.drl"),
        """
        package org.plumbline.rules.pack;
        import org.plumbline.rules.DriftFacts;
        import org.plumbline.rules.pack.AssessmentDraft;
        rule "finding: ends in 9"
        when
            $a : AssessmentDraft( )
            DriftFacts( actual.endsWith( "9" ) )
        then
            modify( $a ) { addFinding( "NINE" ) }
        end
        rule "finding: one or two"
        when
            $a : AssessmentDraft( )
            DriftFacts( owner == "x" || == "ops" )
        then
            modify( $a ) { addFinding( "OPS" ) }
        end
        rule "finding: sum"
        when
            $a : AssessmentDraft( )
            DriftFacts( environment == "env" + "-9" )
        then
            modify( $a ) { addFinding( "ENV9" ) }
        end
        """);
    RulePack odd = RulePack.compile(dir);
    DriftFacts base = fleetDrift(Tier.DEV, "llm.temperature", "0.3", "0.8", 3, "env-1", null);
    DriftFacts nine = fleetDrift(Tier.DEV, "llm.temperature", "0.3", "0.9", 3, "env-9", null);
    DriftFacts ops =
        new DriftFacts(
            base.environment(),
            base.tier(),
            "ops",
            base.key(),
            base.expected(),
            base.actual(),
            base.trail(),
            base.detectedAt(),
            base.observedAt(),
            base.blastRadius(),
            base.reevaluate(),
            base.changeRequests(),
            null);
    assertEquals(
        List.of(), odd.assess(base).findings().stream().filter(f -> f.length() <= 4).toList());
    assertTrue(odd.assess(nine).findings().containsAll(List.of("NINE", "ENV9")));
    assertTrue(odd.assess(ops).findings().contains("OPS"));
    for (DriftFacts d : List.of(base, nine, ops)) {
      assertEquals(odd.assessFiring(d), odd.assess(d));
    }
  }

  @Test
  void aCallOfAMethodOfTheFactSeesEveryMember(@TempDir Path dir) throws IOException {
    copyPack(dir);
    Files.writeString(
        dir.resolve("text.drl"),
        """
        package org.plumbline.rules.pack;
        import org.plumbline.rules.DriftFacts;
        import org.plumbline.rules.pack.AssessmentDraft;
        rule "finding: owned by ops"
        when
            $a : AssessmentDraft( )
            DriftFacts( toString().contains( "ops" ) )
        then
            modify( $a ) { addFinding( "OPS" ) }
        end
        """);
    RulePack text = RulePack.compile(dir);
    assertEquals(List.copyOf(RuleInputs.MEMBERS.keySet()), text.visibleMembers());
  }

  @Provide
  Arbitrary<DriftFacts> fleetDrifts() {
    return Arbitraries.longs().map(RuleInputsTest::fleetDrift);
  }

  /** A drift of a fleet: key names, values, times and ids drawn from wide ranges. */
  private static DriftFacts fleetDrift(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] prefixes = {
      "guardrails.",
      "security.",
      "network.",
      "llm.",
      "model.",
      "prompt.",
      "flags.",
      "retrieval.",
      "service.",
      "custom.",
      "embedding.",
      "routing.",
      "gpu."
    };
    String[] suffixes = {"enabled", "model", "version", "replicas", "budget", "threshold", "x"};
    String key =
        r.nextInt(10) == 0
            ? "model.version"
            : prefixes[r.nextInt(prefixes.length)]
                + (r.nextBoolean() ? "p" + r.nextInt(1000) + "." : "")
                + suffixes[r.nextInt(suffixes.length)];
    String expected = value(r);
    String actual = value(r);
    List<String> trail = new ArrayList<>();
    double start = 0.5 + r.nextInt(100) / 100.0;
    for (int i = r.nextInt(4); i > 0; i--) {
      start = start * (1 - r.nextInt(12) / 100.0);
      trail.add(Double.toString(start));
    }
    trail.add(actual == null ? "null" : actual);
    if (r.nextInt(4) == 0) {
      expected = Double.toString(0.5 + r.nextInt(100) / 100.0);
    }
    Tier tier = Tier.values()[r.nextInt(Tier.values().length)];
    Instant observed = Instant.parse("2026-06-01T00:00:00Z").plusSeconds(r.nextInt(10_000_000));
    Instant detected = observed.minusSeconds(r.nextInt(6_000_000));
    List<String> requests = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      requests.add("CR-" + r.nextInt(100_000));
    }
    return new DriftFacts(
        "env-" + r.nextInt(1000),
        tier,
        "team-" + r.nextInt(50),
        key,
        expected,
        actual,
        trail,
        detected,
        observed,
        r.nextBoolean() ? List.of() : List.of("env-" + r.nextInt(1000)),
        r.nextBoolean() ? List.of() : List.of("k" + r.nextInt(1000)),
        List.copyOf(requests),
        null);
  }

  private static String value(SplittableRandom r) {
    return switch (r.nextInt(9)) {
      case 0 -> null;
      case 1 -> "true";
      case 2 -> "false";
      case 3 -> "\"gpt-4o\"";
      case 4 -> "\"gpt-4o-2024-0" + (1 + r.nextInt(9)) + "-06\"";
      case 5 -> "\"model-" + r.nextInt(1000) + "-latest\"";
      case 6 -> "\"text-" + r.nextInt(1000) + "\"";
      default -> Integer.toString(r.nextInt(100_000));
    };
  }

  private static DriftFacts fleetDrift(
      Tier tier,
      String key,
      String expected,
      String actual,
      int daysStanding,
      String environment,
      String request) {
    Instant observed = Instant.parse("2026-11-20T10:00:00Z");
    return new DriftFacts(
        environment,
        tier,
        "owner-" + environment,
        key,
        expected,
        actual,
        List.of(actual),
        observed.minus(Duration.ofDays(daysStanding)),
        observed,
        List.of(environment + "-b"),
        List.of(),
        request == null ? List.of() : List.of(request),
        null);
  }

  private static java.util.Map<String, byte[]> packFiles(Path dir) {
    java.util.Map<String, byte[]> out = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".drl") || name.endsWith(".drl.csv")) {
          out.put(name, Files.readAllBytes(f));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  @Test
  void aPackThatReadsTheBlastRadiusIsAnsweredByIt(@TempDir Path dir) throws IOException {
    copyPack(dir);
    Files.writeString(
        dir.resolve("wide.drl"),
        """
        package org.plumbline.rules.pack;
        import org.plumbline.rules.DriftFacts;
        import org.plumbline.rules.pack.AssessmentDraft;
        rule "finding: wide"
        when
            $a : AssessmentDraft( )
            DriftFacts( blastRadius.size() > 1 )
        then
            modify( $a ) { addFinding( "WIDE" ) }
        end
        """);
    RulePack wide = RulePack.compile(dir);
    assertTrue(wide.visibleMembers().contains("blastRadius"), wide.visibleMembers()::toString);
    DriftFacts narrow = drift(Tier.PROD, "llm.temperature", List.of());
    DriftFacts broad = drift(Tier.PROD, "llm.temperature", List.of("a", "b"));
    assertFalse(wide.assess(narrow).findings().contains("WIDE"));
    assertTrue(wide.assess(broad).findings().contains("WIDE"));
    assertFalse(wide.assess(narrow).findings().contains("WIDE"));
  }

  @Test
  void aRuleHoldingTheWholeFactSeesEveryMember(@TempDir Path dir) throws IOException {
    copyPack(dir);
    Files.writeString(
        dir.resolve("owned.drl"),
        """
        package org.plumbline.rules.pack;
        import org.plumbline.rules.DriftFacts;
        import org.plumbline.rules.pack.AssessmentDraft;
        rule "finding: owned by ops"
        when
            $a : AssessmentDraft( )
            $f : DriftFacts( )
            eval( "ops".equals( $f.owner() ) )
        then
            modify( $a ) { addFinding( "OPS" ) }
        end
        """);
    RulePack owned = RulePack.compile(dir);
    assertEquals(List.copyOf(RuleInputs.MEMBERS.keySet()), owned.visibleMembers());
    DriftFacts theirs = drift(Tier.DEV, "llm.temperature", List.of());
    DriftFacts ops =
        new DriftFacts(
            theirs.environment(),
            theirs.tier(),
            "ops",
            theirs.key(),
            theirs.expected(),
            theirs.actual(),
            theirs.trail(),
            theirs.detectedAt(),
            theirs.observedAt(),
            theirs.blastRadius(),
            theirs.reevaluate(),
            theirs.changeRequests(),
            null);
    assertFalse(owned.assess(theirs).findings().contains("OPS"));
    assertTrue(owned.assess(ops).findings().contains("OPS"));
  }

  @Test
  void aPackThatReadsTheClockIsNeverRemembered(@TempDir Path dir) throws IOException {
    copyPack(dir);
    Files.writeString(
        dir.resolve("clock.drl"),
        """
        package org.plumbline.rules.pack;
        import org.plumbline.rules.DriftFacts;
        import org.plumbline.rules.pack.AssessmentDraft;
        rule "finding: late"
        when
            $a : AssessmentDraft( )
            DriftFacts( detectedAt.isBefore( java.time.Instant.now() ) )
        then
            modify( $a ) { addFinding( "LATE" ) }
        end
        """);
    RulePack clock = RulePack.compile(dir);
    assertEquals(List.of(), clock.visibleMembers());
    DriftFacts d = drift(Tier.DEV, "llm.temperature", List.of());
    assertEquals(clock.assessFiring(d), clock.assess(d));
    assertNotEquals(List.of(), clock.assess(d).findings());
  }

  @Provide
  Arbitrary<DriftFacts> drifts() {
    return Arbitraries.longs().map(RuleInputsTest::drift);
  }

  /** A drift drawn from few keys, values, instants and lists, so that drifts often coincide. */
  private static DriftFacts drift(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] keys = {
      "guardrails.toxicity.threshold",
      "guardrails.enabled",
      "guardrails.pii.enabled",
      "security.tls.enabled",
      "llm.temperature",
      "llm.max_tokens",
      "model.version",
      "embedding.model",
      "flags.new_ui",
      "service.replicas",
      "prompt.system",
      "custom.setting",
      "metrics.output.length"
    };
    String[] values = {
      "0.8",
      "0.7",
      "0.75",
      "0.72",
      "true",
      "false",
      "\"gpt-4o\"",
      "\"gpt-4o-2024-08-06\"",
      "\"latest\"",
      "\"text-embedding-3-large\"",
      "3",
      "5",
      null
    };
    Instant base = Instant.parse("2026-06-01T00:00:00Z");
    Instant detected = base.plus(Duration.ofDays(r.nextInt(3) * 20L));
    Instant observed = detected.plus(Duration.ofDays(r.nextInt(3) * 20L));
    String expected = values[r.nextInt(values.length)];
    String actual = values[r.nextInt(values.length)];
    List<String> trail = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      trail.add(values[r.nextInt(4)]);
    }
    trail.add(actual == null ? "null" : actual);
    Tier tier = Tier.values()[r.nextInt(Tier.values().length)];
    String key = keys[r.nextInt(keys.length)];
    MetricEvidence metric =
        key.startsWith("metrics.") && r.nextBoolean()
            ? new MetricEvidence(
                "output.length",
                MetricKind.CONTINUOUS,
                "2026-05",
                "2026-06",
                0.3,
                0.01,
                0.25,
                EffectSize.values()[r.nextInt(EffectSize.values().length)],
                3)
            : null;
    StaleObservation stale =
        metric == null && r.nextInt(8) == 0
            ? new StaleObservation(detected, Duration.ofDays(1), observed)
            : null;
    return new DriftFacts(
        "env-" + r.nextInt(3),
        tier,
        r.nextBoolean() ? "team-" + r.nextInt(2) : null,
        key,
        expected,
        actual,
        trail,
        detected,
        observed,
        r.nextBoolean() ? List.of() : List.of("env-a"),
        r.nextBoolean() ? List.of() : List.of("llm.temperature"),
        r.nextInt(3) == 0 ? List.of("CR-1") : List.of(),
        metric,
        stale);
  }

  private static DriftFacts drift(Tier tier, String key, List<String> blastRadius) {
    Instant at = Instant.parse("2026-11-20T10:00:00Z");
    return new DriftFacts(
        "env",
        tier,
        "owner",
        key,
        "0.3",
        "0.7",
        List.of("0.7"),
        at,
        at,
        blastRadius,
        List.of(),
        List.of(),
        null);
  }

  private static void copyPack(Path target) throws IOException {
    try (Stream<Path> files = Files.list(SHIPPED)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, target.resolve(file.getFileName().toString()));
      }
    }
  }
}
