package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.dateTime;
import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.TimeIndex.day;
import static org.plumbline.ontology.internal.Vocab.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.jena.graph.Node;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.Snapshot;

/**
 * Snapshots and their content-addressed configurations; each environment links its first and latest
 * observation, and the time index links each day's snapshots, so "the snapshot at or before t"
 * walks back day by day from t instead of scanning.
 */
final class Snapshots {
  private final Triples g;
  private final Facts facts;
  private final Index index;
  private final TimeIndex time;
  private final CurrentValues currentValues;
  private final DecodedValues decoded;

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
        g.instant(s, observedAt),
        g.string(s, source),
        readConfig(cfg),
        g.string(s, contentHash));
  }

  /** Configurations are content-addressed (the node names the hash of its JSON). */
  private FlatConfig readConfig(Node cfg) {
    return decoded.get(
        cfg.getURI(),
        () -> new FlatConfig(JsonCodec.readStringMap(g.string(cfg, json))),
        FlatConfig::size);
  }

  void put(Snapshot snap) {
    Node env = environmentNode(snap.environment());
    Node s = snapshotNode(snap.contentHash());
    String configJson = JsonCodec.write(snap.config().values());
    Node cfg = configNode(Hashing.sha256Hex(configJson));
    if (!g.contains(cfg, TYPE, CONFIG_CLASS)) {
      facts.add(cfg, TYPE, CONFIG_CLASS);
      facts.add(cfg, json, str(configJson));
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
      index.remove(env, latestSnapshot, Triples.ANY);
      index.add(env, latestSnapshot, s);
      currentValues.update(
          snap.environment(), latest.map(Snapshot::config).orElse(FlatConfig.EMPTY), snap.config());
    }
  }

  Optional<Snapshot> latest(String envId) {
    Node s = g.object(environmentNode(envId), latestSnapshot);
    return s == null ? Optional.empty() : Optional.of(read(s));
  }

  Optional<Snapshot> before(String envId, Instant atInstant) {
    return walkBack(envId, atInstant, false);
  }

  Optional<Snapshot> atOrBefore(String envId, Instant atInstant) {
    return walkBack(envId, atInstant, true);
  }

  private Optional<Snapshot> walkBack(String envId, Instant atInstant, boolean inclusive) {
    Node env = environmentNode(envId);
    Instant first = g.instant(env, firstObservedAt);
    Optional<Snapshot> latest = latest(envId);
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
      for (Node candidate : time.linkedFrom(envId, d, hasSnapshot)) {
        Instant when = g.instant(candidate, observedAt);
        boolean eligible = inclusive ? !when.isAfter(atInstant) : when.isBefore(atInstant);
        if (eligible && (bestAt == null || when.isAfter(bestAt))) {
          best = candidate;
          bestAt = when;
        }
      }
      if (best != null) {
        return Optional.of(read(best));
      }
    }
    return Optional.empty();
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
        Instant when = g.instant(candidate, observedAt);
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
