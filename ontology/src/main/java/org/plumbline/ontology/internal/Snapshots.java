package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.dateTime;
import static org.plumbline.ontology.internal.Literals.longLiteral;
import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.TimeIndex.day;
import static org.plumbline.ontology.internal.Vocab.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.jena.graph.Node;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.Snapshot;

/**
 * Snapshots and their content-addressed configurations; each environment links its first and latest
 * observation, and the time index links each day's snapshots, so "the snapshot at or before t"
 * walks back day by day from t instead of scanning.
 *
 * <p>A configuration node is named by the hash of its full JSON, whatever its stored form. A new
 * one is stored as a delta ({@link ConfigDelta}) against the configuration of the snapshot observed
 * just before it in its environment, or whole (a keyframe) when it has no predecessor, when the
 * delta would name half its keys or more, or when the predecessor's configuration is already {@link
 * #KEYFRAME_EVERY}{@code - 1} deltas from its keyframe. A delta names its base configuration, not a
 * snapshot, and no stored configuration is ever rewritten: a snapshot that arrives late, between
 * two stored ones, is a delta against its own predecessor and leaves the later one's chain as it
 * was. Configurations written before deltas (a {@code json} literal) are keyframes, read as before.
 */
final class Snapshots {
  /**
   * At most this many configurations in a chain: a read rebuilds a configuration from at most
   * {@code KEYFRAME_EVERY - 1} deltas, and the store holds a full configuration at least every 32
   * snapshots of an environment.
   */
  static final int KEYFRAME_EVERY = 32;

  /** A stored chain longer than this is corrupt (chains are built at most KEYFRAME_EVERY long). */
  private static final int CHAIN_LIMIT = 4096;

  private final Triples g;
  private final Facts facts;
  private final Index index;
  private final TimeIndex time;
  private final CurrentValues currentValues;
  private final DecodedValues decoded;

  /**
   * Per environment, the latest snapshot this transaction stored and the latest before it: its
   * predecessor, which the same ingest asks for next (observation gaps, closing drifts), found
   * without walking a day of snapshots whose nodes the transaction has only just written.
   */
  private final java.util.Map<String, StoredLatest> storedLatest = new java.util.HashMap<>();

  /** A snapshot this transaction made its environment's latest, and the latest before it. */
  private record StoredLatest(Node snapshot, Node before) {}

  Snapshots(Triples g, TimeIndex time, CurrentValues currentValues, DecodedValues decoded) {
    this.g = g;
    this.facts = g.facts;
    this.index = g.index;
    this.time = time;
    this.currentValues = currentValues;
    this.decoded = decoded;
  }

  Optional<Snapshot> snapshot(String hashText) {
    Node s = snapshotNode(hashText);
    return g.contains(s, TYPE, SNAPSHOT_CLASS) ? Optional.of(read(s)) : Optional.empty();
  }

  private Snapshot read(Node s) {
    Node env = g.object(s, environment);
    Node cfg = g.object(s, config);
    return new Snapshot(
        g.string(env, id),
        observedAtOf(s),
        g.string(s, source),
        readConfig(cfg),
        g.string(s, contentHash));
  }

  /**
   * Configurations are content-addressed (the node names the hash of its JSON): a decoded one is
   * kept. Otherwise the chain is walked back to its keyframe (or to a kept configuration) and its
   * deltas laid over it, oldest first.
   */
  private FlatConfig readConfig(Node cfg) {
    FlatConfig kept = decoded.kept(cfg.getURI());
    if (kept != null) {
      return kept;
    }
    Deque<String> deltas = new ArrayDeque<>();
    TreeMap<String, String> values = null;
    for (Node at = cfg; values == null; ) {
      FlatConfig known = at == cfg ? null : decoded.kept(at.getURI());
      String full = known == null ? g.string(at, json) : null;
      if (known != null) {
        values = new TreeMap<>(known.values());
      } else if (full != null) {
        values = new TreeMap<>(JsonCodec.readStringMap(full));
      } else {
        String delta = g.string(at, configDelta);
        Node base = g.object(at, configBase);
        if (delta == null || base == null || deltas.size() >= CHAIN_LIMIT) {
          throw new IllegalStateException(
              "stored configuration " + at.getURI() + " has neither its JSON nor a whole delta");
        }
        deltas.push(delta);
        at = base;
      }
    }
    while (!deltas.isEmpty()) {
      ConfigDelta.decode(deltas.pop()).applyTo(values);
    }
    FlatConfig rebuilt = new FlatConfig(values);
    return decoded.get(cfg.getURI(), () -> rebuilt, FlatConfig::size);
  }

  /** A new configuration node: a delta against the predecessor's configuration, or whole. */
  private void putConfig(Node cfg, String configJson, Snapshot snap) {
    facts.add(cfg, TYPE, CONFIG_CLASS);
    Node previous = walkBack(snap.environment(), snap.observedAt(), false);
    Node base = previous == null ? null : g.object(previous, config);
    if (base != null) {
      long depth = g.number(base, configDepth) + 1;
      if (depth < KEYFRAME_EVERY) {
        ConfigDelta delta = ConfigDelta.between(readConfig(base), snap.config());
        if (2L * delta.size() < snap.config().size()) {
          facts.add(cfg, configBase, base);
          facts.add(cfg, configDelta, str(delta.encode()));
          facts.add(cfg, configDepth, longLiteral(depth));
          return;
        }
      }
    }
    facts.add(cfg, json, str(configJson));
  }

