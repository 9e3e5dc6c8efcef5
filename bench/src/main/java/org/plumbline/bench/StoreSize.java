package org.plumbline.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.plumbline.ontology.Change;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Snapshot;

/**
 * Store size on the same data as the PostgreSQL baseline: the blocks a folder really holds, and a
 * store of the world's environments and changes only.
 */
final class StoreSize {
  private StoreSize() {}

  /**
   * What our store takes for exactly the data PostgreSQL holds (environments and changes, with the
   * time index that answers W2), beside the whole governed store (snapshots, drifts, assessments,
   * audit ledger, dependency graph), which PostgreSQL's tables do not hold.
   */
  static long changesOnly(GraphStore world, Path folder) {
    Benchmark.deleteTree(folder);
    try (GraphStore same = GraphStore.openTdb2(folder)) {
      for (Environment e : world.read(r -> r.environments())) {
        List<Change> changes = world.read(r -> r.changes(e.id(), null, null));
        same.write(
            w -> {
              w.putEnvironment(e);
              Map<Instant, List<Change>> byProducer = new java.util.TreeMap<>();
              changes.forEach(
                  c -> byProducer.computeIfAbsent(c.at(), k -> new ArrayList<>()).add(c));
              byProducer.forEach(
                  (at, list) ->
                      w.putChanges(
                          new Snapshot(
                              e.id(),
                              at,
                              list.get(0).source(),
                              org.plumbline.ontology.FlatConfig.EMPTY,
                              "sha256:" + Integer.toHexString((e.id() + at).hashCode())),
                          list));
              return null;
            });
      }
      same.compact();
      return allocated(folder).orElse(same.sizeOnDisk());
    } finally {
      Benchmark.deleteTree(folder);
    }
  }

  /** Disk blocks a folder takes ({@code du -sk}), where the platform has du. */
  static Optional<Long> allocated(Path folder) {
    try {
      Process p =
          new ProcessBuilder("du", "-sk", folder.toString()).redirectErrorStream(true).start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        return Optional.empty();
      }
      return Optional.of(Long.parseLong(out.trim().split("\\s+")[0]) * 1024);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  // ---- PostgreSQL ----
}
