package org.plumbline.ontology.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sys.JenaSystem;
import org.apache.jena.vocabulary.RDF;
import org.plumbline.ontology.Hashing;

/** Terms of {@code vocabulary.ttl} and the scheme of instance IRIs. */
final class Vocab {
  static final String NS = "https://w3id.org/plumbline#";
  static final String ID = "https://w3id.org/plumbline/id/";

  static {
    // Jena first: a process whose first Jena class is RDF (a server on a shared store opens no
    // TDB2) would otherwise initialise Jena inside RDF's own initialiser and see RDF.Alt as null.
    JenaSystem.init();
  }

  static final Node TYPE = RDF.type.asNode();

  static final Node ENVIRONMENT_CLASS = term("Environment");
  static final Node BUNDLE_CLASS = term("Bundle");
  static final Node BUNDLE_VERSION_CLASS = term("BundleVersion");
  static final Node SNAPSHOT_CLASS = term("Snapshot");
  static final Node CONFIG_CLASS = term("ConfigContent");
  static final Node DRIFT_CLASS = term("Drift");
  static final Node CURRENT_VALUE_CLASS = term("CurrentValue");
  static final Node DAY_BUCKET_CLASS = term("DayBucket");
  static final Node MONTH_BUCKET_CLASS = term("MonthBucket");
  static final Node AUDIT_CLASS = term("AuditRecord");
  static final Node LEDGER_CLASS = term("Ledger");
  static final Node DISPOSITION_CLASS = term("Disposition");
  static final Node PROPOSAL_CLASS = term("BlueprintProposal");
  static final Node GATE_OVERRIDE_CLASS = term("GateOverride");
  static final Node overridesGateOf = term("overridesGateOf");
  static final Node proposes = term("proposes");
  static final Node CURSOR_CLASS = term("Cursor");
  static final Node METRIC_SERIES_CLASS = term("MetricSeries");
  static final Node METRIC_BASELINE_CLASS = term("MetricBaseline");
  static final Node METRIC_WINDOW_CLASS = term("MetricWindow");
  static final Node METRIC_VALUES_CLASS = term("MetricValues");
  static final Node CHECKPOINT_CLASS = term("AuditCheckpoint");
  static final Node DECLARED_KEY_CLASS = term("DeclaredKey");
  static final Node CHANGE_REQUEST_CLASS = term("ChangeRequest");
  static final Node PROMPT_CLASS = term("Prompt");
  static final Node PROMPT_VERSION_CLASS = term("PromptVersion");

  static final Node id = term("id");
  static final Node name = term("name");
  static final Node tier = term("tier");
  static final Node owner = term("owner");
  static final Node system = term("system");
  static final Node status = term("status");
  static final Node registeredAt = term("registeredAt");
  static final Node expiresAt = term("expiresAt");
  static final Node governedBy = term("governedBy");
  static final Node bundleVersion = term("bundleVersion");
  static final Node latestSnapshot = term("latestSnapshot");
  static final Node firstObservedAt = term("firstObservedAt");

  static final Node version = term("version");
  static final Node versionOf = term("versionOf");
  static final Node currentVersion = term("currentVersion");
  static final Node createdAt = term("createdAt");
  static final Node createdBy = term("createdBy");
  static final Node content = term("content");
  static final Node contentHash = term("contentHash");
  static final Node validatedAt = term("validatedAt");
  static final Node validatedBy = term("validatedBy");
  static final Node evidence = term("evidence");

  static final Node environment = term("environment");
  static final Node observedAt = term("observedAt");
  static final Node source = term("source");
  static final Node config = term("config");
  static final Node json = term("json");
  static final Node configBase = term("configBase");
  static final Node configDelta = term("configDelta");
  static final Node configDepth = term("configDepth");

  static final Node key = term("key");
  static final Node from = term("from");
  static final Node to = term("to");
  static final Node at = term("at");
  static final Node currentKey = term("currentKey");
  static final Node value = term("value");
  static final Node sharedValue = term("sharedValue");

  static final Node day = term("day");
  static final Node hasSnapshot = term("hasSnapshot");
  static final Node hasChangeSet = term("hasChangeSet");
  static final Node changeSet = term("changeSet");
  static final Node environmentRecord = term("environmentRecord");
  static final Node changeSetSize = term("changeSetSize");
  static final Node hasDay = term("hasDay");
  static final Node changeCount = term("changeCount");
  static final Node changesBefore = term("changesBefore");
  static final Node changeTotal = term("changeTotal");