  void put(Snapshot snap) {
    Node env = environmentNode(snap.environment());
    Node s = snapshotNode(snap.contentHash());
    String configJson = JsonCodec.write(snap.config().values());
    Node cfg = configNode(Hashing.sha256Hex(configJson));
    if (!g.contains(cfg, TYPE, CONFIG_CLASS)) {
      putConfig(cfg, configJson, snap);
    }
    facts.add(s, TYPE, SNAPSHOT_CLASS);
    facts.add(s, environment, env);
    facts.add(s, observedAt, dateTime(snap.observedAt()));
    facts.add(s, source, str(snap.source()));
    facts.add(s, config, cfg);
    facts.add(s, contentHash, str(snap.contentHash()));
    index.add(time.dayBucket(snap.environment(), snap.observedAt()), hasSnapshot, s);

    Instant first = g.instant(env, firstObservedAt);
    if (first == null || snap.observedAt().isBefore(first)) {
      index.remove(env, firstObservedAt, Triples.ANY);
      index.add(env, firstObservedAt, dateTime(snap.observedAt()));
    }
    Optional<Snapshot> latest = latest(snap.environment());
    if (latest.isEmpty() || snap.observedAt().isAfter(latest.get().observedAt())) {
      storedLatest.put(
          snap.environment(),
          new StoredLatest(s, latest.map(l -> snapshotNode(l.contentHash())).orElse(null)));
      index.remove(env, latestSnapshot, Triples.ANY);
      index.add(env, latestSnapshot, s);
      currentValues.update(
          snap.environment(), latest.map(Snapshot::config).orElse(FlatConfig.EMPTY), snap.config());
    } else {
      // a backfill may land between the latest and the one before it
      storedLatest.remove(snap.environment());
    }
  }

  Optional<Snapshot> latest(String envId) {
    Node s = g.object(environmentNode(envId), latestSnapshot);
    return s == null ? Optional.empty() : Optional.of(read(s));
  }

  Optional<Snapshot> before(String envId, Instant atInstant) {
    return Optional.ofNullable(walkBack(envId, atInstant, false)).map(this::read);
  }

  Optional<Snapshot> atOrBefore(String envId, Instant atInstant) {
    return Optional.ofNullable(walkBack(envId, atInstant, true)).map(this::read);
  }

  /**
   * When a snapshot was observed. The instant is part of the snapshot's identity (its node names
   * the hash over it), so it is kept once read: finding the snapshot before an instant compares
   * every snapshot of a day, and a loader that posts every minute makes hundreds of them.
   */
  private Instant observedAtOf(Node snapshot) {
    return decoded.get(
        snapshot.getURI() + "#observedAt", () -> g.instant(snapshot, observedAt), t -> 1);
  }

  /** The node of the environment's snapshot before (or at) an instant, or null. */
  private Node walkBack(String envId, Instant atInstant, boolean inclusive) {
    Node env = environmentNode(envId);
    Instant first = g.instant(env, firstObservedAt);
    Node latest = g.object(env, latestSnapshot);
    if (first == null || latest == null || atInstant.isBefore(first)) {
      return null;
    }
    Instant latestAt = observedAtOf(latest);
    if (latestAt.isBefore(atInstant) || (inclusive && latestAt.equals(atInstant))) {
      return latest;
    }
    StoredLatest stored = storedLatest.get(envId);
    if (stored != null && stored.snapshot().equals(latest) && latestAt.equals(atInstant)) {
      return stored.before();
    }
    LocalDate stop = day(first);
    for (LocalDate d = day(atInstant); !d.isBefore(stop); d = d.minusDays(1)) {
      Node best = null;
      Instant bestAt = null;
      for (Node candidate : time.linkedFrom(envId, d, hasSnapshot)) {
        Instant when = observedAtOf(candidate);
        boolean eligible = inclusive ? !when.isAfter(atInstant) : when.isBefore(atInstant);
        if (eligible && (bestAt == null || when.isAfter(bestAt))) {
          best = candidate;
          bestAt = when;
        }
      }
      if (best != null) {
        return best;
      }
    }
    return null;
  }

  Optional<Snapshot> after(String envId, Instant atInstant) {
    Optional<Snapshot> latest = latest(envId);
    if (latest.isEmpty() || !latest.get().observedAt().isAfter(atInstant)) {
      return Optional.empty();
    }
    LocalDate stop = day(latest.get().observedAt());
    // Walk only the environment's own history: a backfill from long before it starts here.
    Instant first = g.instant(environmentNode(envId), firstObservedAt);
    Instant from = first != null && first.isAfter(atInstant) ? first : atInstant;
    for (LocalDate d = day(from); !d.isAfter(stop); d = d.plusDays(1)) {
      Node best = null;
      Instant bestAt = null;
      for (Node candidate : time.linkedFrom(envId, d, hasSnapshot)) {
        Instant when = observedAtOf(candidate);
        if (when.isAfter(atInstant) && (bestAt == null || when.isBefore(bestAt))) {
          best = candidate;
          bestAt = when;
        }
      }
      if (best != null) {
        return Optional.of(read(best));
      }
    }
    return latest;
  }
}
