package org.plumbline.server.write;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.plumbline.loaders.BlueprintParser;
import org.plumbline.loaders.ChangeRequestParser;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.ParsedMetricSample;
import org.plumbline.loaders.PromptParser;
import org.plumbline.loaders.PromptVersionDocument;
import org.plumbline.loaders.Secrets;
import org.plumbline.loaders.SnapshotParser;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Snapshot;
import org.plumbline.rules.Governance;
import org.plumbline.rules.MetricSample;
import org.plumbline.rules.PromptRegistry;
import org.plumbline.rules.RulePack;
import org.plumbline.server.RulePacks;
import org.plumbline.server.auth.HmacKey;

/**
 * {@code --data DIR}: the governed write path on a store opened by this process. Every input is
 * written to the store's input journal first, in contract format, as the server does, so {@code
 * plumbline rebuild} can replay loads made without a server too.
 */
public final class StoreTarget implements LoadTarget {
  private final GraphStore store;
  private final Governance governance;
  private final PromptRegistry prompts;
  private final PromptParser promptParser = new PromptParser();
  private final InputJournal journal;
  private final Clock clock;
  private final String actor;
  private final Secrets secrets;
  private boolean wroteAny;

  public StoreTarget(Path data, Path rules, Clock clock, String actor) {
    RulePack pack = RulePacks.load(rules);
    this.store = GraphStore.openTdb2(data);
    try {
      this.secrets = HmacKey.ofData(data);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    this.governance = new Governance(store, () -> pack, clock);
    this.prompts = new PromptRegistry(store, clock);
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

  /**
   * Journaled in their contract JSON, then ingested as the server does: lists of at most {@link
   * ChangeRequestParser#MAX_REQUESTS}, each one transaction.
   */
  @Override
  public Stored changeRequests(List<ChangeRequest> requests) {
    int max = ChangeRequestParser.MAX_REQUESTS;
    boolean replay = true;
    List<Object> stored = new ArrayList<>();
    for (int from = 0; from < requests.size(); from += max) {
      List<ChangeRequest> part = requests.subList(from, Math.min(requests.size(), from + max));
      byte[] body = ChangeRequestParser.toJson(part).getBytes(StandardCharsets.UTF_8);
      journal.append(clock.instant(), actor, "loader", "change-request", "application/json", body);
      Stored s = stored(governance.ingestChangeRequests(part, actor));
      replay &= s.replay();
      stored.add(s.summary());
    }
    return new Stored(
        replay,
        requests.size() + " change requests",
        Map.of("requests", requests.size(), "lists", stored));
  }

  /** Each version journaled in its contract JSON, then registered as the server does. */
  @Override
  public List<Stored> prompts(List<PromptVersionDocument> versions) {
    List<Stored> out = new ArrayList<>();
    for (PromptVersionDocument version : versions) {
      byte[] body = version.toJson().getBytes(StandardCharsets.UTF_8);
      journal.append(clock.instant(), actor, "loader", "prompt", "application/json", body);
      out.add(stored(prompts.register(promptParser.parse(body), actor)));
    }
    return out;
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
