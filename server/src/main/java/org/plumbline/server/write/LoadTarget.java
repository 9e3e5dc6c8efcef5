package org.plumbline.server.write;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.ParsedMetricSample;
import org.plumbline.loaders.PromptVersionDocument;
import org.plumbline.loaders.Secrets;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;

/**
 * Where {@code plumbline load} puts what it read: a store opened directly ({@code --data}) or a
 * running server ({@code --server}). Every method either stores or throws a {@link
 * PlumblineException} naming what was refused; the server's own error codes come back as they are.
 */
public sealed interface LoadTarget extends AutoCloseable permits StoreTarget, ServerTarget {

  /** What one record's ingest did: {@code replay} when it was already stored. */
  record Stored(boolean replay, String subject, Map<String, Object> summary) {}

  /**
   * How files are redacted before they reach this target: a store's key, or none for a server,
   * which redacts what it receives (over TLS) before journaling or storing it.
   */
  Secrets secrets();

  Stored blueprint(Loaded.BlueprintLoaded blueprint, byte[] content);

  /** The snapshots of one file, in order; a store takes them in one transaction. */
  List<Stored> snapshots(List<Snapshot> snapshots);

  Stored changeRequests(List<ChangeRequest> requests);

  List<Stored> prompts(List<PromptVersionDocument> versions);

  /** One behavioural metric sample; {@code content} is its contract JSON. */
  Stored metricSample(ParsedMetricSample sample, byte[] content);

  /** Which of these content hashes are stored already; a server is not asked (empty set). */
  Set<String> alreadyStored(Collection<String> contentHashes);

  /**
   * A batch of a history import, as few transactions as the target allows. When one snapshot is
   * refused, a store stores none of the batch (it throws); the caller then splits it.
   *
   * @param processed told how many snapshots of the batch are processed so far, for progress; in a
   *     store they commit only when the whole batch does
   */
  List<Stored> snapshotBatch(List<Snapshot> batch, IntConsumer processed);

  /**
   * What a load of these files would do, stored nowhere: the answer of {@code POST
   * /api/v1/load/dry-run} (see {@link DryRuns}), from the server or from the data folder.
   */
  com.fasterxml.jackson.databind.JsonNode dryRun(List<DryRuns.FileDocuments> files);

  @Override
  void close();
}
