package org.plumbline.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.loaders.Secrets;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.DispositionStatus;
import org.plumbline.ontology.ErrorCode;
import org.plumbline.ontology.GateOverride;
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
 * Overrides of gate denials over a real store and the shipped pack: approvals by tier with the
 * four-eyes rules of dispositions, the next answer ALLOW naming the override, only for the reasons
 * and the time it covers, and the commands' journal forms read back into the same commands.
 */
class GateOverridesTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final String PROMPT = "You are a careful support assistant.";
  private static final Caller CI = new Caller("ci", Set.of("loader"));
  private static final Caller OPS = new Caller("olga", Set.of("operator"));
  private static final Caller ANA = new Caller("ana", Set.of("approver"));
  private static final Caller BEN = new Caller("ben", Set.of("approver"));
  private static final Caller MIA = new Caller("mia", Set.of("model-risk"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RulePack shipped;

  private GraphStore store;
  private SettableClock clock;
  private Governor governor;
  private Inputs inputs;

  @BeforeAll
  static void compile() {
    shipped = RulePack.compile(Path.of("../rules/packs/default"));
  }

  @BeforeEach
  void open() {
    store = GraphStore.inMemory();
    clock = new SettableClock(T0);
    governor = new Governor(store, () -> shipped, clock);
    inputs = new Inputs(ParseLimits.DEFAULT, Secrets.ephemeral());
    post("support-prod", "PROD");
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void post(String env, String tier) {
    String bp =
        """
        bundle: support
        version: 1.0.0
        environments:
          - { id: %s, tier: %s, owner: team-cx, system: support }
        config:
          model: { version: gpt-4o-2024-08-06 }
          prompt: { system: "%s" }
        """
            .formatted(env, tier, PROMPT);
    governor.execute(inputs.blueprint(bp.getBytes(StandardCharsets.UTF_8), null, CI));
  }

  private PromotionGates.Outcome ask(String env) {
    return governor.execute(
        new Command.DecidePromotion(PromotionGates.Question.stored("support", "1.0.0", env), CI));
  }

  private GateOverride request(String env, Duration lasting) {
    return governor.execute(
        new Command.RequestGateOverride(
            env, "support", "1.0.0", "hotfix for INC-42", T0.plus(lasting), OPS));
  }

  private GateOverride approve(String id, Caller who, String meaning) {
    return governor.execute(new Command.ApproveGateOverride(id, meaning, null, who));
  }

  @Test
  void aProdDenialNeedsTwoOtherApproversThenTheNextAnswerAllowsNamingTheOverride() {
    PromotionGates.Outcome denied = ask("support-prod");
    assertEquals(PromotionDecision.Outcome.DENY, denied.decision().decision());
    GateOverride o = request("support-prod", Duration.ofDays(2));
    assertEquals(DispositionStatus.PENDING, o.status());
    assertEquals(2, o.requiredApprovals());
    assertEquals(denied.auditSeq(), o.deniedSeq());
    assertEquals(
        List.of("NO_CHANGE_WINDOW", "PROMPT_NOT_EVALUATED"),
        o.overridden().stream().map(GateOverride.Reason::code).toList());

    refused(
        RuleError.SELF_APPROVAL,
        () -> approve(o.id(), new Caller("olga", Set.of("approver")), "approved"));
    refused(RuleError.MEANING_NOT_ALLOWED, () -> approve(o.id(), ANA, "fine by me"));
    refused(
        RuleError.NOT_AN_APPROVER,
        () -> approve(o.id(), new Caller("oscar", Set.of("operator")), "approved"));
    refused(RuleError.GATE_OVERRIDE_CONFLICT, () -> request("support-prod", Duration.ofDays(1)));
    assertEquals(1, approve(o.id(), ANA, "approved").approvalCount());
    refused(RuleError.DUPLICATE_APPROVAL, () -> approve(o.id(), ANA, "approved"));
    assertEquals(PromotionDecision.Outcome.DENY, ask("support-prod").decision().decision());

    GateOverride approved = approve(o.id(), BEN, "approved");
    assertEquals(DispositionStatus.APPROVED, approved.status());
    PromotionGates.Outcome allowed = ask("support-prod");
    assertEquals(PromotionDecision.Outcome.ALLOW, allowed.decision().decision());
    assertTrue(allowed.decision().reasons().isEmpty());
    assertEquals(o.id(), allowed.override().id());
    assertEquals(
        List.of("NO_CHANGE_WINDOW", "PROMPT_NOT_EVALUATED"),
        allowed.overridden().stream().map(GateReason::code).toList());
    JsonNode detail = detail(allowed.auditSeq());
    assertEquals("ALLOW", detail.get("decision").asText());
    assertEquals(o.id(), detail.at("/override/id").asText());
    assertEquals("ana", detail.at("/override/approvedBy/0").asText());
    assertEquals(2, detail.get("overridden").size());

    List<String> actions =
        store.read(r -> r.audit("support-prod", T0, T0.plusSeconds(1))).stream()
            .map(AuditRecord::action)
            .toList();
    assertTrue(
        actions.containsAll(
            List.of(GateOverrides.REQUESTED, GateOverrides.SIGNED, GateOverrides.APPROVED)),
        actions.toString());

    // it covers what was denied, for as long as it lasts
    clock.advance(Duration.ofDays(2));
    PromotionGates.Outcome after = ask("support-prod");
    assertEquals(PromotionDecision.Outcome.DENY, after.decision().decision());
    assertNull(after.override());
  }

  @Test
  void aDenialForAReasonTheOverrideDoesNotCoverStands() {
    ask("support-prod");
    GateOverride o = request("support-prod", Duration.ofDays(1));
    approve(o.id(), ANA, "approved");
    approve(o.id(), BEN, "approved");
    // an evaluation with another model: MODEL_MISMATCH replaces PROMPT_NOT_EVALUATED
    governor.execute(
        new Command.RegisterPrompt(
            new PromptVersion(
                "support-test",
                "1.0.0",
                PROMPT,
                "sha256:" + Hashing.sha256Hex(PROMPT),
                "gpt-4o-2024-05-13",
                0.95,
                "suite",
                T0),
            null,
            CI));
    PromotionGates.Outcome a = ask("support-prod");
    assertEquals(PromotionDecision.Outcome.DENY, a.decision().decision());
    assertTrue(a.decision().reasons().stream().anyMatch(r -> r.code().equals("MODEL_MISMATCH")));
  }

  @Test
  void aRegulatedOverrideIsCompletedByModelRisk() {
    store.close();
    store = GraphStore.inMemory();
    governor = new Governor(store, () -> shipped, clock);
    post("support-reg", "REGULATED");
    ask("support-reg");
    GateOverride o = request("support-reg", Duration.ofDays(1));
    assertTrue(o.approverRoles().contains("model-risk"), o.toString());
    approve(o.id(), ANA, "approved");
    refused(RuleError.MODEL_RISK_APPROVAL_REQUIRED, () -> approve(o.id(), BEN, "approved"));
    assertEquals(
        DispositionStatus.APPROVED, approve(o.id(), MIA, "approved as model-risk owner").status());
    assertEquals(PromotionDecision.Outcome.ALLOW, ask("support-reg").decision().decision());
  }

  @Test
  void aRejectedOverrideChangesNothing() {
    ask("support-prod");
    GateOverride p = request("support-prod", Duration.ofDays(1));
    refused(
        RuleError.SELF_APPROVAL,
        () ->
            governor.execute(
                new Command.RejectGateOverride(
                    p.id(), "no", new Caller("olga", Set.of("approver")))));
    GateOverride rejected =
        governor.execute(new Command.RejectGateOverride(p.id(), "no incident", ANA));
    assertEquals(DispositionStatus.REJECTED, rejected.status());
    refused(RuleError.ILLEGAL_TRANSITION, () -> approve(p.id(), BEN, "approved"));
    assertEquals(PromotionDecision.Outcome.DENY, ask("support-prod").decision().decision());
  }

  @Test
  void refusalsAreCodedAndStoreNothing() {
    refused(RuleError.NOTHING_TO_OVERRIDE, () -> request("support-prod", Duration.ofDays(1)));
    ask("support-prod");
    refused(RuleError.EXCEPTION_TOO_LONG, () -> request("support-prod", Duration.ofDays(15)));
    refused(RuleError.INVALID_GATE_OVERRIDE, () -> request("support-prod", Duration.ZERO));
    refused(
        RuleError.INVALID_GATE_OVERRIDE,
        () ->
            governor.execute(
                new Command.RequestGateOverride(
                    "support-prod", "support", "1.0.0", " ", T0.plusSeconds(60), OPS)));
    refused(
        StoreError.UNKNOWN_ENVIRONMENT,
        () ->
            governor.execute(
                new Command.RequestGateOverride(
                    "nowhere", "support", "1.0.0", "x", T0.plusSeconds(60), OPS)));
    refused(RuleError.GATE_OVERRIDE_NOT_FOUND, () -> approve("G-nope", ANA, "approved"));
    assertTrue(store.read(r -> r.gateOverrides("support-prod")).isEmpty());
  }

  @Test
  void theCommandsReadBackFromTheJournal() throws Exception {
    List<Command<?>> commands =
        List.of(
            new Command.RequestGateOverride(
                "support-prod", "support", "1.0.0", "why", T0.plusSeconds(60), OPS),
            new Command.ApproveGateOverride("G-1", "approved", "ok", ANA),
            new Command.RejectGateOverride("G-1", "no", ANA));
    for (Command<?> c : commands) {
      Command.Journaled j = c.journaled();
      Command<?> back =
          inputs.fromJournal(
              new InputJournal.Entry(
                  1, T0, c.caller().user(), "approver", j.kind(), j.contentType(), "x"),
              j.body());
      assertEquals(c.getClass(), back.getClass());
      assertEquals(JSON.readTree(j.body()), JSON.readTree(back.journaled().body()), j.kind());
    }
  }

  private JsonNode detail(long seq) {
    try {
      return JSON.readTree(store.read(r -> r.auditRecord(seq)).orElseThrow().detail());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void refused(ErrorCode code, Runnable r) {
    PlumblineException e = assertThrows(PlumblineException.class, r::run);
    assertEquals(code, e.code(), e.getMessage());
  }
}
