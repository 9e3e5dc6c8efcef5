package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Vocab.*;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.AuditCheckpoint;
import org.plumbline.ontology.AuditLedger;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.BlueprintProposal;
import org.plumbline.ontology.BundleVersion;
import org.plumbline.ontology.Change;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.Disposition;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftKind;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.MetricBaseline;
import org.plumbline.ontology.MetricSeries;
import org.plumbline.ontology.MetricWindow;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.PromptVersion;
import org.plumbline.ontology.SemVer;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.ontology.Tier;
import org.plumbline.ontology.Validation;

/**
 * Reads and writes domain records as triples of one graph, inside a transaction the caller holds.
 * Writes go to the graph and, for validation before commit, to {@code written}, which holds the
 * statements this transaction added and still holds.
 *
 * <p>Time is indexed by day: each environment has one node per UTC day that links that day's
 * snapshots and changes, so a window query visits only the days it covers instead of scanning and
 * filtering the environment's whole history.
 */
final class GraphAccess implements StoreWriter {
  private static final Node ANY = Node.ANY;

  private final Graph graph;
  private final Graph written;
  private final DecodedValues decoded;

  GraphAccess(Graph graph, Graph written, DecodedValues decoded) {
    this.graph = graph;
    this.written = written;
    this.decoded = decoded;
  }

  // ---- environments ----

  @Override
  public List<Environment> environments() {
    List<Environment> out = new ArrayList<>();
    graph.find(ANY, TYPE, ENVIRONMENT_CLASS).forEach(t -> out.add(readEnvironment(t.getSubject())));
    out.sort(Comparator.comparing(Environment::id));
    return out;
  }

  @Override
  public List<Environment> environments(Tier t) {
    List<Environment> out = new ArrayList<>();
    graph
        .find(ANY, tier, str(t.name()))
        .forEach(
            tr -> {
              if (graph.contains(tr.getSubject(), TYPE, ENVIRONMENT_CLASS)) {
                out.add(readEnvironment(tr.getSubject()));
              }
            });
    out.sort(Comparator.comparing(Environment::id));
    return out;
  }

  @Override
  public Optional<Environment> environment(String envId) {
    Node n = environmentNode(envId);
    return graph.contains(n, TYPE, ENVIRONMENT_CLASS)
        ? Optional.of(readEnvironment(n))
        : Optional.empty();
  }

  /**
   * One look-up per property: an environment node also links its drifts and audit records, so a
   * scan of all its properties would grow with its history.
   */
  /** The whole record is one literal (store format 2): one look-up instead of ten. */
  private Environment readEnvironment(Node n) {
    String json = string(n, environmentRecord);
    return decoded.get(
        "environment#" + json, () -> JsonCodec.read(json, Environment.class), e -> 1);
  }

  @Override
  public void putEnvironment(Environment e) {
    Node n = environmentNode(e.id());
    for (Node p :
        List.of(
            TYPE,
            id,
            name,
            tier,
            owner,
            system,
            status,
            registeredAt,
            expiresAt,
            governedBy,
            bundleVersion,
            environmentRecord)) {
      remove(n, p, ANY);
    }
    add(n, environmentRecord, str(JsonCodec.write(e)));
    add(n, TYPE, ENVIRONMENT_CLASS);
    add(n, id, str(e.id()));
    addOptional(n, name, e.name());
    add(n, tier, str(e.tier().name()));
    addOptional(n, owner, e.owner());
    addOptional(n, system, e.system());
    add(n, status, str(e.status()));
    add(n, registeredAt, dateTime(e.registeredAt()));
    if (e.expiresAt() != null) {
      add(n, expiresAt, dateTime(e.expiresAt()));
    }
    add(n, governedBy, bundleNode(e.bundle()));
    add(n, bundleVersion, str(e.bundleVersion()));
  }

  // ---- bundles ----

  @Override
  public void putBlueprint(Blueprint bp, Instant createdAtInstant, String actor) {
    Node bundle = bundleNode(bp.bundle());
    Node v = bundleVersionNode(bp.bundle(), bp.version());
    if (!graph.contains(bundle, TYPE, BUNDLE_CLASS)) {
      add(bundle, TYPE, BUNDLE_CLASS);
      add(bundle, id, str(bp.bundle()));
    }
    remove(v, ANY, ANY);
    add(v, TYPE, BUNDLE_VERSION_CLASS);
    add(v, versionOf, bundle);
    add(v, version, str(bp.version()));
    add(v, createdAt, dateTime(createdAtInstant));
    add(v, createdBy, str(actor));
    add(v, content, str(JsonCodec.write(bp)));
    add(v, contentHash, str(bp.contentHash()));
    if (bp.validated() != null) {
      addOptional(v, validatedAt, bp.validated().at() == null ? null : bp.validated().at());
      addOptional(v, validatedBy, bp.validated().by());
      addOptional(v, evidence, bp.validated().evidence());
    }
    putDependencyEdges(bp);
    Optional<Blueprint> current = currentBlueprint(bp.bundle());
    if (current.isEmpty()
        || SemVer.parse(bp.version()).compareTo(SemVer.parse(current.get().version())) >= 0) {
      remove(bundle, currentVersion, ANY);
      add(bundle, currentVersion, v);
    }
  }

  /**
   * The dependency graph of one bundle version as triples: a node per key that takes part in an
   * edge, {@code dependent pl:dependsOn source}. Only keys on an edge get a node, so a blueprint
   * without dependencies adds nothing.
   */
  private void putDependencyEdges(Blueprint bp) {
    Node v = bundleVersionNode(bp.bundle(), bp.version());
    for (Triple t : graph.find(ANY, declaredIn, v).toList()) {
      remove(t.getSubject(), ANY, ANY);
    }
    Set<String> keyed = new HashSet<>();
    bp.dependencyEdges()
        .forEach(
            (dependent, sources) -> {
              Node d = declaredKey(bp, dependent, keyed);
              for (String source : sources) {
                add(d, dependsOn, declaredKey(bp, source, keyed));
              }
            });
  }

  private Node declaredKey(Blueprint bp, String configKey, Set<String> keyed) {
    Node n = declaredKeyNode(bp.bundle(), bp.version(), configKey);
    if (keyed.add(configKey)) {
      add(n, TYPE, DECLARED_KEY_CLASS);
      add(n, key, str(configKey));
      add(n, declaredIn, bundleVersionNode(bp.bundle(), bp.version()));
    }
    return n;
  }

