package org.plumbline.server;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.plumbline.loaders.BlueprintParser;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.ParsedMetricSample;
import org.plumbline.loaders.PromptVersionDocument;
import org.plumbline.loaders.Secrets;
import org.plumbline.loaders.SnapshotParser;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;
import org.plumbline.rules.Governance;
import org.plumbline.rules.MetricSample;
import org.plumbline.rules.RulePack;

/**
 * {@code --data DIR}: the governed write path on a store opened by this process. Every input is
 * written to the store's input journal first, in contract format, as the server does, so {@code
 * plumbline rebuild} can replay loads made without a server too.
 */
final class StoreTarget implements LoadTarget {
  private final GraphStore store;
  private final Governance governance;
  private final InputJournal journal;
  private final Clock clock;
  private final String actor;
  private final Secrets secrets;
  private boolean wroteAny;

  StoreTarget(Path data, Path rules, Clock clock, String actor) {
    RulePack pack = RulePacks.load(rules);
    this.store = GraphStore.openTdb2(data);
    try {
      this.secrets = HmacKey.ofData(data);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    this.governance = new Governance(store, () -> pack, clock);
    this.journal = InputJournal.open(data.resolve("journal"));
    this.clock = clock;
    this.actor = actor;
  }

  /** The data folder's key, the one a server on this folder uses. */
  @Override
  public Secrets secrets() {
    return secrets;
  }

  /** Journaled as read, or as redacted contract JSON when a secret was redacted from it. */
  @Override
  public Stored blueprint(Loaded.BlueprintLoaded blueprint, byte[] content) {
    String type =
        new String(content, java.nio.charset.StandardCharsets.UTF_8).stripLeading().startsWith("{")
            ? "application/json"
            : "application/yaml";
    if (WritePath.hasMarkers(blueprint.blueprint())) {
      type = "application/json";
      content =
          BlueprintParser.toJson(blueprint.blueprint())
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    journal.append(clock.instant(), actor, "loader", "blueprint", type, content);
    return stored(governance.ingestBlueprint(blueprint.blueprint(), actor));
  }

  @Override
  public List<Stored> snapshots(List<Snapshot> snapshots) {
    return snapshotBatch(snapshots, n -> {});
  }

  @Override
  public Stored changeRequests(List<ChangeRequest> requests) {
    throw needsServer(requests.size() + " change requests", "/api/v1/change-requests");
  }

  @Override
  public List<Stored> prompts(List<PromptVersionDocument> versions) {
    throw needsServer(versions.size() + " prompt versions", "/api/v1/prompts");
  }

  private static PlumblineException needsServer(String what, String endpoint) {
    return new PlumblineException(
        ServerError.NEEDS_SERVER,
        what
            + " not loaded: a store cannot take them directly yet; load them with --server"
            + " (POST "
            + endpoint
            + ")",
        List.of(endpoint));
  }

  /** Journaled in its contract JSON first, like every input, then ingested as the server does. */
  @Override
  public Stored metricSample(ParsedMetricSample p, byte[] content) {
    MetricSample sample =
        MetricSample.of(
            p.environment(), p.metric(), p.kind(), p.window(), p.baseline(), p.values());
    journal.append(clock.instant(), actor, "loader", "metric", "application/json", content);
    return stored(governance.ingestMetric(sample, actor));
  }

  @Override
  public Set<String> alreadyStored(Collection<String> contentHashes) {
    return store.read(
        r ->
            contentHashes.stream()
                .filter(h -> r.snapshot(h).isPresent())
                .collect(Collectors.toSet()));
  }

  @Override
  public List<Stored> snapshotBatch(List<Snapshot> batch, IntConsumer processed) {
    // What Governance.ingestSnapshots does (each ingest joins the one outer write transaction),
    // with a word after each snapshot so a progress bar moves while a large batch runs.
    return store.write(
        w -> {
          List<Stored> stored = new ArrayList<>();
          for (Snapshot snapshot : batch) {
            journal.append(
                clock.instant(),
                actor,
                "loader",
                "snapshot",
                "application/json",
                SnapshotParser.toJson(snapshot).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            stored.add(stored(governance.ingestSnapshot(snapshot, actor)));
            processed.accept(stored.size());
          }
          return stored;
        });
  }

  private Stored stored(Governance.IngestResult r) {
    wroteAny |= !r.replay();
    return new Stored(r.replay(), r.subject(), r.summary());
  }

  @Override
  public void close() {
    journal.close();
    if (wroteAny) {
      store.compact(); // a bulk load in many commits leaves their superseded blocks behind
    }
    store.close();
  }
}
