package org.plumbline.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.plumbline.governance.Caller;
import org.plumbline.governance.SettableClock;
import org.plumbline.server.PlumblineServer;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.write.WritePath;

/**
 * A realistic demo world: three systems across all four tiers, 120 days of daily snapshots ending
 * now and twelve weeks of behavioural metrics, with the incidents governance teams meet. Everything
 * goes through the real parsers and the real governed write path.
 */
public final class DemoWorld {
  static final int DAYS = 120;

  /** Demo tokens: documented in the README; never use them outside a demo. */
  public static final List<ServerConfig.Token> TOKENS =
      List.of(
          token("demo-viewer-token", "victor", "viewer"),
          token("demo-loader-token", "ci-loader", "loader"),
          token("demo-operator-token", "alice", "operator"),
          token("demo-approver-token", "bob", "approver", "model-risk"),
          token("demo-approver2-token", "carol", "approver"),
          token("demo-auditor-token", "dana", "auditor"),
          token("demo-admin-token", "admin", "admin"));

  private static final ObjectMapper JSON = new ObjectMapper();

  private DemoWorld() {}

  private static ServerConfig.Token token(String t, String user, String... roles) {
    return new ServerConfig.Token(t, user, java.util.Set.of(roles));
  }

  /**
   * The demo's blueprints and prompt versions are files, as a team keeps them in git
   * (server/src/main/resources/org/plumbline/server/demo/). Each bundle's second version adds an
   * environment: credit-model 2.3.1 a development environment with overrides (not validated),
   * fraud-model 1.9.0 a one-week experiment that nobody extends (it expires), support-chatbot 4.2.0
   * a development environment for a month. credit-model 2.3.0's validation instant is filled in.
   */
  static final String CREDIT_MODEL = document("credit-model-2.3.0.yaml");

  static final String CREDIT_MODEL_WITH_DEV = document("credit-model-2.3.1.yaml");
  static final String FRAUD_MODEL = document("fraud-model-1.8.0.yaml");
  static final String FRAUD_MODEL_WITH_EXPERIMENT = document("fraud-model-1.9.0.yaml");
  static final String SUPPORT_CHATBOT = document("support-chatbot-4.1.0.yaml");
  static final String SUPPORT_CHATBOT_WITH_DEV = document("support-chatbot-4.2.0.yaml");