  /**
   * A breadth-first walk over the version's dependency edges; the visited set is what makes cycles
   * harmless. The edges of a bundle version never change (a conflicting republication is refused),
   * so they are read from the graph once into an adjacency map, kept by version and content hash.
   */
  @Override
  public List<String> dependents(String configKey, String envId) {
    Node env = environmentNode(envId);
    Node bundle = object(env, governedBy);
    String ver = string(env, bundleVersion);
    if (bundle == null || ver == null) {
      return List.of();
    }
    Node v = bundleVersionNode(string(bundle, id), ver);
    Map<String, List<String>> edges =
        decoded.get(
            v.getURI() + "#dependents#" + string(v, contentHash),
            () -> dependentsOf(v),
            m -> m.values().stream().mapToLong(List::size).sum() + m.size());
    Set<String> visited = new HashSet<>(List.of(configKey));
    ArrayDeque<String> frontier = new ArrayDeque<>(List.of(configKey));
    List<String> out = new ArrayList<>();
    while (!frontier.isEmpty()) {
      for (String dependent : edges.getOrDefault(frontier.poll(), List.of())) {
        if (visited.add(dependent)) {
          out.add(dependent);
          frontier.add(dependent);
        }
      }
    }
    Collections.sort(out);
    return out;
  }

  /** Key to the keys that depend on it directly, from the version's stored edges. */
  private Map<String, List<String>> dependentsOf(Node version) {
    Map<String, List<String>> out = new HashMap<>();
    for (Triple t : graph.find(ANY, declaredIn, version).toList()) {
      Node dependent = t.getSubject();
      String dependentKey = string(dependent, key);
      graph
          .find(dependent, dependsOn, ANY)
          .forEach(
              e ->
                  out.computeIfAbsent(string(e.getObject(), key), k -> new ArrayList<>(2))
                      .add(dependentKey));
    }
    return out;
  }

  @Override
  public Optional<Blueprint> currentBlueprint(String bundle) {
    Node current = object(bundleNode(bundle), currentVersion);
    return current == null ? Optional.empty() : Optional.of(readBlueprint(current));
  }

  @Override
  public Optional<Blueprint> blueprint(String bundle, String ver) {
    Node v = bundleVersionNode(bundle, ver);
    return graph.contains(v, TYPE, BUNDLE_VERSION_CLASS)
        ? Optional.of(readBlueprint(v))
        : Optional.empty();
  }

  /** Versions are immutable (a conflicting republication is refused): decoded once, by hash. */
  private Blueprint readBlueprint(Node v) {
    return decoded.get(
        v.getURI() + "#" + string(v, contentHash),
        () -> JsonCodec.read(string(v, content), Blueprint.class),
        bp -> bp.config().size() + bp.dependencies().size());
  }

  @Override
  public List<BundleVersion> bundleVersions(String bundle) {
    List<BundleVersion> out = new ArrayList<>();
    graph
        .find(ANY, versionOf, bundleNode(bundle))
        .forEach(
            t -> {
              Node v = t.getSubject();
              Instant vAt = instant(v, validatedAt);
              Validation validation =
                  vAt == null
                      ? null
                      : new Validation(vAt, string(v, validatedBy), string(v, evidence));
              out.add(
                  new BundleVersion(
                      bundle,
                      string(v, version),
                      instant(v, createdAt),
                      string(v, createdBy),
                      validation));
            });
    out.sort(Comparator.comparing(b -> SemVer.parse(b.version())));
    return out;
  }

  // ---- snapshots and the time index ----

  @Override
  public Optional<Snapshot> snapshot(String hashText) {
    Node s = snapshotNode(hashText);
    return graph.contains(s, TYPE, SNAPSHOT_CLASS)
        ? Optional.of(readSnapshot(s))
        : Optional.empty();
  }

  private Snapshot readSnapshot(Node s) {
    Node env = object(s, environment);
    Node cfg = object(s, config);
    return new Snapshot(
        string(env, id),
        instant(s, observedAt),
        string(s, source),
        readConfig(cfg),
        string(s, contentHash));
  }

  /** Configurations are content-addressed (the node names the hash of its JSON). */
  private FlatConfig readConfig(Node cfg) {
    return decoded.get(
        cfg.getURI(),
        () -> new FlatConfig(JsonCodec.readStringMap(string(cfg, json))),
        FlatConfig::size);
  }

  @Override
  public void putSnapshot(Snapshot snap) {
    Node env = environmentNode(snap.environment());
    Node s = snapshotNode(snap.contentHash());
    String configJson = JsonCodec.write(snap.config().values());
    Node cfg = configNode(Hashing.sha256Hex(configJson));
    if (!graph.contains(cfg, TYPE, CONFIG_CLASS)) {
      add(cfg, TYPE, CONFIG_CLASS);
      add(cfg, json, str(configJson));
    }
    add(s, TYPE, SNAPSHOT_CLASS);
    add(s, environment, env);
    add(s, observedAt, dateTime(snap.observedAt()));
    add(s, source, str(snap.source()));
    add(s, config, cfg);
    add(s, contentHash, str(snap.contentHash()));
    add(dayBucket(snap.environment(), snap.observedAt()), hasSnapshot, s);

    Instant first = instant(env, firstObservedAt);
    if (first == null || snap.observedAt().isBefore(first)) {
      remove(env, firstObservedAt, ANY);
      graph.add(env, firstObservedAt, dateTime(snap.observedAt()));
    }
    Optional<Snapshot> latest = latestSnapshot(snap.environment());
    if (latest.isEmpty() || snap.observedAt().isAfter(latest.get().observedAt())) {
      remove(env, latestSnapshot, ANY);
      graph.add(env, latestSnapshot, s);
      updateCurrentValues(
          snap.environment(), latest.map(Snapshot::config).orElse(FlatConfig.EMPTY), snap.config());
    }
  }

  /**
   * Keeps one node per observed key of the latest snapshot, so blast radius is one index look-up.
   */
  private void updateCurrentValues(String envId, FlatConfig before, FlatConfig after) {
    Node env = environmentNode(envId);
    before
        .values()
        .forEach(
            (k, v) -> {
              if (after.get(k) == null) {
                remove(currentValueNode(envId, k), ANY, ANY);
              }
            });
    after
        .values()
        .forEach(
            (k, v) -> {
              if (!v.equals(before.get(k))) {
                Node cv = currentValueNode(envId, k);
                remove(cv, ANY, ANY);
                graph.add(cv, TYPE, CURRENT_VALUE_CLASS);
                graph.add(cv, environment, env);
                graph.add(cv, currentKey, str(k));
                graph.add(cv, value, str(v));
                graph.add(cv, sharedValue, sharedValueNode(k, v));
              }
            });
  }

  @Override
  public Optional<String> currentValue(String envId, String configKey) {
    return Optional.ofNullable(string(currentValueNode(envId, configKey), value));
  }

