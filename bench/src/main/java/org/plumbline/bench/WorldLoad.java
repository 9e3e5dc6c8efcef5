package org.plumbline.bench;

import static org.plumbline.bench.Benchmark.round;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.plumbline.governance.Command;
import org.plumbline.governance.Governor;
import org.plumbline.loaders.BlueprintParser;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Snapshot;
import org.plumbline.rules.RulePack;

/**
 * Loads the benchmark's world through the governed bulk path, one transaction per environment, then
 * compacts it, and records the load's time, the store's size (whole, and the same data as
 * PostgreSQL's tables) and its growth between compactions.
 */
final class WorldLoad {
  private final BenchOptions options;
  private final PrintStream log;
  private final WorldGenerator world;
  private final ObjectNode result;
  private final Clock clock;

  WorldLoad(
      BenchOptions options, PrintStream log, WorldGenerator world, ObjectNode result, Clock clock) {
    this.options = options;
    this.log = log;
    this.world = world;
    this.result = result;
    this.clock = clock;
  }

  void run(Path folder, RulePack pack) {
    log.printf(
        "     generating and loading the world: %,d environments, %,d changes ...%n",
        options.environments(), options.changes());
    long start = System.nanoTime();
    long snapshots = 0;
    try (GraphStore store = GraphStore.openTdb2(folder);
        GrowthSampler growth = GrowthSampler.start(store, folder)) {
      Governor governance = new Governor(store, () -> pack, clock);
      BlueprintParser parser =
          new BlueprintParser(ParseLimits.DEFAULT.withMaxDocumentBytes(256 << 20));
      List<Command.PostBlueprint> blueprints = new java.util.ArrayList<>();
      for (int s = 0; s < world.systems(); s++) {
        blueprints.add(
            new Command.PostBlueprint(
                parser.parse(world.blueprintJson(s), "json"),
                null,
                null,
                Governor.system("bench"),
                true));
      }
      governance.executeAll(blueprints, null);
      governance.ingestBlueprint(
          parser.parse(world.dependencyBlueprintJson(options.dependencyKeys()), "json"), "bench");
      ExecutorService generator = Executors.newSingleThreadExecutor();
      try {
        // Generating the next environment's year overlaps with storing this one's.
        Future<List<Snapshot>> next = generator.submit(() -> world.snapshots(0));
        int tenth = Math.max(1, options.environments() / 10);
        for (int e = 0; e < options.environments(); e++) {
          List<Snapshot> batch = next.get();
          int following = e + 1;
          next =
              following < options.environments()
                  ? generator.submit(() -> world.snapshots(following))
                  : CompletableFuture.completedFuture(List.of());
          governance.ingestSnapshots(batch, "bench");
          snapshots += batch.size();
          if ((e + 1) % tenth == 0) {
            log.printf(
                "     %,d of %,d environments (%.0f s)%n",
                e + 1, options.environments(), (System.nanoTime() - start) / 1e9);
          }
        }
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("world generation failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while loading the world", e);
      } finally {
        generator.shutdownNow();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      ObjectNode size = result.putObject("store");
      growth.report(size);
      long before = StoreSize.allocated(folder).orElse(store.sizeOnDisk());
      long compactStart = System.nanoTime();
      store.compact();
      double compactSeconds = (System.nanoTime() - compactStart) / 1e9;
      long apparent = store.sizeOnDisk();
      long after = StoreSize.allocated(folder).orElse(apparent);
      ObjectNode load = result.putObject("load");
      load.put("snapshots", snapshots);
      load.put("seconds", round(seconds));
      load.put("snapshots_per_s", round(snapshots / seconds));
      load.put("changes_per_s", round(options.changes() / seconds));
      load.put("compaction_seconds", round(compactSeconds));
      if (options.fullSize()) {
        load.put("target", "the full-size world in under 30 minutes");
        load.put("met", seconds < 30 * 60);
      }
      size.put("bytes_before_compaction", before);
      size.put("bytes", after);
      size.put("apparent_bytes", apparent);
      size.put(
          "what",
          "disk blocks allocated (du); TDB2 grows its files sparsely in 8 MB steps, so the"
              + " files' apparent size is larger");
      size.put("bytes_per_million_changes", after * 1_000_000L / options.changes());
      ((ObjectNode) result.get("world")).put("snapshots", snapshots);
      log.printf(
          "     loaded %,d snapshots in %.0f s; store %,d MB (%,d MB before compaction);"
              + " %d compactions on growth, peak growth %.1fx the compacted size%n",
          snapshots,
          seconds,
          after >> 20,
          before >> 20,
          size.path("compactions_on_growth").asInt(),
          size.path("peak_growth_ratio").asDouble());
      long same = StoreSize.changesOnly(store, folder.resolveSibling("changes-only"));
      size.put("changes_only_bytes", same);
      size.put("changes_only_bytes_per_million_changes", same * 1_000_000L / options.changes());
      log.printf(
          "     the same data as PostgreSQL's tables (environments and changes) in TDB2: %,d MB%n",
          same >> 20);
    }
  }
}
