package org.plumbline.ontology.internal;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.plumbline.ontology.CompactionPolicy;

/**
 * Compacts a TDB2 store when it grew past its policy's factor of its last compacted size (issue
 * 21). A commit calls {@link #afterCommit}; at most once per {@code checkEvery} that reads the
 * bytes in use ({@link StoreFiles}, a few small files), and when they are due it starts the
 * compaction on a thread of its own, so the committing writer returns at once. One compaction at a
 * time; TDB2's compaction is the same as an asked-for one (a new generation, then the switch), and
 * as crash-safe.
 */
final class GrowthCompaction {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(GrowthCompaction.class);

  private final CompactionPolicy policy;
  private final Path folder;
  private final Runnable compact;
  private final AtomicLong nextCheck = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile long compacted;
  private volatile Thread worker;

  /**
   * @param compact compacts the store (and then calls {@link #compacted})
   */
  GrowthCompaction(CompactionPolicy policy, Path folder, Runnable compact) {
    this.policy = policy;
    this.folder = folder;
    this.compact = compact;
    this.compacted = Math.max(0, StoreFiles.bytesInUse(folder));
  }

  /** After a commit: starts a compaction when the store grew past the policy's factor. */
  void afterCommit() {
    if (!policy.enabled() || running.get()) {
      return;
    }
    long now = System.nanoTime();
    long due = nextCheck.get();
    if (now - due < 0 || !nextCheck.compareAndSet(due, now + policy.checkEvery().toNanos())) {
      return;
    }
    long used = StoreFiles.bytesInUse(folder);
    if (policy.due(used, compacted) && running.compareAndSet(false, true)) {
      Thread t =
          new Thread(
              () -> {
                try {
                  // debug: a long ingest compacts every few seconds; the metrics
                  // plumbline_store_last_compaction_timestamp_seconds and
                  // plumbline_store_growth_since_compaction_bytes show it
                  LOG.debug(
                      "store grew to {} MB, {}x its last compacted {} MB: compacting",
                      used >> 20,
                      String.format(java.util.Locale.ROOT, "%.1f", used / (double) compacted),
                      compacted >> 20);
                  compact.run();
                } catch (RuntimeException e) {
                  LOG.error("compaction on growth failed", e);
                } finally {
                  running.set(false);
                }
              },
              "plumbline-compaction");
      t.setDaemon(true);
      worker = t;
      t.start();
    }
  }

  /** A compaction (whoever asked for it) left the store using {@code bytes}. */
  void compacted() {
    compacted = Math.max(0, StoreFiles.bytesInUse(folder));
  }

  /** Bytes in use after the last compaction (at open before one). */
  long compactedBytes() {
    return compacted;
  }

  /** Waits for a running compaction to finish (before the store closes). */
  void awaitIdle() {
    Thread t = worker;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
