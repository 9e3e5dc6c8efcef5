package org.plumbline.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.BundleVersion;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.GateOverride;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.rules.PromotionDecision;
import org.plumbline.rules.PromotionFacts;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.RulePack;
import org.plumbline.rules.pack.GateChangeWindow;
import org.plumbline.rules.pack.GateDrift;
import org.plumbline.rules.pack.GateFacts;
import org.plumbline.rules.pack.GateMetric;
import org.plumbline.rules.pack.GatePrompt;
import org.plumbline.rules.pack.GateReason;

/**
 * Promotion gates (CONTRACT section 7): may this bundle version go to this environment now? The
 * facts come from the store (validation, registered prompt versions, active drifts, metric status,
 * change windows, the environment's TTL), the answer from the active rule pack's gate rules, and
 * every answer is audited as {@code gate.decided} with the facts it rested on.
 */
public final class PromotionGates {
  /** The audit action of a decision. */
  public static final String DECIDED = "gate.decided";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final Supplier<RulePack> rulePack;
  private final Clock clock;

  PromotionGates(Supplier<RulePack> rulePack, Clock clock) {
    this.rulePack = Objects.requireNonNull(rulePack, "rulePack");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What is asked: a stored version ({@code candidate} null), or a candidate that is not stored
   * (its own bundle and version then).
   *
   * @param mayValidate whether the candidate's own {@code validated} block counts (the asker may
   *     record validations); a stored version's validation always counts
   */
  public record Question(
      String bundle, String version, String environment, Blueprint candidate, boolean mayValidate) {
    public Question {
      Objects.requireNonNull(environment, "environment");
      if (candidate != null) {
        bundle = candidate.bundle();
        version = candidate.version();
      }
      Objects.requireNonNull(bundle, "bundle");
      Objects.requireNonNull(version, "version");
    }

    public static Question stored(String bundle, String version, String environment) {
      return new Question(bundle, version, environment, null, false);
    }

    public static Question candidate(Blueprint blueprint, String environment, boolean mayValidate) {
      return new Question(null, null, environment, blueprint, mayValidate);
    }
  }

  /**
   * A decision and the sequence number of its {@code gate.decided} audit record.
   *
   * @param override the approved override that turned the pack's DENY into this ALLOW, or null
   * @param overridden the reasons of the pack's DENY that the override covered (empty without one)
   */
  public record Outcome(
      String bundle,
      String version,
      String environment,
      boolean candidate,
      PromotionDecision decision,
      long auditSeq,
      Instant decidedAt,
      GateOverride override,
      List<GateReason> overridden) {
    public Outcome {
      overridden = List.copyOf(overridden);
    }
  }

  /**
   * Gathers the facts, asks the pack and audits the answer, in the governor's transaction. A DENY
   * that an approved, unexpired override covers ({@link GateOverrides#covering}) is answered ALLOW,
   * naming the override and the reasons it covered.
   */
  Outcome decide(StoreWriter w, Question q, String actor) {
    Instant now = clock.instant();
    PromotionFacts facts = facts(w, q, now);
    PromotionDecision d = rulePack.get().decidePromotion(facts);
    String contentHash =
        q.candidate() != null ? q.candidate().contentHash() : storedVersion(w, q).contentHash();
    GateOverride override =
        d.allowed()
            ? null
            : GateOverrides.covering(
                    w, q.environment(), q.bundle(), q.version(), contentHash, d.reasons(), now)
                .orElse(null);
    List<GateReason> overridden = override == null ? List.of() : d.reasons();
    PromotionDecision answer =
        override == null
            ? d
            : new PromotionDecision(
                PromotionDecision.Outcome.ALLOW, List.of(), d.firedRules(), d.rulePackVersion());
    AuditRecord record =
        w.appendAudit(
            now,
            actor,
            DECIDED,
            q.environment(),
            q.bundle() + "@" + q.version(),
            detail(q, contentHash, facts, answer, override, overridden));
    return new Outcome(
        q.bundle(),
        q.version(),
        q.environment(),
        q.candidate() != null,
        answer,
        record.seq(),
        now,
        override,
        overridden);
  }

