package org.plumbline.server.http.resources;

import static org.plumbline.server.http.resources.Requests.caller;

import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.plumbline.governance.Command;
import org.plumbline.governance.Governor;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.rules.RulePack;
import org.plumbline.rules.RulePackTester;
import org.plumbline.rules.TestReport;
import org.plumbline.server.RulePacks;
import org.plumbline.server.ServerError;

/** The admin endpoints: online backup, compaction and rule-pack reload. */
public final class AdminResource {
  private final GraphStore store;
  private final Governor governor;
  private final Clock clock;
  private final Path data;
  private final Path rules;
  private final AtomicReference<RulePack> rulePack;
  private final Supplier<long[]> compact;
  private final Object reloadLock = new Object();

  /**
   * @param compact compacts the store now and returns its bytes on disk before and after
   */
  public AdminResource(
      Governor governor,
      Path data,
      Path rules,
      AtomicReference<RulePack> rulePack,
      Supplier<long[]> compact) {
    this.governor = governor;
    this.store = governor.store();
    this.clock = governor.clock();
    this.data = data;
    this.rules = rules;
    this.rulePack = rulePack;
    this.compact = compact;
  }

  /** A consistent online copy of the store into {@code <data>/backups/}. */
  public Reply backup() {
    Instant now = clock.instant();
    Path dir = data.resolve("backups");
    Path file = dir.resolve("plumbline-" + now.toString().replace(":", "") + ".nq.gz");
    long triples;
    try {
      Files.createDirectories(dir);
      try (var out = Files.newOutputStream(file)) {
        triples = store.backup(out);
      }
    } catch (IOException e) {
      throw new PlumblineException(ServerError.INTERNAL, "backup failed: " + e.getMessage());
    }
    return Reply.json(
        200,
        Map.of(
            "file", file.toAbsolutePath().toString(),
            "triples", triples,
            "auditRecords", store.read(r -> r.auditCount()),
            "auditRoot", store.read(r -> r.auditRoot())));
  }

  public Reply compact() {
    long start = System.nanoTime();
    long[] sizes = compact.get();
    return Reply.json(
        200,
        Map.of(
            "beforeBytes", sizes[0],
            "afterBytes", sizes[1],
            "millis", (System.nanoTime() - start) / 1_000_000));
  }

  /**
   * Compiles the pack, runs its golden cases against exactly that compiled pack, records the
   * activation and only then swaps it in. Reloads are serialized, so the audit record's "previous"
   * is always the pack that was replaced.
   */
  public Reply reloadRules(RoutingContext ctx) {
    synchronized (reloadLock) {
      RulePack next = RulePacks.load(rules);
      TestReport report = RulePackTester.run(next, next.directory().resolve("tests"));
      report.requirePassed();
      RulePack previous = rulePack.get();
      governor.execute(
          new Command.ActivateRulePack(
              next, clock.instant(), "reload", report.passed(), caller(ctx)));
      rulePack.set(next);
      return Reply.json(
          200,
          Map.of(
              "rulePackVersion", next.version(),
              "previous", previous.version(),
              "rules", next.ruleCount(),
              "testsPassed", report.passed()));
    }
  }
}