  @Override
  public List<String> environmentsWithValue(String configKey, String canonicalValue) {
    List<String> out = new ArrayList<>();
    graph
        .find(ANY, sharedValue, sharedValueNode(configKey, canonicalValue))
        .forEach(t -> out.add(string(object(t.getSubject(), environment), id)));
    Collections.sort(out);
    return out;
  }

  @Override
  public Map<String, String> currentValues(String configKey) {
    Map<String, String> out = new TreeMap<>();
    graph
        .find(ANY, currentKey, str(configKey))
        .forEach(
            t -> {
              Node cv = t.getSubject();
              out.put(string(object(cv, environment), id), string(cv, value));
            });
    return out;
  }

  @Override
  public Optional<Snapshot> latestSnapshot(String envId) {
    Node s = object(environmentNode(envId), latestSnapshot);
    return s == null ? Optional.empty() : Optional.of(readSnapshot(s));
  }

  @Override
  public Optional<Snapshot> snapshotBefore(String envId, Instant atInstant) {
    return walkBack(envId, atInstant, false);
  }

  @Override
  public Optional<Snapshot> snapshotAtOrBefore(String envId, Instant atInstant) {
    return walkBack(envId, atInstant, true);
  }

  private Optional<Snapshot> walkBack(String envId, Instant atInstant, boolean inclusive) {
    Node env = environmentNode(envId);
    Instant first = instant(env, firstObservedAt);
    Optional<Snapshot> latest = latestSnapshot(envId);
    if (first == null || latest.isEmpty() || atInstant.isBefore(first)) {
      return Optional.empty();
    }
    Instant latestAt = latest.get().observedAt();
    if (latestAt.isBefore(atInstant) || (inclusive && latestAt.equals(atInstant))) {
      return latest;
    }
    LocalDate stop = day(first);
    for (LocalDate d = day(atInstant); !d.isBefore(stop); d = d.minusDays(1)) {
      Node best = null;
      Instant bestAt = null;
      for (Triple t : graph.find(dayNode(envId, d), hasSnapshot, ANY).toList()) {
        Instant when = instant(t.getObject(), observedAt);
        boolean eligible = inclusive ? !when.isAfter(atInstant) : when.isBefore(atInstant);
        if (eligible && (bestAt == null || when.isAfter(bestAt))) {
          best = t.getObject();
          bestAt = when;
        }
      }
      if (best != null) {
        return Optional.of(readSnapshot(best));
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<Snapshot> snapshotAfter(String envId, Instant atInstant) {
    Optional<Snapshot> latest = latestSnapshot(envId);
    if (latest.isEmpty() || !latest.get().observedAt().isAfter(atInstant)) {
      return Optional.empty();
    }
    LocalDate stop = day(latest.get().observedAt());
    // Walk only the environment's own history: a backfill from long before it starts here.
    Instant first = instant(environmentNode(envId), firstObservedAt);
    Instant from = first != null && first.isAfter(atInstant) ? first : atInstant;
    for (LocalDate d = day(from); !d.isAfter(stop); d = d.plusDays(1)) {
      Node best = null;
      Instant bestAt = null;
      for (Triple t : graph.find(dayNode(envId, d), hasSnapshot, ANY).toList()) {
        Instant when = instant(t.getObject(), observedAt);
        if (when.isAfter(atInstant) && (bestAt == null || when.isBefore(bestAt))) {
          best = t.getObject();
          bestAt = when;
        }
      }
      if (best != null) {
        return Optional.of(readSnapshot(best));
      }
    }
    return latest;
  }

  // ---- changes ----

  /**
   * The changes one snapshot produced are one literal on the snapshot's node, linked from its day:
   * they are written and read together, and a literal per change set instead of a node per change
   * keeps the store a few times the size of a relational table of the same changes.
   */
  @Override
  public void putChanges(Snapshot producer, List<Change> changes) {
    if (changes.isEmpty()) {
      return;
    }
    Node s = snapshotNode(producer.contentHash());
    ChangeSet stored = changeSetOf(s);
    List<String[]> rows = new ArrayList<>(stored == null ? List.of() : stored.changes());
    for (Change c : changes) {
      rows.add(new String[] {c.key(), c.from(), c.to()});
    }
    ChangeSet set = new ChangeSet(producer.observedAt(), producer.source(), rows);
    remove(s, changeSet, ANY);
    add(s, changeSet, str(JsonCodec.write(set)));
    // When and how many, beside the literal: counting a day's changes reads no JSON.
    remove(s, changeSetSize, ANY);
    add(
        s,
        changeSetSize,
        NodeFactory.createLiteralDT(Long.toString(rows.size()), XSDDatatype.XSDlong));
    if (!graph.contains(s, observedAt, ANY)) {
      add(s, observedAt, dateTime(producer.observedAt()));
    }
    add(dayBucket(producer.environment(), producer.observedAt()), hasChangeSet, s);
    addToCounts(producer.environment(), producer.observedAt(), changes.size());
  }

  /** The stored form of one snapshot's changes: when, from where, and [key, from, to] rows. */
  record ChangeSet(Instant at, String source, List<String[]> changes) {}

  private ChangeSet changeSetOf(Node producer) {
    String json = string(producer, changeSet);
    return json == null ? null : JsonCodec.read(json, ChangeSet.class);
  }

  @Override
  public void removeChangesProducedBy(Snapshot producer) {
    Node s = snapshotNode(producer.contentHash());
    ChangeSet set = changeSetOf(s);
    if (set == null) {
      return;
    }
    remove(dayBucket(producer.environment(), producer.observedAt()), hasChangeSet, s);
    remove(s, changeSet, ANY);
    remove(s, changeSetSize, ANY);
    addToCounts(producer.environment(), producer.observedAt(), -set.changes().size());
  }

  @Override
  public List<Change> changes(String envId, Instant since, Instant until) {
    Node env = environmentNode(envId);
    Instant first = instant(env, firstObservedAt);
    Instant lastAt = latestObservedAt(env);
    List<Change> out = new ArrayList<>();
    if (first == null || lastAt == null) {
      return out;
    }
    Instant lo = since == null || since.isBefore(first) ? first : since;
    Instant hi = until == null || until.isAfter(lastAt) ? lastAt.plusNanos(1) : until;
    for (Node bucket : dayBuckets(envId, lo, hi)) {
      for (Triple t : graph.find(bucket, hasChangeSet, ANY).toList()) {
        ChangeSet set = changeSetOf(t.getObject());
        if (set != null && !set.at().isBefore(lo) && set.at().isBefore(hi)) {
          for (String[] c : set.changes()) {
            out.add(new Change(envId, c[0], c[1], c[2], set.at(), set.source()));
          }
        }
      }
    }
    out.sort(Comparator.comparing(Change::at).thenComparing(Change::key));
    return out;
  }

  /**
   * Counts from the time index: each day bucket keeps how many of the environment's changes came
   * before that day, so a window's count is the difference of two running counts, and only a day
   * that the window cuts through is read change by change.
   */
  @Override
  public int changeCount(String envId, Instant since, Instant until) {
    Node env = environmentNode(envId);
    Instant first = instant(env, firstObservedAt);
    Instant lastAt = latestObservedAt(env);
    if (first == null || lastAt == null) {
      return 0;
    }
    Instant lo = since == null || since.isBefore(first) ? first : since;
    if (until != null && !lo.isBefore(until)) {
      return 0;
    }
    long upTo =
        until == null || until.isAfter(lastAt)
            ? longValue(env, changeTotal)
            : changesBefore(envId, until, lastAt);
    return (int) (upTo - changesBefore(envId, lo, lastAt));
  }

  /** How many of the environment's changes happened strictly before {@code t}. */
  private long changesBefore(String envId, Instant t, Instant lastAt) {
    LocalDate d = day(t);
    Node bucket = dayNode(envId, d);
    if (graph.contains(bucket, TYPE, DAY_BUCKET_CLASS)) {
      long before = longValue(bucket, changesBefore);
      if (!t.equals(d.atStartOfDay(ZoneOffset.UTC).toInstant())) {
        for (Triple c : graph.find(bucket, hasChangeSet, ANY).toList()) {
          if (instant(c.getObject(), observedAt).isBefore(t)) {
            before += longValue(c.getObject(), changeSetSize);
          }
        }
      }
      return before;
    }
    Node next = nextDayAfter(envId, d, day(lastAt));
    return next == null
        ? longValue(environmentNode(envId), changeTotal)
        : longValue(next, changesBefore);
  }

  /** The first day bucket after {@code d}, up to {@code last}, or null. */
  private Node nextDayAfter(String envId, LocalDate d, LocalDate last) {
    for (YearMonth m = YearMonth.from(d); !m.isAfter(YearMonth.from(last)); m = m.plusMonths(1)) {
      Node best = null;
      LocalDate bestDay = null;
      for (Triple t : graph.find(monthNode(envId, m), hasDay, ANY).toList()) {
        LocalDate day = dayOf(t.getObject());
        if (day.isAfter(d) && (bestDay == null || day.isBefore(bestDay))) {
          best = t.getObject();
          bestDay = day;
        }
      }
      if (best != null) {
        return best;
      }
    }
    return null;
  }

  /** The day buckets after {@code d} (a backfill must move their running counts). */
  private List<Node> daysAfter(String envId, LocalDate d) {
    List<Node> out = new ArrayList<>();
    Instant lastAt = latestObservedAt(environmentNode(envId));
    if (lastAt == null || !day(lastAt).isAfter(d)) {
      return out;
    }
    for (YearMonth m = YearMonth.from(d);
        !m.isAfter(YearMonth.from(day(lastAt)));
        m = m.plusMonths(1)) {
      for (Triple t : graph.find(monthNode(envId, m), hasDay, ANY).toList()) {
        if (dayOf(t.getObject()).isAfter(d)) {
          out.add(t.getObject());
        }
      }
    }
    return out;
  }

  /**
   * The day buckets that exist between two instants, in no particular order: through the month
   * level, so days without facts cost nothing.
   */
  private List<Node> dayBuckets(String envId, Instant lo, Instant hi) {
    List<Node> out = new ArrayList<>();
    LocalDate first = day(lo);
    LocalDate last = day(hi);
    for (YearMonth m = YearMonth.from(first);
        !m.isAfter(YearMonth.from(last));
        m = m.plusMonths(1)) {
      for (Triple t : graph.find(monthNode(envId, m), hasDay, ANY).toList()) {
        LocalDate d = dayOf(t.getObject());
        if (!d.isBefore(first) && !d.isAfter(last)) {
          out.add(t.getObject());
        }
      }
    }
    return out;
  }

  /**
   * Adds {@code delta} to the counts of the day and month of {@code when} and to the environment's
   * total, and moves the running count of every later day (none when appending, the usual case).
   */
  private void addToCounts(String envId, Instant when, long delta) {
    if (delta == 0) {
      return;
    }
    Node bucket = dayBucket(envId, when);
    addLong(bucket, changeCount, delta);
    addLong(monthNode(envId, YearMonth.from(day(when))), changeCount, delta);
    addLong(environmentNode(envId), changeTotal, delta);
    for (Node later : daysAfter(envId, day(when))) {
      addLong(later, changesBefore, delta);
    }
  }

  private long count(Node bucket) {
    return longValue(bucket, changeCount);
  }

  private void setCount(Node bucket, long n) {
    setLong(bucket, changeCount, n);
  }

  private long longValue(Node s, Node p) {
    Node n = object(s, p);
    return n == null ? 0 : Long.parseLong(n.getLiteralLexicalForm());
  }

  private void addLong(Node s, Node p, long delta) {
    setLong(s, p, longValue(s, p) + delta);
  }

  private void setLong(Node s, Node p, long n) {
    graph.remove(s, p, ANY);
    graph.add(s, p, NodeFactory.createLiteralDT(Long.toString(n), XSDDatatype.XSDlong));
  }

  private void linkMonth(String envId, Node bucket, LocalDate d) {
    Node month = monthNode(envId, YearMonth.from(d));
    if (!graph.contains(month, TYPE, MONTH_BUCKET_CLASS)) {
      graph.add(month, TYPE, MONTH_BUCKET_CLASS);
    }
    graph.add(month, hasDay, bucket);
  }

  // ---- blueprint proposals ----

  @Override
  public void putBlueprintProposal(BlueprintProposal p) {
    Node n = proposalNode(p.bundle(), p.version());
    remove(n, ANY, ANY);
    add(n, TYPE, PROPOSAL_CLASS);
    add(n, proposes, bundleNode(p.bundle()));
    add(n, version, str(p.version()));
    add(n, status, str(p.status().name()));
    add(n, content, str(JsonCodec.write(p)));
  }

  @Override
  public Optional<BlueprintProposal> blueprintProposal(String bundle, String ver) {
    String json = string(proposalNode(bundle, ver), content);
    return json == null
        ? Optional.empty()
        : Optional.of(JsonCodec.read(json, BlueprintProposal.class));
  }

  @Override
  public List<BlueprintProposal> blueprintProposals(String bundle) {
    List<BlueprintProposal> out = new ArrayList<>();
    graph
        .find(ANY, proposes, bundleNode(bundle))
        .forEach(
            t -> out.add(JsonCodec.read(string(t.getSubject(), content), BlueprintProposal.class)));
    out.sort(Comparator.comparing(p -> SemVer.parse(p.version())));
    return out;
  }

  // ---- drifts ----

  @Override
  public void putDrift(Drift d, List<String> trailValues) {
    Node n = driftNode(d.id());
    Node env = environmentNode(d.environment());
    remove(n, ANY, ANY);
    add(n, TYPE, DRIFT_CLASS);
    add(n, id, str(d.id()));
    add(n, environment, env);
    add(n, key, str(d.key()));
    addOptional(n, expected, d.expected());
    addOptional(n, actual, d.actual());
    add(n, detectedAt, dateTime(d.detectedAt()));
    add(n, updatedAt, dateTime(d.updatedAt()));
    add(n, status, str(d.status().name()));
    Assessment a = d.assessment();
    add(n, riskCategory, str(a.riskCategory().name()));
    add(n, severity, str(a.severity().name()));
    for (String f : a.findings()) {
      add(n, finding, str(f));
    }
    add(n, assessment, str(JsonCodec.write(a)));
    add(n, trail, str(JsonCodec.write(trailValues)));
    add(n, driftKind, str(d.kind().name()));
    if (!graph.contains(env, hasDrift, n)) {
      graph.add(env, hasDrift, n);
    }
    linkIfActive(env, d.environment(), n, d.key(), d.status());
  }

  /**
   * The index of governed drifts: the environment, and the environment's key, link their live and
   * excepted drifts, so reconciling an ingest and re-assessing a blast radius visit those only.
   */
  private void linkIfActive(Node env, String envId, Node drift, String configKey, DriftStatus s) {
    Node byKey = activeDriftsNode(envId, configKey);
    if (s.isLive() || s == DriftStatus.EXCEPTED) {
      graph.add(env, hasActiveDrift, drift);
      graph.add(byKey, hasActiveDrift, drift);
    } else {
      graph.remove(env, hasActiveDrift, drift);
      graph.remove(byKey, hasActiveDrift, drift);
    }
  }

  /**
   * Marks an empty store with the current store format, and refuses a store written in an older
   * one: its derived indexes (governed drifts, shared values, change sets) would be missing. Such a
   * store is rebuilt from its input journal ({@code plumbline rebuild}).
   */
  void checkFormat(String location) {
    if (graph.contains(STORE, storeFormat, STORE_FORMAT)) {
      return;
    }
    if (graph.find(ANY, TYPE, ENVIRONMENT_CLASS).hasNext() || graph.contains(LEDGER, ANY, ANY)) {
      Node found = object(STORE, storeFormat);
      throw new PlumblineException(
          StoreError.STORE_FORMAT_OUTDATED,
          "data folder "
              + location
              + " holds store format "
              + (found == null ? "1" : found.getLiteralLexicalForm())
              + ", this version reads format "
              + STORE_FORMAT.getLiteralLexicalForm()
              + "; rebuild it from its input journal into a new folder",
          List.of("plumbline rebuild --from " + location + " --data NEW_FOLDER"));
    }
    graph.add(STORE, storeFormat, STORE_FORMAT);
  }

  /** Bumped whenever a derived index or a fact's stored form changes. */
  private static final Node STORE_FORMAT = NodeFactory.createLiteralDT("2", XSDDatatype.XSDinteger);

  @Override
  public List<Drift> activeDrifts(String envId) {
    List<Drift> out = new ArrayList<>();
    graph
        .find(environmentNode(envId), hasActiveDrift, ANY)
        .forEach(t -> out.add(readDrift(t.getObject())));
    out.sort(Comparator.comparing(Drift::detectedAt).thenComparing(Drift::key));
    return out;
  }

  @Override
  public List<Drift> activeDrifts(String envId, String configKey) {
    List<Drift> out = new ArrayList<>();
    graph
        .find(activeDriftsNode(envId, configKey), hasActiveDrift, ANY)
        .forEach(t -> out.add(readDrift(t.getObject())));
    return out;
  }

  @Override
  public List<Drift> drifts(String envId) {
    List<Drift> out = new ArrayList<>();
    graph
        .find(environmentNode(envId), hasDrift, ANY)
        .forEach(t -> out.add(readDrift(t.getObject())));
    out.sort(Comparator.comparing(Drift::detectedAt).thenComparing(Drift::key));
    return out;
  }

  @Override
  public List<Drift> drifts(String envId, String configKey) {
    Node k = str(configKey);
    List<Drift> out = new ArrayList<>();
    graph
        .find(environmentNode(envId), hasDrift, ANY)
        .forEach(
            t -> {
              if (graph.contains(t.getObject(), key, k)) {
                out.add(readDrift(t.getObject()));
              }
            });
    out.sort(Comparator.comparing(Drift::detectedAt));
    return out;
  }

  @Override
  public void removeDrift(String driftId) {
    Node n = driftNode(driftId);
    Node env = object(n, environment);
    String configKey = string(n, key);
    if (env != null) {
      graph.remove(env, hasDrift, n);
      graph.remove(env, hasActiveDrift, n);
      graph.remove(activeDriftsNode(string(env, id), configKey), hasActiveDrift, n);
    }
    remove(n, ANY, ANY);
  }

  @Override
  public Optional<Drift> drift(String driftId) {
    Node n = driftNode(driftId);
    return graph.contains(n, TYPE, DRIFT_CLASS) ? Optional.of(readDrift(n)) : Optional.empty();
  }

  @Override
  public List<String> driftTrail(String driftId) {
    String t = string(driftNode(driftId), trail);
    return t == null ? List.of() : JsonCodec.readStringList(t);
  }

  private Drift readDrift(Node n) {
    String kindName = string(n, driftKind);
    return new Drift(
        string(n, id),
        string(object(n, environment), id),
        string(n, key),
        string(n, expected),
        string(n, actual),
        instant(n, detectedAt),
        instant(n, updatedAt),
        DriftStatus.valueOf(string(n, status)),
        JsonCodec.read(string(n, assessment), Assessment.class),
        // drifts stored before behavioural metrics existed carry no kind: they are all of config
        kindName == null ? DriftKind.CONFIG : DriftKind.valueOf(kindName));
  }

  // ---- change requests ----

  @Override
  public void putChangeRequest(ChangeRequest r, Instant receivedAt, String actorName) {
    Node n = changeRequestNode(r.id());
    remove(n, ANY, ANY);
    add(n, TYPE, CHANGE_REQUEST_CLASS);
    add(n, id, str(r.id()));
    add(n, environment, environmentNode(r.environment()));
    for (String glob : r.keys()) {
      add(n, keyGlob, str(glob));
    }
    add(n, windowFrom, dateTime(r.from()));
    add(n, windowUntil, dateTime(r.until()));
    addOptional(n, approvedBy, r.approvedBy());
    add(n, createdAt, dateTime(receivedAt));
    add(n, createdBy, str(actorName));
    // The record as JSON too: the key globs' order is part of what a replay must repeat.
    add(n, content, str(JsonCodec.write(r)));
    graph.add(environmentNode(r.environment()), hasChangeRequest, n);
  }

  @Override
  public Optional<ChangeRequest> changeRequest(String requestId) {
    Node n = changeRequestNode(requestId);
    return graph.contains(n, TYPE, CHANGE_REQUEST_CLASS)
        ? Optional.of(JsonCodec.read(string(n, content), ChangeRequest.class))
        : Optional.empty();
  }

  @Override
  public List<ChangeRequest> changeRequests(String envId) {
    List<ChangeRequest> out = new ArrayList<>();
    graph
        .find(environmentNode(envId), hasChangeRequest, ANY)
        .forEach(t -> out.add(JsonCodec.read(string(t.getObject(), content), ChangeRequest.class)));
    out.sort(Comparator.comparing(ChangeRequest::from).thenComparing(ChangeRequest::id));
    return out;
  }

  // ---- prompts ----

  @Override
  public void putPromptVersion(PromptVersion pv, Instant registeredAt, String actorName) {
    Node prompt = promptNode(pv.id());
    Node v = promptVersionNode(pv.id(), pv.version());
    if (!graph.contains(prompt, TYPE, PROMPT_CLASS)) {
      add(prompt, TYPE, PROMPT_CLASS);
      add(prompt, id, str(pv.id()));
    }
    remove(v, ANY, ANY);
    add(v, TYPE, PROMPT_VERSION_CLASS);
    add(v, version, str(pv.version()));
    add(v, text, str(pv.text()));
    add(v, contentHash, str(pv.contentHash()));
    addOptional(v, testedWithModel, pv.testedWithModel());
    if (pv.evalScore() != null) {
      add(
          v,
          evalScore,
          NodeFactory.createLiteralDT(pv.evalScore().toString(), XSDDatatype.XSDdouble));
    }
    addOptional(v, evalSuite, pv.evalSuite());
    addOptional(v, verifiedAt, pv.verifiedAt());
    add(v, createdAt, dateTime(registeredAt));
    add(v, createdBy, str(actorName));
    add(v, content, str(JsonCodec.write(pv)));
    add(prompt, hasVersion, v);
  }

  @Override
  public List<PromptVersion> promptVersions(String promptId) {
    List<PromptVersion> out = new ArrayList<>();
    graph
        .find(promptNode(promptId), hasVersion, ANY)
        .forEach(t -> out.add(JsonCodec.read(string(t.getObject(), content), PromptVersion.class)));
    out.sort(Comparator.comparing(pv -> SemVer.parse(pv.version())));
    return out;
  }

  @Override
  public Optional<PromptVersion> promptVersion(String promptId, String ver) {
    Node v = promptVersionNode(promptId, ver);
    return graph.contains(v, TYPE, PROMPT_VERSION_CLASS)
        ? Optional.of(JsonCodec.read(string(v, content), PromptVersion.class))
        : Optional.empty();
  }

  // ---- dispositions ----

  @Override
  public void putDisposition(Disposition d) {
    Node n = dispositionNode(d.id());
    remove(n, ANY, ANY);
    add(n, TYPE, DISPOSITION_CLASS);
    add(n, id, str(d.id()));
    add(n, disposes, driftNode(d.drift()));
    add(n, kind, str(d.kind().name()));
    add(n, status, str(d.status().name()));
    add(n, requestedBy, str(d.requestedBy()));
    add(n, justification, str(d.justification()));
    add(n, content, str(JsonCodec.write(d)));
  }

  @Override
  public Optional<Disposition> disposition(String dispositionId) {
    Node n = dispositionNode(dispositionId);
    return graph.contains(n, TYPE, DISPOSITION_CLASS)
        ? Optional.of(JsonCodec.read(string(n, content), Disposition.class))
        : Optional.empty();
  }

  @Override
  public List<Disposition> dispositions(String driftId) {
    List<Disposition> out = new ArrayList<>();
    graph
        .find(ANY, disposes, driftNode(driftId))
        .forEach(t -> out.add(JsonCodec.read(string(t.getSubject(), content), Disposition.class)));
    out.sort(Comparator.comparing(Disposition::requestedAt).thenComparing(Disposition::id));
    return out;
  }

  // ---- behavioural metrics ----

  @Override
  public Optional<MetricSeries> metricSeries(String envId, String metricName) {
    Node n = metricSeriesNode(envId, metricName);
    return graph.contains(n, TYPE, METRIC_SERIES_CLASS)
        ? Optional.of(readMetricSeries(n))
        : Optional.empty();
  }

  @Override
  public List<MetricSeries> metricSeriesOf(String envId) {
    List<MetricSeries> out = new ArrayList<>();
    graph
        .find(environmentNode(envId), hasMetric, ANY)
        .forEach(t -> out.add(readMetricSeries(t.getObject())));
    out.sort(Comparator.comparing(MetricSeries::metric));
    return out;
  }

  private MetricSeries readMetricSeries(Node n) {
    return new MetricSeries(
        string(object(n, environment), id),
        string(n, metric),
        string(n, kind),
        string(object(n, currentBaseline), window),
        string(n, status),
        (int) number(n, streak),
        (int) number(n, cooldownLeft),
        number(n, windowCount));
  }

  @Override
  public void putMetricSeries(MetricSeries series) {
    Node n = metricSeriesNode(series.environment(), series.metric());
    Node env = environmentNode(series.environment());
    // Only the series' own statements: its baselines and windows point at it and stay.
    for (Node p :
        List.of(
            TYPE,
            environment,
            metric,
            kind,
            currentBaseline,
            status,
            streak,
            cooldownLeft,
            windowCount)) {
      remove(n, p, ANY);
    }
    add(n, TYPE, METRIC_SERIES_CLASS);
    add(n, environment, env);
    add(n, metric, str(series.metric()));
    add(n, kind, str(series.kind()));
    add(
        n,
        currentBaseline,
        metricBaselineNode(series.environment(), series.metric(), series.baseline()));
    add(n, status, str(series.status()));
    add(n, streak, integer(series.streak()));
    add(n, cooldownLeft, integer(series.cooldownLeft()));
    add(n, windowCount, longLiteral(series.windows()));
    if (!graph.contains(env, hasMetric, n)) {
      graph.add(env, hasMetric, n);
    }
  }

  @Override
  public Optional<MetricBaseline> metricBaseline(
      String envId, String metricName, String windowLabel) {
    Node n = metricBaselineNode(envId, metricName, windowLabel);
    if (!graph.contains(n, TYPE, METRIC_BASELINE_CLASS)) {
      return Optional.empty();
    }
    return Optional.of(
        new MetricBaseline(
            envId,
            metricName,
            string(n, window),
            string(n, kind),
            string(object(n, values), json),
            string(n, contentHash),
            instant(n, at),
            string(n, createdBy)));
  }

  @Override
  public void putMetricBaseline(MetricBaseline b) {
    Node n = metricBaselineNode(b.environment(), b.metric(), b.window());
    remove(n, ANY, ANY);
    add(n, TYPE, METRIC_BASELINE_CLASS);
    add(n, baselineOf, metricSeriesNode(b.environment(), b.metric()));
    add(n, window, str(b.window()));
    add(n, kind, str(b.kind()));
    add(n, values, metricValues(b.values()));
    add(n, contentHash, str(b.contentHash()));
    add(n, at, dateTime(b.setAt()));
    add(n, createdBy, str(b.setBy()));
  }

  @Override
  public List<MetricWindow> metricWindows(String envId, String metricName) {
    List<MetricWindow> out = new ArrayList<>();
    graph
        .find(ANY, windowOf, metricSeriesNode(envId, metricName))
        .forEach(t -> out.add(readMetricWindow(envId, metricName, t.getSubject())));
    out.sort(Comparator.comparingLong(MetricWindow::seq));
    return out;
  }

  @Override
  public Optional<MetricWindow> metricWindow(String envId, String metricName, String windowLabel) {
    Node n = metricWindowNode(envId, metricName, windowLabel);
    return graph.contains(n, TYPE, METRIC_WINDOW_CLASS)
        ? Optional.of(readMetricWindow(envId, metricName, n))
        : Optional.empty();
  }

  @Override
  public Optional<String> metricWindowValues(String envId, String metricName, String windowLabel) {
    Node v = object(metricWindowNode(envId, metricName, windowLabel), values);
    return v == null ? Optional.empty() : Optional.ofNullable(string(v, json));
  }

  private MetricWindow readMetricWindow(String envId, String metricName, Node n) {
    return new MetricWindow(
        envId,
        metricName,
        number(n, seq),
        string(n, window),
        string(n, kind),
        string(object(n, testedAgainst), window),
        decimal(n, statistic),
        decimal(n, pValue),
        decimal(n, psi),
        string(n, effect),
        Boolean.parseBoolean(string(n, beyondThreshold)),
        string(n, status),
        string(n, contentHash),
        instant(n, at));
  }

  @Override
  public void putMetricWindow(MetricWindow w, String valuesJson) {
    Node n = metricWindowNode(w.environment(), w.metric(), w.window());
    remove(n, ANY, ANY);
    add(n, TYPE, METRIC_WINDOW_CLASS);
    add(n, windowOf, metricSeriesNode(w.environment(), w.metric()));
    add(n, seq, longLiteral(w.seq()));
    add(n, window, str(w.window()));
    add(n, kind, str(w.kind()));
    add(n, testedAgainst, metricBaselineNode(w.environment(), w.metric(), w.baseline()));
    add(n, statistic, doubleLiteral(w.statistic()));
    add(n, pValue, doubleLiteral(w.pValue()));
    add(n, psi, doubleLiteral(w.psi()));
    add(n, effect, str(w.effect()));
    add(
        n,
        beyondThreshold,
        NodeFactory.createLiteralDT(Boolean.toString(w.beyondThreshold()), XSDDatatype.XSDboolean));
    add(n, status, str(w.status()));
    add(n, values, metricValues(valuesJson));
    add(n, contentHash, str(w.contentHash()));
    add(n, at, dateTime(w.at()));
  }

  /** The content-addressed node holding a sample's values, created on first use. */
  private Node metricValues(String valuesJson) {
    Node v = metricValuesNode(Hashing.sha256Hex(valuesJson));
    if (!graph.contains(v, TYPE, METRIC_VALUES_CLASS)) {
      add(v, TYPE, METRIC_VALUES_CLASS);
      add(v, json, str(valuesJson));
    }
    return v;
  }

  @Override
  public void recordValidation(String bundle, String ver, Validation validation) {
    Node v = bundleVersionNode(bundle, ver);
    for (Node p : List.of(validatedAt, validatedBy, evidence)) {
      remove(v, p, ANY);
    }
    graph.add(v, validatedAt, dateTime(validation.at()));
    graph.add(v, validatedBy, str(validation.by()));
    graph.add(v, evidence, str(validation.evidence()));
  }

  // ---- cursors ----

  @Override
  public long cursor(String name) {
    Node o = object(cursorNode(name), position);
    return o == null ? 0 : Long.parseLong(o.getLiteralLexicalForm());
  }

  @Override
  public void putCursor(String name, long at) {
    Node n = cursorNode(name);
    remove(n, ANY, ANY);
    graph.add(n, TYPE, CURSOR_CLASS);
    graph.add(n, position, NodeFactory.createLiteralDT(Long.toString(at), XSDDatatype.XSDlong));
  }

  // ---- audit ledger ----

  @Override
  public AuditRecord appendAudit(
      Instant atInstant,
      String actorName,
      String actionName,
      String envId,
      String subjectName,
      String detailJson) {
    long head = auditCount();
    String prev = head == 0 ? AuditChain.GENESIS : string(LEDGER, headHash);
    Instant when = atInstant;
    if (head > 0) {
      Instant prevAt = instant(auditNode(head), at);
      if (prevAt.isAfter(when)) {
        when = prevAt;
      }
    }
    long seqNo = head + 1;
    String h =
        AuditChain.hash(prev, seqNo, when, actorName, actionName, envId, subjectName, detailJson);
    Node n = auditNode(seqNo);
    add(n, TYPE, AUDIT_CLASS);
    add(n, seq, NodeFactory.createLiteralDT(Long.toString(seqNo), XSDDatatype.XSDlong));
    add(n, at, dateTime(when));
    add(n, actor, str(actorName));
    add(n, action, str(actionName));
    addOptional(n, environmentId, envId);
    add(n, subject, str(subjectName));
    addOptional(n, detail, detailJson);
    add(n, hash, str(h));
    add(n, prevHash, str(prev));
    if (envId != null) {
      graph.add(environmentNode(envId), hasAudit, n);
    }
    MerkleFrontier tree = MerkleFrontier.decode(string(LEDGER, frontier));
    tree.append(h);
    remove(LEDGER, ANY, ANY);
    graph.add(LEDGER, TYPE, LEDGER_CLASS);
    graph.add(
        LEDGER, headSeq, NodeFactory.createLiteralDT(Long.toString(seqNo), XSDDatatype.XSDlong));
    graph.add(LEDGER, headHash, str(h));
    graph.add(LEDGER, frontier, str(tree.encode()));
    if (seqNo % AuditLedger.CHECKPOINT_INTERVAL == 0) {
      Node c = checkpointNode(seqNo);
      add(c, TYPE, CHECKPOINT_CLASS);
      add(c, size, NodeFactory.createLiteralDT(Long.toString(seqNo), XSDDatatype.XSDlong));
      add(c, root, str(tree.root()));
      add(c, at, dateTime(when));
    }
    return new AuditRecord(
        seqNo, when, actorName, actionName, envId, subjectName, detailJson, h, prev);
  }

  @Override
  public long auditCount() {
    Node n = object(LEDGER, headSeq);
    return n == null ? 0 : Long.parseLong(n.getLiteralLexicalForm());
  }

  @Override
  public String auditRoot() {
    return MerkleFrontier.decode(string(LEDGER, frontier)).root();
  }

  @Override
  public List<AuditCheckpoint> auditCheckpoints() {
    List<AuditCheckpoint> out = new ArrayList<>();
    graph
        .find(ANY, TYPE, CHECKPOINT_CLASS)
        .forEach(
            t -> {
              Node c = t.getSubject();
              Node s = object(c, size);
              out.add(
                  new AuditCheckpoint(
                      s == null ? -1 : Long.parseLong(s.getLiteralLexicalForm()),
                      string(c, root),
                      instant(c, at)));
            });
    out.sort(Comparator.comparingLong(AuditCheckpoint::size));
    return out;
  }

  @Override
  public Optional<AuditRecord> auditRecord(long seqNo) {
    Node n = auditNode(seqNo);
    return graph.contains(n, TYPE, AUDIT_CLASS) ? Optional.of(readAudit(n)) : Optional.empty();
  }

  /**
   * Records are in time order by sequence number (the ledger never goes back in time), so a window
   * is found by binary search over sequence numbers rather than by a scan.
   */
  @Override
  public List<AuditRecord> audit(String envId, Instant since, Instant until) {
    long count = auditCount();
    long lo = 1;
    long hi = count + 1;
    if (since != null) {
      while (lo < hi) {
        long mid = (lo + hi) >>> 1;
        Instant when = instant(auditNode(mid), at);
        if (when == null || when.isBefore(since)) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
    }
    List<AuditRecord> out = new ArrayList<>();
    for (long s = lo; s <= count; s++) {
      Node n = auditNode(s);
      Instant when = instant(n, at);
      if (until != null && when != null && !when.isBefore(until)) {
        break;
      }
      if (envId == null || envId.equals(string(n, environmentId))) {
        out.add(readAudit(n));
      }
    }
    return out;
  }

  private AuditRecord readAudit(Node n) {
    Node seqNode = object(n, seq);
    return new AuditRecord(
        seqNode == null ? -1 : Long.parseLong(seqNode.getLiteralLexicalForm()),
        instant(n, at),
        string(n, actor),
        string(n, action),
        string(n, environmentId),
        string(n, subject),
        string(n, detail),
        string(n, hash),
        string(n, prevHash));
  }

  // ---- triples ----

  private Node dayBucket(String envId, Instant when) {
    LocalDate d = day(when);
    Node bucket = dayNode(envId, d);
    if (!graph.contains(bucket, TYPE, DAY_BUCKET_CLASS)) {
      // Its running count: the environment's changes less those of the days after it.
      long later = 0;
      for (Node after : daysAfter(envId, d)) {
        later += count(after);
      }
      graph.add(bucket, TYPE, DAY_BUCKET_CLASS);
      graph.add(bucket, day, NodeFactory.createLiteralDT(d.toString(), XSDDatatype.XSDdate));
      setLong(bucket, changesBefore, longValue(environmentNode(envId), changeTotal) - later);
      linkMonth(envId, bucket, d);
    }
    return bucket;
  }

  private static LocalDate day(Instant when) {
    return LocalDate.ofInstant(when, ZoneOffset.UTC);
  }

  private void add(Node s, Node p, Node o) {
    graph.add(s, p, o);
    if (written != null) {
      written.add(s, p, o);
    }
  }

  /**
   * Removes from the graph and from what this transaction wrote, so that a node written twice in
   * one transaction is validated as it ends up, not as the union of both versions.
   */
  private void remove(Node s, Node p, Node o) {
    graph.remove(s, p, o);
    if (written != null) {
      written.remove(s, p, o);
    }
  }

  private void addOptional(Node s, Node p, Object v) {
    if (v instanceof Instant i) {
      add(s, p, dateTime(i));
    } else if (v != null) {
      add(s, p, str(v.toString()));
    }
  }

  private Node object(Node s, Node p) {
    var it = graph.find(s, p, ANY);
    try {
      return it.hasNext() ? it.next().getObject() : null;
    } finally {
      it.close();
    }
  }

  private String string(Node s, Node p) {
    Node o = object(s, p);
    return o == null ? null : o.getLiteralLexicalForm();
  }

  /** When the environment's latest snapshot was observed, without reading that snapshot. */
  private Instant latestObservedAt(Node env) {
    Node latest = object(env, latestSnapshot);
    return latest == null ? null : instant(latest, observedAt);
  }

  /** Instants are read from their lexical form: a Calendar would drop sub-millisecond digits. */
  private Instant instant(Node s, Node p) {
    Node o = object(s, p);
    return o == null ? null : OffsetDateTime.parse(o.getLiteralLexicalForm()).toInstant();
  }

  private long number(Node s, Node p) {
    Node o = object(s, p);
    return o == null ? 0 : Long.parseLong(o.getLiteralLexicalForm());
  }

  private double decimal(Node s, Node p) {
    Node o = object(s, p);
    return o == null ? Double.NaN : Double.parseDouble(o.getLiteralLexicalForm());
  }

  private static Node integer(int i) {
    return NodeFactory.createLiteralDT(Integer.toString(i), XSDDatatype.XSDint);
  }

  private static Node longLiteral(long l) {
    return NodeFactory.createLiteralDT(Long.toString(l), XSDDatatype.XSDlong);
  }

  /**
   * Double.toString round-trips exactly and is a valid xsd:double lexical form for finite values.
   */
  private static Node doubleLiteral(double d) {
    return NodeFactory.createLiteralDT(Double.toString(d), XSDDatatype.XSDdouble);
  }

  private static Node str(String s) {
    return NodeFactory.createLiteralString(s);
  }

  private static Node dateTime(Instant i) {
    return NodeFactory.createLiteralDT(i.toString(), XSDDatatype.XSDdateTime);
  }
}