  /**
   * The facts a gate rests on, read from the store.
   *
   * @throws PlumblineException {@link RuleError#UNKNOWN_BUNDLE_VERSION} for a stored version that
   *     is not, {@link StoreError#UNKNOWN_ENVIRONMENT} for an environment neither stored nor
   *     declared by the candidate
   */
  public static PromotionFacts facts(StoreReader r, Question q, Instant now) {
    Blueprint bp = q.candidate() != null ? q.candidate() : storedVersion(r, q);
    Optional<Environment> stored = r.environment(q.environment());
    String tier;
    String status;
    Instant expiresAt;
    if (stored.isPresent()) {
      tier = stored.get().tier().name();
      status = stored.get().status();
      expiresAt = stored.get().expiresAt();
    } else {
      EnvironmentSpec spec =
          (q.candidate() == null
                  ? Optional.<EnvironmentSpec>empty()
                  : bp.environment(q.environment()))
              .orElseThrow(
                  () ->
                      new PlumblineException(
                          StoreError.UNKNOWN_ENVIRONMENT,
                          "no environment '" + q.environment() + "' is registered",
                          List.of("environment: " + q.environment())));
      tier = spec.tier().name();
      status = "ACTIVE";
      expiresAt = spec.ttl() == null ? null : now.plus(spec.ttl());
    }
    FlatConfig declared = bp.expectedFor(q.environment());
    String prompt = text(declared.get(PromptRegistry.PROMPT_KEY));
    String promptHash = prompt == null ? null : "sha256:" + Hashing.sha256Hex(prompt);
    GateFacts gate =
        new GateFacts(
            q.bundle(),
            q.version(),
            q.environment(),
            tier,
            status,
            expiresAt,
            validated(r, q, bp),
            text(declared.get(PromptRegistry.MODEL_KEY)),
            promptHash,
            now,
            q.candidate() != null);
    List<GatePrompt> prompts =
        promptHash == null
            ? List.of()
            : r.promptVersionsWithHash(promptHash).stream()
                .map(p -> new GatePrompt(p.id(), p.version(), p.evalScore(), p.testedWithModel()))
                .toList();
    List<GateDrift> drifts =
        r.activeDrifts(q.environment()).stream()
            .map(
                d ->
                    new GateDrift(
                        d.id(),
                        d.key(),
                        d.assessment() == null ? null : d.assessment().severity().name(),
                        d.status().name()))
            .toList();
    List<GateMetric> metrics =
        r.metricSeriesOf(q.environment()).stream()
            .map(m -> new GateMetric(m.metric(), m.status()))
            .toList();
    List<GateChangeWindow> windows =
        r.changeRequests(q.environment()).stream()
            .filter(c -> c.until().isAfter(now))
            .map(c -> new GateChangeWindow(c.id(), c.from(), c.until(), c.approvedBy()))
            .toList();
    return new PromotionFacts(gate, prompts, drifts, metrics, windows);
  }

  private static Blueprint storedVersion(StoreReader r, Question q) {
    return r.blueprint(q.bundle(), q.version())
        .orElseThrow(
            () ->
                new PlumblineException(
                    RuleError.UNKNOWN_BUNDLE_VERSION,
                    "bundle '" + q.bundle() + "' has no stored version " + q.version(),
                    List.of("bundle: " + q.bundle(), "version: " + q.version())));
  }

  /**
   * A stored version's recorded validation counts; so does a candidate identical to a stored
   * validated version, or one whose own {@code validated} block the asker may record.
   */
  private static boolean validated(StoreReader r, Question q, Blueprint bp) {
    Optional<BundleVersion> stored =
        r.bundleVersions(q.bundle()).stream()
            .filter(v -> v.version().equals(q.version()))
            .findFirst();
    if (q.candidate() == null) {
      return stored.map(BundleVersion::validated).orElse(false);
    }
    boolean sameAsStored =
        stored.isPresent()
            && r.blueprint(q.bundle(), q.version())
                .map(b -> b.contentHash().equals(bp.contentHash()))
                .orElse(false);
    return (sameAsStored && stored.get().validated())
        || (q.mayValidate() && bp.validated() != null);
  }

  /** The decision and the facts it rested on, as the audit record's detail. */
  private static String detail(
      Question q,
      String contentHash,
      PromotionFacts f,
      PromotionDecision d,
      GateOverride override,
      List<GateReason> overridden) {
    ObjectNode o = JSON.createObjectNode();
    o.put("decision", d.decision().name());
    reasons(o.putArray("reasons"), d.reasons());
    if (override != null) {
      ObjectNode by = o.putObject("override");
      by.put("id", override.id());
      by.put("expiresAt", override.expiresAt().toString());
      ArrayNode approvers = by.putArray("approvedBy");
      GateOverrides.approvers(override).forEach(approvers::add);
      reasons(o.putArray("overridden"), overridden);
    }
    o.put("rulePackVersion", d.rulePackVersion());
    ArrayNode fired = o.putArray("firedRules");
    d.firedRules().forEach(fired::add);
    o.put("candidate", q.candidate() != null);
    o.put("contentHash", contentHash);
    o.set("facts", JSON.valueToTree(f));
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("gate facts always serialize", e);
    }
  }

  private static void reasons(ArrayNode into, List<GateReason> reasons) {
    for (GateReason r : reasons) {
      into.addObject()
          .put("code", r.code())
          .put("message", r.message())
          .put("subject", r.subject());
    }
  }

  /** A declared value as text: a JSON string's content, any other JSON value as written. */
  private static String text(String canonicalJson) {
    if (canonicalJson == null) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(canonicalJson);
      return node.isTextual() ? node.textValue() : canonicalJson;
    } catch (JsonProcessingException e) {
      return canonicalJson;
    }
  }
}
