package org.plumbline.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Snapshot;
import org.plumbline.rules.Governance;

/**
 * Group commit for concurrent snapshot ingests: the snapshots waiting while one transaction commits
 * are ingested together in the next, in arrival order, so that concurrent loaders share one commit
 * (one fsync, one copy of each touched index block) instead of queueing for one each.
 *
 * <p>Each caller gets its own answer only after the shared transaction is durable. If a shared
 * transaction fails (one snapshot is refused), nothing of it is stored and every snapshot of the
 * group is ingested again on its own, so a refusal stays the refused snapshot's alone.
 */
final class GroupCommit implements AutoCloseable {
  /** Enough to cover the loaders that a server sees at once; bounds one transaction's size. */
  static final int MAX_GROUP = 16;

  private record Pending(
      Snapshot snapshot, String actor, CompletableFuture<Governance.IngestResult> result) {}

  private final GraphStore store;
  private final Governance governance;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread committer;
  private volatile boolean open = true;

  GroupCommit(GraphStore store, Governance governance) {
    this.store = store;
    this.governance = governance;
    this.committer = new Thread(this::run, "plumbline-group-commit");
    committer.setDaemon(true);
    committer.start();
  }

  /** Ingests one snapshot, sharing the transaction with whatever else is waiting; blocks. */
  Governance.IngestResult ingest(Snapshot snapshot, String actor) {
    Pending p = new Pending(snapshot, actor, new CompletableFuture<>());
    if (!open) {
      throw new IllegalStateException("the server is closing");
    }
    queue.add(p);
    try {
      return p.result().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private void run() {
    while (open) {
      List<Pending> group = new ArrayList<>();
      try {
        // Polled, never interrupted: an interrupt inside a TDB2 write would close its files.
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      queue.drainTo(group, MAX_GROUP - 1);
      commit(group);
    }
  }

  private void commit(List<Pending> group) {
    if (group.size() > 1) {
      try {
        List<Governance.IngestResult> results =
            store.write(
                w ->
                    group.stream()
                        .map(p -> governance.ingestSnapshot(p.snapshot(), p.actor()))
                        .toList());
        for (int i = 0; i < group.size(); i++) {
          group.get(i).result().complete(results.get(i));
        }
        return;
      } catch (RuntimeException e) {
        // Fall through: each on its own, so only the snapshot at fault is refused.
      }
    }
    for (Pending p : group) {
      try {
        p.result().complete(governance.ingestSnapshot(p.snapshot(), p.actor()));
      } catch (RuntimeException e) {
        p.result().completeExceptionally(e);
      }
    }
  }

  /** Lets the group being committed finish, then refuses what is still waiting. */
  @Override
  public void close() {
    open = false;
    try {
      committer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(p -> p.result().completeExceptionally(new IllegalStateException("closing")));
  }
}