  static final Node expected = term("expected");
  static final Node actual = term("actual");
  static final Node detectedAt = term("detectedAt");
  static final Node updatedAt = term("updatedAt");
  static final Node riskCategory = term("riskCategory");
  static final Node severity = term("severity");
  static final Node finding = term("finding");
  static final Node assessment = term("assessment");
  static final Node trail = term("trail");
  static final Node hasDrift = term("hasDrift");
  static final Node hasActiveDrift = term("hasActiveDrift");
  static final Node driftSummary = term("driftSummary");
  static final Node storeFormat = term("storeFormat");

  static final Node seq = term("seq");
  static final Node actor = term("actor");
  static final Node action = term("action");
  static final Node environmentId = term("environmentId");
  static final Node subject = term("subject");
  static final Node detail = term("detail");
  static final Node hash = term("hash");
  static final Node prevHash = term("prevHash");
  static final Node envSeq = term("envSeq");
  static final Node envPrevHash = term("envPrevHash");
  static final Node headSeq = term("headSeq");
  static final Node headHash = term("headHash");
  static final Node hasAudit = term("hasAudit");

  static final Node kind = term("kind");
  static final Node disposes = term("disposes");
  static final Node requestedBy = term("requestedBy");
  static final Node justification = term("justification");
  static final Node position = term("position");
  static final Node frontier = term("frontier");
  static final Node size = term("size");
  static final Node root = term("root");

  static final Node declaredIn = term("declaredIn");
  static final Node dependsOn = term("dependsOn");

  static final Node keyGlob = term("keyGlob");
  static final Node windowFrom = term("windowFrom");
  static final Node windowUntil = term("windowUntil");
  static final Node approvedBy = term("approvedBy");
  static final Node hasChangeRequest = term("hasChangeRequest");

  static final Node hasVersion = term("hasVersion");
  static final Node text = term("text");
  static final Node testedWithModel = term("testedWithModel");
  static final Node evalScore = term("evalScore");
  static final Node evalSuite = term("evalSuite");
  static final Node verifiedAt = term("verifiedAt");

  static final Node driftKind = term("driftKind");
  static final Node hasMetric = term("hasMetric");
  static final Node metric = term("metric");
  static final Node currentBaseline = term("currentBaseline");
  static final Node baselineOf = term("baselineOf");
  static final Node windowOf = term("windowOf");
  static final Node window = term("window");
  static final Node testedAgainst = term("testedAgainst");
  static final Node values = term("values");
  static final Node statistic = term("statistic");
  static final Node pValue = term("pValue");
  static final Node psi = term("psi");
  static final Node effect = term("effect");
  static final Node beyondThreshold = term("beyondThreshold");
  static final Node streak = term("streak");
  static final Node cooldownLeft = term("cooldownLeft");
  static final Node windowCount = term("windowCount");

  static final Node LEDGER = NodeFactory.createURI(ID + "ledger");

  /** The node whose {@link #driftSummary} statements list every governed drift (the inbox). */
  static final Node GOVERNED_DRIFTS = NodeFactory.createURI(ID + "governed-drifts");

  /** The store itself: which format its facts and derived indexes are written in. */
  static final Node STORE = NodeFactory.createURI(ID + "store");

  private Vocab() {}

