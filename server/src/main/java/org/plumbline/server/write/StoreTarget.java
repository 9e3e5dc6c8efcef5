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
import org.plumbline.governance.Caller;
import org.plumbline.governance.Command;
import org.plumbline.governance.Governance;
import org.plumbline.governance.Governor;
import org.plumbline.governance.InputJournal;
import org.plumbline.loaders.ChangeRequestParser;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.ParsedMetricSample;
import org.plumbline.loaders.PromptParser;
import org.plumbline.loaders.PromptVersionDocument;
import org.plumbline.loaders.Secrets;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Snapshot;
import org.plumbline.rules.MetricSample;
import org.plumbline.rules.RulePack;
import org.plumbline.server.RulePacks;
import org.plumbline.server.auth.HmacKey;

/**
 * {@code --data DIR}: the governed write path on a store opened by this process. Every input is a
 * command to a {@link Governor} over the store's input journal, as the server's are, so {@code
 * plumbline rebuild} can replay loads made without a server too. Whoever runs it holds the data
 * folder, so its commands carry the {@code admin} role (a bundle version's {@code validated} block
 * is honoured, as it is for a model-risk poster).
 */
public final class StoreTarget implements LoadTarget {
  private final GraphStore store;
  private final Governor governor;
  private final PromptParser promptParser = new PromptParser();
  private final InputJournal journal;
  private final Caller caller;
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
    this.journal = InputJournal.open(data.resolve("journal"));
    this.governor = new Governor(store, () -> pack, clock, journal);
    this.caller = Governor.system(actor);
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
        new String(content, StandardCharsets.UTF_8).stripLeading().startsWith("{")
            ? "application/json"
            : "application/yaml";
    return stored(
        governor.execute(
            new Command.PostBlueprint(blueprint.blueprint(), content, type, caller, true)));
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
      Stored s = stored(governor.execute(new Command.PostChangeRequests(part, null, caller)));
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
      out.add(
          stored(
              governor.execute(
                  new Command.RegisterPrompt(promptParser.parse(body), body, caller))));
    }
    return out;
  }

  /** Journaled in its contract JSON first, like every input, then ingested as the server does. */
  @Override
  public Stored metricSample(ParsedMetricSample p, byte[] content) {
    MetricSample sample =
        MetricSample.of(
            p.environment(), p.metric(), p.kind(), p.window(), p.baseline(), p.values());
    return stored(governor.execute(new Command.PostMetric(sample, content, caller)));
  }

  @Override
  public Set<String> alreadyStored(Collection<String> contentHashes) {
    return store.read(
        r ->
            contentHashes.stream()
                .filter(h -> r.snapshot(h).isPresent())
                .collect(Collectors.toSet()));
  }

  /** One transaction for the batch, with a word after each snapshot so a progress bar moves. */
  @Override
  public List<Stored> snapshotBatch(List<Snapshot> batch, IntConsumer processed) {
    return governor
        .executeAll(
            batch.stream().map(s -> new Command.PostSnapshot(s, null, caller)).toList(), processed)
        .stream()
        .map(this::stored)
        .toList();
  }

  /** Rehearsed by this folder's governor and rolled back: nothing journaled or stored. */
  @Override
  public com.fasterxml.jackson.databind.JsonNode dryRun(List<DryRuns.FileDocuments> files) {
    return DryRuns.run(
        governor,
        new org.plumbline.governance.Inputs(org.plumbline.loaders.ParseLimits.DEFAULT, secrets),
        files,
        caller);
  }

  private Stored stored(Governance.IngestResult r) {
    wroteAny |= !r.replay();
    return new Stored(r.replay(), r.subject(), r.summary());
  }

  /**
   * A promotion gate on this data folder, decided and audited through the governor as the server
   * does: a stored version when {@code blueprint} is null, else that candidate document.
   */
  public org.plumbline.governance.PromotionGates.Outcome promotionGate(
      String bundle, String version, byte[] blueprint, String environment) {
    Command.DecidePromotion c =
        blueprint == null
            ? new Command.DecidePromotion(
                org.plumbline.governance.PromotionGates.Question.stored(
                    bundle, version, environment),
                caller)
            : new org.plumbline.governance.Inputs(
                    org.plumbline.loaders.ParseLimits.DEFAULT, secrets)
                .candidateGate(blueprint, environment, caller);
    return governor.execute(c);
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