  private static String document(String name) {
    try (java.io.InputStream in = DemoWorld.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the demo document " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Instant historyEnd(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
  }

  /**
   * Where the demo's history begins. The server records its start-up (the rule pack's activation)
   * at this instant when it starts on an empty store for the demo: the ledger's instants never go
   * back, so a start-up record dated now would date every record of the history now as well.
   */
  public static Instant historyStart(Clock clock) {
    return historyEnd(clock).minus(Duration.ofDays(DAYS)).minus(Duration.ofHours(1));
  }

  /**
   * Loads the world as it happened: a history clock walks through the 120 days, so bundle versions,
   * registrations, drifts and audit records carry the instants they would have had, and time travel
   * queries answer from the versions in effect then. {@code progress} hears a line per step.
   */
  public static void load(PlumblineServer server, Clock clock, Consumer<String> progress) {
    Instant end = historyEnd(clock);
    Instant start = historyStart(clock);
    SettableClock history = new SettableClock(start);
    // Through the server's own write path, on the history clock: every input is journaled at the
    // instant it would have had, so plumbline rebuild reproduces a demo store.
    WritePath writes = server.writes().at(history);
    Consumer<String> publish =
        yaml -> writes.ingestBlueprint(utf8(yaml), "application/yaml", GOVERNANCE);
    publish.accept(
        CREDIT_MODEL.formatted(start.minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.DAYS)));
    publish.accept(FRAUD_MODEL);
    publish.accept(SUPPORT_CHATBOT);
    Random random = new Random(20261120L);
    int count = 0;
    int samples = 0;
    for (int daysAgo = DAYS - 1; daysAgo >= 0; daysAgo--) {
      Instant at = end.minus(Duration.ofDays(daysAgo));
      history.set(at.minus(Duration.ofMinutes(30)));
      // Later bundle versions arrive on the day their environments start to exist.
      switch (daysAgo) {
        case 30 -> publish.accept(FRAUD_MODEL_WITH_EXPERIMENT);
        case 20 -> publish.accept(SUPPORT_CHATBOT_WITH_DEV);
        case 10 -> publish.accept(CREDIT_MODEL_WITH_DEV);
        default -> {}
      }
      List<byte[]> day = new ArrayList<>();
      for (ObjectNode s : snapshotsOf(daysAgo, at)) {
        day.add(utf8(s.toString()));
      }
      history.set(at.plus(Duration.ofMinutes(5)));
      writes.ingestSnapshotBatch(day, LOADER);
      count += day.size();
      // The last METRIC_WEEKS + 1 weeks end on this day of the week: post that week's metrics.
      if (daysAgo % 7 == 0 && daysAgo / 7 <= METRIC_WEEKS) {
        history.set(at.plus(Duration.ofMinutes(10)));
        for (ObjectNode sample : metricsOfWeek(METRIC_WEEKS - daysAgo / 7, at, random)) {
          writes.ingestMetric(utf8(sample.toString()), LOADER);
          samples++;
        }
      }
    }
    progress.accept(
        "3 bundles, 6 versions, 8 environments, " + count + " snapshots over " + DAYS + " days");
    progress.accept(
        samples + " behavioural metric samples over " + METRIC_WEEKS + " weeks after a baseline");
    Instant validatedAt = start.minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.DAYS);
    for (String prompt : PROMPTS) {
      writes.registerPrompt(utf8(prompt.formatted(validatedAt)), EVALUATION);
    }
    progress.accept(PROMPTS.size() + " prompt versions registered");
    var expired = server.writes().expire();
    if (!expired.environmentsExpired().isEmpty()) {
      progress.accept("expired and listed for decommissioning: " + expired.environmentsExpired());
    }
  }

  /** Who the demo's inputs come from, as the journal records them. */
  private static final Caller GOVERNANCE =
      new Caller("demo-governance", java.util.Set.of("loader", "model-risk"));

  private static final Caller LOADER = new Caller("demo-loader", java.util.Set.of("loader"));
  private static final Caller EVALUATION =
      new Caller("demo-evaluation", java.util.Set.of("loader"));

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Weekly windows of behavioural metrics, after a baseline week. */
  static final int METRIC_WEEKS = 12;

  /**
   * One week of behavioural metrics of support-chatbot-prod, labelled by its ISO week ({@code
   * 2026-W46}) and posted at the end of the week (week 0 is the baseline): {@code output.length}
   * (tokens per answer) as usual for eight weeks, then growing week by week, which opens a drift in
   * the third week beyond threshold; {@code refusal.category} (why an answer was refused, "none"
   * for most) stable throughout. Drawn from {@code random}, which the caller seeds once and walks
   * week by week in order, so every demo shows the same numbers.
   */
  private static List<ObjectNode> metricsOfWeek(int week, Instant weekEnd, Random random) {
    // answers grow by these factors in the last four weeks (a prompt that invites detail)
    double[] growth = {1.15, 1.22, 1.3, 1.36};
    boolean baseline = week == 0;
    LocalDate start = LocalDate.ofInstant(weekEnd.minus(Duration.ofDays(7)), ZoneOffset.UTC);
    String label =
        String.format(
            Locale.ROOT,
            "%d-W%02d",
            start.get(IsoFields.WEEK_BASED_YEAR),
            start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    int fromEnd = METRIC_WEEKS - week; // 0 for the last week
    double scale = fromEnd < growth.length ? growth[growth.length - 1 - fromEnd] : 1.0;
    ObjectNode lengths = metric("output.length", "CONTINUOUS", label, baseline);
    ArrayNode values = lengths.putArray("values");
    for (int i = 0; i < 250; i++) {
      values.add(Math.round(scale * Math.exp(Math.log(380) + 0.35 * random.nextGaussian())));
    }
    ObjectNode refusals = metric("refusal.category", "CATEGORICAL", label, baseline);
    ArrayNode categories = refusals.putArray("values");
    for (int i = 0; i < 400; i++) {
      double u = random.nextDouble();
      categories.add(u < 0.86 ? "none" : u < 0.93 ? "policy" : u < 0.97 ? "safety" : "off-topic");
    }
    return List.of(lengths, refusals);
  }

  private static ObjectNode metric(String metric, String kind, String window, boolean baseline) {
    ObjectNode s = JSON.createObjectNode();
    s.put("environment", "support-chatbot-prod");
    s.put("metric", metric);
    s.put("kind", kind);
    s.put("window", window);
    s.put("baseline", baseline);
    return s;
  }

  /**
   * The prompt registry: the credit prompt as validated and as staging edited it, both evaluated
   * with the pinned model, and the fraud prompt evaluated with the model that fraud-model now runs
   * only under an alias. Each has its verification instant filled in.
   */
  static final List<String> PROMPTS =
      List.of(
          document("credit-assistant-2.3.0.json"),
          document("credit-assistant-2.4.0-rc.1.json"),
          document("fraud-classifier-1.8.0.json"));

  private static List<ObjectNode> snapshotsOf(int d, Instant at) {
    List<ObjectNode> out = new ArrayList<>();

    ObjectNode cp = credit(at, "credit-model-prod");
    if (d <= 110 && d > 95) {
      set(cp, "retrieval.top_k", 10); // tuned during an incident, reverted two weeks later
    }
    if (d <= 20) {
      set(cp, "llm.temperature", 0.7); // hot-patched during an incident, never reverted
    }
    out.add(snapshot("credit-model-prod", at, "collector/k8s", cp));

    ObjectNode cs = credit(at, "credit-model-staging");
    String[] prompts = {
      "You are a credit analyst assistant. Explain every decision with the factors used.",
      "You are a credit analyst assistant. Explain every decision with the factors used. Be concise.",
      "You are a senior credit analyst assistant. Explain decisions briefly.",
      "You are a senior credit analyst assistant. Explain decisions briefly; cite policy sections."
    };
    int edits = (d <= 70 ? 1 : 0) + (d <= 50 ? 1 : 0) + (d <= 25 ? 1 : 0);
    set(cs, "prompt.system", prompts[edits]); // the system prompt edited three times
    out.add(snapshot("credit-model-staging", at, "collector/k8s", cs));

    if (d <= 10) { // the dev environment exists for the last ten days only
      ObjectNode cd = credit(at, "credit-model-dev");
      set(cd, "llm.temperature", 0.7);
      set(cd, "deploy.replicas", 1);
      out.add(snapshot("credit-model-dev", at, "collector/k8s", cd));
    }

    ObjectNode fp = fraud(at, "fraud-model-prod");
    if (d <= 35) {
      set(fp, "model.version", "claude-3-5-sonnet-latest"); // pinned to an alias
    }
    out.add(snapshot("fraud-model-prod", at, "collector/litellm", fp));

    ObjectNode fs = fraud(at, "fraud-model-staging");
    if (d <= 40) {
      set(fs, "model.version", "claude-3-5-sonnet-latest");
    }
    if (d <= 10) {
      set(fs, "guardrails.enabled", false); // disabled "for a load test"
    }
    out.add(snapshot("fraud-model-staging", at, "collector/litellm", fs));

    if (d <= 30 && d >= 24) { // a one-week experiment with a lower threshold, then abandoned
      ObjectNode fx = fraud(at, "fraud-model-experiment");
      set(fx, "guardrails.toxicity.threshold", 0.85);
      out.add(snapshot("fraud-model-experiment", at, "collector/litellm", fx));
    }

    ObjectNode sp = chatbot(at, "support-chatbot-prod");
    double threshold = d <= 15 ? 0.70 : d <= 30 ? 0.72 : d <= 45 ? 0.74 : d <= 60 ? 0.77 : 0.8;
    set(sp, "guardrails.toxicity.threshold", threshold); // relaxed in small steps
    if (d <= 100) {
      set(sp, "flags.new_checkout_flow", true); // a flag that was never cleaned up
    }
    if (d <= 5) {
      set(sp, "container.image", "registry.example.org/chatbot:1.4.3"); // patched underneath
    }
    out.add(snapshot("support-chatbot-prod", at, "collector/k8s", sp));

    if (d <= 20) {
      out.add(
          snapshot("support-chatbot-dev", at, "collector/k8s", chatbot(at, "support-chatbot-dev")));
    }
    return out;
  }

  private static ObjectNode credit(Instant at, String env) {
    ObjectNode c = JSON.createObjectNode();
    set(c, "model.version", "gpt-4o-2024-08-06");
    set(c, "llm.temperature", 0.3);
    set(c, "llm.top_p", 0.9);
    set(c, "llm.max_tokens", 800);
    set(
        c,
        "prompt.system",
        "You are a credit analyst assistant. Explain every decision with the factors used.");
    set(c, "guardrails.enabled", true);
    set(c, "guardrails.toxicity.threshold", 0.8);
    set(c, "guardrails.pii.enabled", true);
    set(c, "retrieval.top_k", 8);
    set(c, "retrieval.chunk_size", 512);
    set(c, "embedding.model", "text-embedding-3-large");
    set(c, "container.image", "registry.example.org/credit-assistant:3.2.1");
    set(c, "deploy.replicas", 3);
    noise(c, at, env);
    return c;
  }

  private static ObjectNode fraud(Instant at, String env) {
    ObjectNode c = JSON.createObjectNode();
    set(c, "model.version", "claude-3-5-sonnet-20241022");
    set(c, "llm.temperature", 0.0);
    set(c, "llm.max_tokens", 400);
    set(c, "prompt.system", "Classify the transaction as FRAUD or LEGIT and cite the signals.");
    set(c, "guardrails.enabled", true);
    set(c, "guardrails.toxicity.threshold", 0.9);
    c.withObjectProperty("routing").putArray("fallbacks").add("gpt-4o-mini-2024-07-18");
    noise(c, at, env);
    return c;
  }

  private static ObjectNode chatbot(Instant at, String env) {
    ObjectNode c = JSON.createObjectNode();
    set(c, "model.version", "gpt-4o-mini-2024-07-18");
    set(c, "llm.temperature", 0.5);
    set(c, "llm.max_tokens", 1200);
    set(c, "prompt.system", "You are a friendly support agent. Never promise refunds.");
    set(c, "guardrails.enabled", true);
    set(c, "guardrails.toxicity.threshold", 0.8);
    set(c, "container.image", "registry.example.org/chatbot:1.4.2");
    noise(c, at, env);
    return c;
  }

  /** Keys that change every day and that the blueprints ignore. */
  private static void noise(ObjectNode c, Instant at, String env) {
    set(c, "runtime.lastRestart", at.minus(Duration.ofHours(3)).toString());
    set(c, "runtime.podName", env + "-" + Integer.toHexString(at.hashCode() & 0xfffff));
  }

  private static void set(ObjectNode root, String dotted, Object value) {
    String[] parts = dotted.split("\\.");
    ObjectNode o = root;
    for (int i = 0; i < parts.length - 1; i++) {
      o = o.withObjectProperty(parts[i]);
    }
    o.set(parts[parts.length - 1], JSON.valueToTree(value));
  }

  private static ObjectNode snapshot(String env, Instant at, String source, ObjectNode config) {
    ObjectNode s = JSON.createObjectNode();
    s.put("environment", env);
    s.put("observedAt", at.toString());
    s.put("source", source);
    s.set("config", config);
    return s;
  }
}