  static Node term(String local) {
    return NodeFactory.createURI(NS + local);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static Node environmentNode(String envId) {
    return NodeFactory.createURI(ID + "env/" + enc(envId));
  }

  static Node bundleNode(String bundle) {
    return NodeFactory.createURI(ID + "bundle/" + enc(bundle));
  }

  static Node proposalNode(String bundle, String ver) {
    return NodeFactory.createURI(ID + "bundle/" + enc(bundle) + "/proposal/" + enc(ver));
  }

  static Node bundleVersionNode(String bundle, String ver) {
    return NodeFactory.createURI(ID + "bundle/" + enc(bundle) + "/v/" + enc(ver));
  }

  /** A key as one bundle version declares it: the node its dependency edges hang from. */
  static Node declaredKeyNode(String bundle, String ver, String configKey) {
    return NodeFactory.createURI(
        ID
            + "bundle/"
            + enc(bundle)
            + "/v/"
            + enc(ver)
            + "/key/"
            + Hashing.sha256Hex(configKey).substring(0, 32));
  }

  /** Snapshot IRIs carry the hex of the content hash, so identical snapshots share one node. */
  static Node snapshotNode(String contentHash) {
    return NodeFactory.createURI(ID + "snapshot/" + hex(contentHash));
  }

  static Node configNode(String configHash) {
    return NodeFactory.createURI(ID + "config/" + configHash);
  }

  static Node currentValueNode(String envId, String configKey) {
    return NodeFactory.createURI(
        ID + "env/" + enc(envId) + "/current/" + Hashing.sha256Hex(configKey).substring(0, 32));
  }

  /**
   * The environment a current-value node belongs to, read from its name ({@link
   * #currentValueNode}), or null for a node not named so.
   */
  static String environmentOfCurrentValue(Node currentValue) {
    String uri = currentValue.getURI();
    String prefix = ID + "env/";
    int end = uri.indexOf("/current/", prefix.length());
    if (!uri.startsWith(prefix) || end < 0) {
      return null;
    }
    return java.net.URLDecoder.decode(uri.substring(prefix.length(), end), StandardCharsets.UTF_8);
  }

  /** The time index: one node per environment and UTC day, linking that day's facts. */
  static Node dayNode(String envId, LocalDate date) {
    return NodeFactory.createURI(ID + "env/" + enc(envId) + "/day/" + date);
  }

  /** The month level of the time index; its IRI ends with the month, {@code .../month/2026-11}. */
  static Node monthNode(String envId, java.time.YearMonth month) {
    return NodeFactory.createURI(ID + "env/" + enc(envId) + "/month/" + month);
  }

  /** The day of a day bucket, read from its IRI (which ends with the ISO date). */
  static LocalDate dayOf(Node dayBucket) {
    String iri = dayBucket.getURI();
    return LocalDate.parse(iri.substring(iri.lastIndexOf('/') + 1));
  }

  /** One value of one key: the current values that equal it link to it (blast radius). */
  static Node sharedValueNode(String configKey, String canonicalValue) {
    return NodeFactory.createURI(
        ID + "value/" + Hashing.sha256Hex(configKey + "\u0000" + canonicalValue).substring(0, 32));
  }

  /** The node that links the governed drifts of one environment on one configuration key. */
  static Node activeDriftsNode(String envId, String configKey) {
    return NodeFactory.createURI(
        ID + "env/" + enc(envId) + "/drifts/" + Hashing.sha256Hex(configKey).substring(0, 32));
  }

  static Node driftNode(String driftId) {
    return NodeFactory.createURI(ID + "drift/" + enc(driftId));
  }

  static Node changeRequestNode(String requestId) {
    return NodeFactory.createURI(ID + "change-request/" + enc(requestId));
  }

  static Node promptNode(String promptId) {
    return NodeFactory.createURI(ID + "prompt/" + enc(promptId));
  }

  static Node promptVersionNode(String promptId, String ver) {
    return NodeFactory.createURI(ID + "prompt/" + enc(promptId) + "/v/" + enc(ver));
  }

  static Node gateOverrideNode(String overrideId) {
    return NodeFactory.createURI(ID + "gate-override/" + enc(overrideId));
  }

  static Node dispositionNode(String dispositionId) {
    return NodeFactory.createURI(ID + "disposition/" + enc(dispositionId));
  }

  /** A behavioural metric of one environment; its baselines and windows hang below it. */
  static Node metricSeriesNode(String envId, String metricName) {
    return NodeFactory.createURI(ID + "env/" + enc(envId) + "/metric/" + enc(metricName));
  }

  static Node metricBaselineNode(String envId, String metricName, String windowLabel) {
    return NodeFactory.createURI(
        metricSeriesNode(envId, metricName).getURI() + "/baseline/" + enc(windowLabel));
  }

  static Node metricWindowNode(String envId, String metricName, String windowLabel) {
    return NodeFactory.createURI(
        metricSeriesNode(envId, metricName).getURI() + "/window/" + enc(windowLabel));
  }

  /** Metric values are content-addressed: a baseline codified from a window shares its node. */
  static Node metricValuesNode(String valuesHash) {
    return NodeFactory.createURI(ID + "metric-values/" + valuesHash);
  }

  static Node cursorNode(String name) {
    return NodeFactory.createURI(ID + "cursor/" + enc(name));
  }

  static Node checkpointNode(long ledgerSize) {
    return NodeFactory.createURI(ID + "audit/checkpoint/" + ledgerSize);
  }

  /** The head of one environment's chain in the audit ledger (index). */
  static Node envLedgerNode(String envId) {
    return NodeFactory.createURI(ID + "ledger/env/" + enc(envId));
  }

  static Node auditNode(long seqNo) {
    return NodeFactory.createURI(ID + "audit/" + seqNo);
  }

  private static String hex(String contentHash) {
    return contentHash.startsWith("sha256:") ? contentHash.substring(7) : contentHash;
  }
}
