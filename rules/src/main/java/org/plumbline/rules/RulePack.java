package org.plumbline.rules;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.AgendaFilter;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Severity;
import org.plumbline.ontology.Tier;
import org.plumbline.rules.pack.ApprovalRequirement;
import org.plumbline.rules.pack.AssessmentDraft;
import org.plumbline.rules.pack.GateDecision;
import org.plumbline.rules.pack.MetricThresholds;
import org.plumbline.rules.pack.TierLimits;

/**
 * A compiled rule pack: every {@code *.drl} and {@code *.drl.csv} (decision table) file of one
 * folder, compiled at runtime so that governance teams change policy by editing files, not code.
 *
 * <p>Immutable and thread-safe: each thread assesses in a session of its own over the shared,
 * read-only knowledge base, emptied after every assessment.
 */
public final class RulePack {
  /**
   * Where the shipped packs sit below a rules folder such as the server's default {@code ./rules}.
   */
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RulePack.class);

  private static final Pattern OLD_PACK_API =
      Pattern.compile(
          "org\\.plumbline\\.rules\\.internal\\."
              + "(AssessmentDraft|ApprovalRequirement|MetricThresholds|RuleFunctions|TierLimits)\\b");
  private static final String DEFAULT_PACK = "packs/default";

  /** A pack that has not settled after this many firings loops; better an error than a hang. */
  private static final int MAX_FIRINGS = 10_000;

  /**
   * Wall-clock budget of one question to the pack, checked before every firing: the firing budget
   * alone would let 10,000 slow firings hold an ingest transaction for minutes. A default
   * assessment takes well under a millisecond, so only a runaway pack ever meets it.
   */
  private static final long MAX_NANOS = 5_000_000_000L;

  /**
   * Where pack files go in the in-memory module; matches the packs' package, which Drools expects.
   */
  private static final String RESOURCES = "src/main/resources/org/plumbline/rules/pack/";

  private final Path directory;
  private final KieBase kieBase;
  private final String version;
  private final List<String> ruleNames;
  private final Map<Tier, PolicyLimits> limits = new EnumMap<>(Tier.class);
  private final Map<Tier, MetricPolicy> metricPolicies = new EnumMap<>(Tier.class);
  private final SignatureMeanings signatureMeanings;
  private final RuleInputs inputs;

  /**
   * Decisions remembered by what the rules can see of a drift: enough for the drifts of a large
   * re-assessment (each entry holds one drift's visible facts and the rules' answer).
   */
  private final Decisions decisions = new Decisions(16_384);

  /** Assessments answered by firing the rules rather than from {@link #decisions}. */
  private final java.util.concurrent.atomic.LongAdder fired =
      new java.util.concurrent.atomic.LongAdder();

  private RulePack(
      Path directory,
      KieBase kieBase,
      String version,
      List<String> ruleNames,
      SignatureMeanings signatureMeanings,
      RuleInputs inputs) {
    this.directory = directory;
    this.inputs = inputs;
    this.signatureMeanings = signatureMeanings;
    this.kieBase = kieBase;
    this.sessions = ThreadLocal.withInitial(() -> new ReusableSession(kieBase));
    this.version = version;
    this.ruleNames = ruleNames;
  }

  /**
   * Compiles the pack files directly in {@code dir}; a rules folder without pack files of its own
   * but with a {@code packs/default} folder compiles that one instead.
   *
   * @throws PlumblineException {@link RuleError#PACK_NOT_FOUND} when the folder does not exist,
   *     {@link RuleError#PACK_COMPILE_FAILED} with every compiler message, {@link
   *     RuleError#PACK_EMPTY} when the files hold no rule
   */
  public static RulePack compile(Path dir) {
    Objects.requireNonNull(dir, "dir");
    Path packDir = resolve(dir);
    List<Path> files = packFiles(packDir);
    Map<String, byte[]> contents = new TreeMap<>();
    for (Path file : files) {
      try {
        contents.put(file.getFileName().toString(), Files.readAllBytes(file));
      } catch (IOException e) {
        throw new PlumblineException(
            RuleError.PACK_COMPILE_FAILED,
            "cannot read rule pack file " + file,
            List.of(file.getFileName() + ": " + e.getMessage()),
            e);
      }
    }
    // The signature vocabulary is policy too: it is part of the pack's version, not compiled.
    Map<String, byte[]> versioned = new TreeMap<>(contents);
    SignatureMeanings meanings = SignatureMeanings.DEFAULT;
    Path vocabulary = packDir.resolve(SignatureMeanings.FILE);
    if (Files.isRegularFile(vocabulary)) {
      try {
        byte[] bytes = Files.readAllBytes(vocabulary);
        meanings = SignatureMeanings.parse(bytes);
        versioned.put(SignatureMeanings.FILE, bytes);
      } catch (IOException e) {
        throw new PlumblineException(
            RuleError.PACK_COMPILE_FAILED,
            "cannot read rule pack file " + vocabulary,
            List.of(SignatureMeanings.FILE + ": " + e.getMessage()),
            e);
      }
    }
    KieBase kieBase = build(packDir, contents);
    List<String> names =
        kieBase.getKiePackages().stream()
            .flatMap(p -> p.getRules().stream())
            .map(Rule::getName)
            .sorted()
            .toList();
    // Decision tables with the wrong suffix are skipped silently, so an empty base is an error.
    if (names.isEmpty()) {
      throw new PlumblineException(
          RuleError.PACK_EMPTY,
          "rule pack " + packDir + " holds no rules (pack files: *.drl, *.drl.csv)",
          contents.keySet().stream().toList());
    }
    return new RulePack(
        packDir, kieBase, version(versioned), names, meanings, RuleInputs.of(contents));
  }

  /**
   * The e-signature meanings signers choose from: the pack's {@code signatures.json}, or {@link
   * SignatureMeanings#DEFAULT} when it has none.
   */
  public SignatureMeanings signatureMeanings() {
    return signatureMeanings;
  }

  /** The folder the pack was compiled from (its golden cases are in {@code tests/} below it). */
  public Path directory() {
    return directory;
  }

  /**
   * {@code sha256:} and the first 16 hex digits of a SHA-256 over the pack files' names and
   * contents in name order; recorded in every assessment so that a decision names its policy.
   */
  public String version() {
    return version;
  }

  public int ruleCount() {
    return ruleNames.size();
  }

  /** Names of all rules, sorted. */
  public List<String> ruleNames() {
    return ruleNames;
  }

  /**
   * Assesses one drift: risk category, severity, authorization, findings and approvals from the
   * rules; owner, blast radius, re-evaluation and the covering change requests copied from the
   * facts.
   *
   * <p>The rules' answer is remembered by what they can test of the drift ({@link RuleInputs}): a
   * drift that the pack's constraints cannot tell apart from a recent one gets the same answer
   * without firing the rules again. The shipped pack never reads the owner, environment or blast
   * radius, and tests keys, values and times only by kind (a glob, {@code == "false"}, a 30-day
   * age), so a fleet's first assessments mostly, and its re-assessments always, come from memory.
   *
   * @throws PlumblineException {@link RuleError#PACK_INCOMPLETE} when the pack leaves the category,
   *     severity, authorization or approvals undecided, or does not settle
   */
  public Assessment assess(DriftFacts facts) {
    Objects.requireNonNull(facts, "facts");
    Objects.requireNonNull(facts.tier(), "facts.tier");
    Objects.requireNonNull(facts.key(), "facts.key");
    if (!inputs.remembered()) {
      return assessment(facts, decide(facts));
    }
    RuleInputs.Key key = inputs.key(facts);
    Decisions.Decided known = decisions.get(key);
    if (known == null) {
      known = decide(facts);
      decisions.put(key, known);
    }
    return assessment(facts, known);
  }

  /**
   * How many of this pack's assessments fired its rules rather than being answered from what it
   * remembers ({@code assess}); for the bench and for telemetry.
   */
  public long assessmentsFired() {
    return fired.sum();
  }

  /** Assesses one drift in a session of its own, never from memory: the reference for tests. */
  Assessment assessFiring(DriftFacts facts) {
    Objects.requireNonNull(facts, "facts");
    return assessment(facts, decide(facts));
  }

  /**
   * The members of {@link DriftFacts} the pack's rules can see; empty when nothing is remembered.
   */
  List<String> visibleMembers() {
    return inputs.remembered() ? inputs.members() : List.of();
  }

  private Decisions.Decided decide(DriftFacts facts) {
    fired.increment();
    AssessmentDraft draft = new AssessmentDraft();
    List<String> fired = fire(facts, draft);
    List<String> missing = new ArrayList<>();
    if (draft.getRiskCategory() == null) {
      missing.add("riskCategory");
    }
    if (draft.getSeverity() == null) {
      missing.add("severity");
    }
    if (draft.getAuthorization() == null) {
      missing.add("authorization");
    }
    if (draft.getRequiredApprovals() == null) {
      missing.add("requiredApprovals");
    }
    if (!missing.isEmpty()) {
      throw new PlumblineException(
          RuleError.PACK_INCOMPLETE,
          "rule pack "
              + version
              + " left "
              + String.join(", ", missing)
              + " undecided for key "
              + facts.key(),
          missing);
    }
    return new Decisions.Decided(
        draft.getRiskCategory(),
        draft.getSeverity(),
        draft.getAuthorization(),
        draft.getRequiredApprovals(),
        draft.getApproverRoles(),
        draft.findingList(),
        fired);
  }

  private Assessment assessment(DriftFacts facts, Decisions.Decided decided) {
    Assessment withoutWords = assessment(facts, decided, "");
    return assessment(facts, decided, Explanation.of(facts, withoutWords));
  }

  /**
   * Asks the approvals table alone: what a disposition needs at this tier and severity.
   *
   * @throws PlumblineException {@link RuleError#PACK_INCOMPLETE} when no row answers
   */
  public RequiredApprovals requiredApprovals(Tier tier, Severity severity) {
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(severity, "severity");
    ApprovalRequirement question = new ApprovalRequirement(tier, severity);
    fire(question);
    if (question.getRequiredApprovals() == null) {
      throw new PlumblineException(
          RuleError.PACK_INCOMPLETE,
          "rule pack " + version + " has no approvals row for " + tier + " " + severity,
          List.of(tier + " " + severity));
    }
    return new RequiredApprovals(question.getRequiredApprovals(), question.getApproverRoles());
  }

  /**
   * The longest ACCEPT and TTL extension for a tier, as the pack's limits table decides.
   *
   * @throws PlumblineException {@link RuleError#PACK_INCOMPLETE} when no row answers
   */
  public PolicyLimits policyLimits(Tier tier) {
    Objects.requireNonNull(tier, "tier");
    synchronized (limits) {
      PolicyLimits known = limits.get(tier);
      if (known != null) {
        return known;
      }
    }
    TierLimits question = new TierLimits(tier);
    fire(question);
    if (question.getLongestAccept() == null || question.getLongestExtension() == null) {
      throw new PlumblineException(
          RuleError.PACK_INCOMPLETE,
          "rule pack " + version + " has no limits row for " + tier,
          List.of(tier.name()));
    }
    PolicyLimits answer =
        new PolicyLimits(question.getLongestAccept(), question.getLongestExtension());
    synchronized (limits) {
      limits.put(tier, answer);
    }
    return answer;
  }

  /**
   * The thresholds of behavioural drift detection for a tier, as the pack's metric thresholds table
   * decides ({@code metric-thresholds.drl.csv} in the shipped pack).
   *
   * @throws PlumblineException {@link RuleError#PACK_INCOMPLETE} when no row answers, a field is
   *     left undecided, or the decided values contradict each other (say, a significant PSI edge
   *     below the moderate one)
   */
  public MetricPolicy metricPolicy(Tier tier) {
    Objects.requireNonNull(tier, "tier");
    synchronized (metricPolicies) {
      MetricPolicy known = metricPolicies.get(tier);
      if (known != null) {
        return known;
      }
    }
    MetricThresholds q = new MetricThresholds(tier);
    fire(q);
    List<String> undecided = q.undecided();
    if (!undecided.isEmpty()) {
      throw new PlumblineException(
          RuleError.PACK_INCOMPLETE,
          "rule pack " + version + " leaves metric thresholds undecided for " + tier,
          undecided);
    }
    MetricPolicy answer;
    try {
      answer =
          new MetricPolicy(
              q.getPsiModerate(),
              q.getPsiSignificant(),
              q.getPsiCritical(),
              q.getKsStatistic(),
              q.getSignificanceLevel(),
              q.getMinSampleSize(),
              q.getPersistenceWindows(),
              q.getClosingWindows(),
              q.getCooldownWindows(),
              q.getPsiBins(),
              q.getPsiEpsilon());
    } catch (IllegalArgumentException e) {
      throw new PlumblineException(
          RuleError.PACK_INCOMPLETE,
          "rule pack " + version + " decides invalid metric thresholds for " + tier,
          List.of(tier + ": " + e.getMessage()));
    }
    synchronized (metricPolicies) {
      metricPolicies.put(tier, answer);
    }
    return answer;
  }

  /**
   * Decides a promotion: the pack's gate rules ({@code gates.drl} in the shipped pack) see the
   * version, its target environment and the facts around them, and add a reason for each thing that
   * stands in the way. No reason allows.
   *
   * @throws PlumblineException {@link RuleError#PACK_INCOMPLETE} when the pack does not settle
   */
  public PromotionDecision decidePromotion(PromotionFacts facts) {
    Objects.requireNonNull(facts, "facts");
    GateDecision draft = new GateDecision();
    List<Object> inserted = new ArrayList<>();
    inserted.add(facts.gate());
    inserted.addAll(facts.prompts());
    inserted.addAll(facts.drifts());
    inserted.addAll(facts.metrics());
    inserted.addAll(facts.changeWindows());
    inserted.add(draft);
    List<String> fired = fire(inserted.toArray());
    return new PromotionDecision(
        draft.isDenied() ? PromotionDecision.Outcome.DENY : PromotionDecision.Outcome.ALLOW,
        draft.reasonList(),
        fired,
        version);
  }

  @Override
  public String toString() {
    return "RulePack[" + directory + ", " + version + ", " + ruleNames.size() + " rules]";
  }

  /** The folder holding the pack files: {@code dir} itself, or its {@code packs/default}. */
  static Path resolve(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new PlumblineException(
          RuleError.PACK_NOT_FOUND,
          "rule pack folder " + dir + " does not exist",
          List.of(dir.toString()));
    }
    Path nested = dir.resolve(DEFAULT_PACK);
    if (packFiles(dir).isEmpty() && Files.isDirectory(nested)) {
      return nested;
    }
    return dir;
  }

  private static List<Path> packFiles(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(Files::isRegularFile)
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".drl") || name.endsWith(".drl.csv");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new PlumblineException(
          RuleError.PACK_NOT_FOUND,
          "cannot list rule pack folder " + dir,
          List.of(e.toString()),
          e);
    }
  }

  private static KieBase build(Path packDir, Map<String, byte[]> contents) {
    KieServices services = KieServices.Factory.get();
    KieFileSystem files = services.newKieFileSystem();
    // A release id of its own, so that concurrent compiles (reloads) never see each other's module.
    ReleaseId releaseId =
        services.newReleaseId("org.plumbline.packs", "pack-" + UUID.randomUUID(), "1.0.0");
    files.generateAndWritePomXML(releaseId);
    contents.forEach((name, bytes) -> files.write(RESOURCES + name, publishedApi(name, bytes)));
    ClassLoader loader = RulePack.class.getClassLoader();
    KieBuilder builder;
    try {
      builder = services.newKieBuilder(files, loader).buildAll();
    } catch (RuntimeException e) {
      // Decision-table parse errors surface as exceptions rather than messages.
      throw new PlumblineException(
          RuleError.PACK_COMPILE_FAILED,
          "rule pack " + packDir + " does not compile",
          List.of(String.valueOf(e.getMessage())),
          e);
    }
    List<Message> messages = builder.getResults().getMessages(Message.Level.ERROR);
    // A syntax error also yields "Parser returned a null Package" for its file: only noise then.
    List<String> errors =
        messages.stream()
            .filter(m -> messages.size() == 1 || !m.getText().contains("returned a null Package"))
            .map(RulePack::describe)
            .toList();
    if (!errors.isEmpty()) {
      throw new PlumblineException(
          RuleError.PACK_COMPILE_FAILED,
          "rule pack " + packDir + " does not compile: " + errors.size() + " error(s)",
          errors);
    }
    try {
      return services.newKieContainer(releaseId, loader).getKieBase();
    } finally {
      // The container keeps what it needs; the repository entry would only leak across reloads.
      services.getRepository().removeKieModule(releaseId);
    }
  }

  /**
   * Packs written before the pack API was published ({@code org.plumbline.rules.pack}) imported it
   * from {@code org.plumbline.rules.internal}: such a pack still compiles, with a warning, so that
   * an upgrade does not stop a server whose governance team copied the shipped pack. The version
   * stays the hash of the files as written.
   */
  static byte[] publishedApi(String file, byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    Matcher m = OLD_PACK_API.matcher(text);
    if (!m.find()) {
      return bytes;
    }
    LOG.warn(
        "rule pack file {} imports {}: the pack API is org.plumbline.rules.pack now; compiled as"
            + " if it imported that (update the imports)",
        file,
        m.group());
    return m.replaceAll("org.plumbline.rules.pack.$1").getBytes(StandardCharsets.UTF_8);
  }

  private static String describe(Message message) {
    String path = message.getPath() == null ? "?" : message.getPath();
    String file = path.substring(path.lastIndexOf('/') + 1);
    String where = message.getLine() > 0 ? file + ":" + message.getLine() : file;
    return where + ": " + message.getText().strip();
  }

  /**
   * One session per thread, emptied after each use: creating a session costs far more than the
   * rules themselves, and an emptied session holds no state (the packs keep none outside facts).
   */
  private final ThreadLocal<ReusableSession> sessions;

  private List<String> fire(Object... facts) {
    ReusableSession reusable = sessions.get();
    try {
      return reusable.fire(facts, version);
    } catch (RuntimeException e) {
      // A session that failed half-way may hold facts: never reuse it.
      sessions.remove();
      reusable.session.dispose();
      throw e;
    }
  }

  /** A session and the names of the rules fired during its current use. */
  private static final class ReusableSession {
    final KieSession session;
    List<String> fired = new ArrayList<>();

    ReusableSession(KieBase kieBase) {
      session = kieBase.newKieSession();
      session.addEventListener(
          new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
              fired.add(event.getMatch().getRule().getName());
            }
          });
    }

    List<String> fire(Object[] facts, String version) {
      fired = new ArrayList<>();
      for (Object fact : facts) {
        session.insert(fact);
      }
      // A monotonic budget, not the injected Clock: it bounds work, it decides nothing.
      long deadline = System.nanoTime() + MAX_NANOS;
      boolean[] outOfTime = {false};
      AgendaFilter withinBudget =
          match -> {
            if (System.nanoTime() - deadline > 0) {
              outOfTime[0] = true;
              return false;
            }
            return true;
          };
      int firings = session.fireAllRules(withinBudget, MAX_FIRINGS);
      if (firings >= MAX_FIRINGS || outOfTime[0]) {
        throw new PlumblineException(
            RuleError.PACK_INCOMPLETE,
            "rule pack "
                + version
                + " did not settle within "
                + (outOfTime[0] ? MAX_NANOS / 1_000_000_000L + " s" : MAX_FIRINGS + " firings")
                + " (a rule that re-activates itself?)",
            fired.subList(Math.max(0, fired.size() - 10), fired.size()));
      }
      for (org.kie.api.runtime.rule.FactHandle h :
          new ArrayList<org.kie.api.runtime.rule.FactHandle>(session.getFactHandles())) {
        session.delete(h);
      }
      return fired;
    }
  }

  private Assessment assessment(DriftFacts facts, Decisions.Decided d, String explanation) {
    return new Assessment(
        d.riskCategory(),
        d.severity(),
        d.authorization(),
        facts.changeRequests(),
        facts.owner(),
        facts.blastRadius(),
        facts.reevaluate(),
        d.requiredApprovals(),
        d.approverRoles(),
        d.findings(),
        explanation,
        d.firedRules(),
        version);
  }

  private static String version(Map<String, byte[]> contents) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      // Length-prefixed, so that moving bytes between a name and a content changes the hash.
      contents.forEach(
          (name, bytes) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            sha.update(longBytes(n.length));
            sha.update(n);
            sha.update(longBytes(bytes.length));
            sha.update(bytes);
          });
      return "sha256:" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static byte[] longBytes(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }
}
