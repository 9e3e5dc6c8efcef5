package org.plumbline.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.loaders.Secrets;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.PromptVersion;
import org.plumbline.ontology.StoreError;
import org.plumbline.rules.PromotionDecision;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.RulePack;
import org.plumbline.rules.pack.GateReason;

/**
 * The gate service over a real store and the shipped pack: facts gathered from the store, the
 * decision audited as gate.decided with the facts, a candidate never stored, and the command's
 * journal form read back into the same question.
 */
class PromotionGatesTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final String PROMPT = "You are a careful support assistant.";
  private static final Caller CI = new Caller("ci", Set.of("loader"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RulePack shipped;

  private GraphStore store;
  private Governor governor;
  private Inputs inputs;

  @BeforeAll
  static void compile() {
    shipped = RulePack.compile(Path.of("../rules/packs/default"));
  }

  @BeforeEach
  void open() {
    store = GraphStore.inMemory();
    governor = new Governor(store, () -> shipped, Clock.fixed(T0, ZoneOffset.UTC));
    inputs = new Inputs(ParseLimits.DEFAULT, Secrets.ephemeral());
    governor.execute(inputs.blueprint(utf8(blueprint("1.0.0", "gpt-4o-2024-08-06")), null, CI));
  }

  @AfterEach
  void close() {
    store.close();
  }

  static String blueprint(String version, String model) {
    return """
        bundle: support
        version: %s
        environments:
          - { id: support-prod, tier: PROD, owner: team-cx, system: support }
        config:
          model: { version: %s }
          prompt: { system: "%s" }
        """
        .formatted(version, model, PROMPT);
  }

  private PromotionGates.Outcome ask(String version) {
    return governor.execute(
        new Command.DecidePromotion(
            PromotionGates.Question.stored("support", version, "support-prod"), CI));
  }

  @Test
  void aBareProdPromotionIsDeniedForItsPromptAndWindowAndTheDecisionIsAudited() {
    PromotionGates.Outcome o = ask("1.0.0");
    assertEquals(PromotionDecision.Outcome.DENY, o.decision().decision());
    assertEquals(
        List.of("NO_CHANGE_WINDOW", "PROMPT_NOT_EVALUATED"),
        o.decision().reasons().stream().map(GateReason::code).toList());
    AuditRecord record = store.read(r -> r.auditRecord(o.auditSeq())).orElseThrow();
    assertEquals(PromotionGates.DECIDED, record.action());
    assertEquals("support-prod", record.environment());
    assertEquals("support@1.0.0", record.subject());
    assertEquals("ci", record.actor());
    JsonNode detail = read(record.detail());
    assertEquals("DENY", detail.get("decision").asText());
    assertEquals(shipped.version(), detail.get("rulePackVersion").asText());
    assertEquals("PROD", detail.at("/facts/gate/tier").asText());
    assertEquals(
        "sha256:" + Hashing.sha256Hex(PROMPT), detail.at("/facts/gate/promptHash").asText());
    assertEquals("gpt-4o-2024-08-06", detail.at("/facts/gate/model").asText());
  }

  @Test
  void anEvaluatedPromptAndAnOpenWindowAllow() {
    register("1.0.0", 0.92, "gpt-4o-2024-08-06");
    window();
    PromotionGates.Outcome o = ask("1.0.0");
    assertEquals(PromotionDecision.Outcome.ALLOW, o.decision().decision(), o.toString());
    assertTrue(o.decision().reasons().isEmpty());
    assertEquals(1, read(audit(o).detail()).at("/facts/prompts").size());
  }

  @Test
  void aCandidateWithAnotherModelIsDeniedAndNeverStored() throws Exception {
    register("1.0.0", 0.92, "gpt-4o-2024-08-06");
    window();
    Command.DecidePromotion c =
        inputs.candidateGate(utf8(blueprint("1.1.0", "gpt-4o-2024-11-20")), "support-prod", CI);
    PromotionGates.Outcome o = governor.execute(c);
    assertTrue(o.candidate());
    assertEquals("1.1.0", o.version());
    assertEquals(
        List.of("MODEL_MISMATCH"), o.decision().reasons().stream().map(GateReason::code).toList());
    assertEquals("support-test@1.0.0", o.decision().reasons().get(0).subject());
    assertEquals(1, store.read(r -> r.bundleVersions("support")).size());
    assertTrue(read(audit(o).detail()).get("candidate").asBoolean());

    // The journal form reads back into the same question (rebuild replays it).
    Command.Journaled j = c.journaled();
    assertEquals("gate.decide", j.kind());
    Command<?> back =
        inputs.fromJournal(
            new InputJournal.Entry(1, T0, "ci", "loader", j.kind(), j.contentType(), "x"),
            j.body());
    Command.DecidePromotion replayed = (Command.DecidePromotion) back;
    assertEquals(
        c.question().candidate().contentHash(), replayed.question().candidate().contentHash());
    assertEquals("support-prod", replayed.question().environment());
    assertEquals(o.decision().reasons(), governor.execute(replayed).decision().reasons());
  }

  @Test
  void aStoredQuestionReadsBackFromTheJournal() throws Exception {
    Command.DecidePromotion c =
        new Command.DecidePromotion(
            PromotionGates.Question.stored("support", "1.0.0", "support-prod"), CI);
    Command.Journaled j = c.journaled();
    Command.DecidePromotion back =
        (Command.DecidePromotion)
            inputs.fromJournal(
                new InputJournal.Entry(1, T0, "ci", "loader", j.kind(), j.contentType(), "x"),
                j.body());
    assertEquals(c.question(), back.question());
    assertFalse(back.question().mayValidate());
  }

  @Test
  void unknownVersionsAndEnvironmentsAreCodedErrors() {
    PlumblineException v = assertThrows(PlumblineException.class, () -> ask("9.9.9"));
    assertEquals(RuleError.UNKNOWN_BUNDLE_VERSION, v.code());
    PlumblineException e =
        assertThrows(
            PlumblineException.class,
            () ->
                governor.execute(
                    new Command.DecidePromotion(
                        PromotionGates.Question.stored("support", "1.0.0", "nowhere"), CI)));
    assertEquals(StoreError.UNKNOWN_ENVIRONMENT, e.code());
  }

  private void register(String version, double score, String model) {
    governor.execute(
        new Command.RegisterPrompt(
            new PromptVersion(
                "support-test",
                version,
                PROMPT,
                "sha256:" + Hashing.sha256Hex(PROMPT),
                model,
                score,
                "suite",
                T0),
            null,
            CI));
  }

  private void window() {
    governor.ingestChangeRequests(
        List.of(
            new ChangeRequest(
                "CR-1",
                "support-prod",
                List.of("*"),
                T0.minusSeconds(3600),
                T0.plusSeconds(3600),
                "CAB")),
        "ci");
  }

  private AuditRecord audit(PromotionGates.Outcome o) {
    return store.read(r -> r.auditRecord(o.auditSeq())).orElseThrow();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
