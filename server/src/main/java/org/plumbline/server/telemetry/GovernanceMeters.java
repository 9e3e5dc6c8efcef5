package org.plumbline.server.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Observation;
import org.plumbline.ontology.Severity;
import org.plumbline.ontology.Tier;

/**
 * The governance gauges: what the store holds (drifts, dispositions, expiries, observations, the
 * ledger) and how big it is on disk. {@link #refresh} runs before each scrape, on a worker thread;
 * it walks the store only when the ledger moved since the last walk (every governed write appends
 * to it) or the last walk is older than {@link #MAX_AGE} (expiry windows move with the clock), so
 * frequent or concurrent scrapes cost one read of the ledger's length. Ages are computed from the
 * clock at every scrape.
 */
public final class GovernanceMeters {
  /** How long figures read from the store are reused while the ledger does not move. */
  public static final Duration MAX_AGE = Duration.ofSeconds(15);

  private final GraphStore store;
  private final Clock clock;
  private final LongSupplier ticker;
  private final Path journal;
  private final Timer walk;
  private final MultiGauge drifts;
  private final MultiGauge open;
  private final MultiGauge oldestBySeverity;
  private final MultiGauge oldestByTier;
  private final MultiGauge exceptionsExpiring;
  private final MultiGauge environmentsExpiring;
  private final MultiGauge lastObserved;
  private final MultiGauge observeInterval;
  private final MultiGauge stale;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong oldestPending = new AtomicLong();
  private final AtomicLong ledgerRecords = new AtomicLong();
  private final AtomicLong checkpointed = new AtomicLong();
  private final AtomicLong checkpointAt = new AtomicLong();
  private final AtomicLong storeBytes = new AtomicLong();
  private final AtomicLong compactedBytes = new AtomicLong(-1);
  private final AtomicLong compactedAt = new AtomicLong();
  private final AtomicLong journalBytes = new AtomicLong();
  private final AtomicReference<Boolean> verified = new AtomicReference<>();
  private final AtomicLong verifiedAt = new AtomicLong();

  private final io.micrometer.core.instrument.Counter witnessed;
  private final io.micrometer.core.instrument.Counter witnessFailed;

  private StoreFigures figures;
  private long figuresTick;

  /**
   * @param ticker monotonic nanoseconds (how old the figures are)
   * @param journal the input journal's folder, measured on disk
   */
  public GovernanceMeters(
      MeterRegistry registry, GraphStore store, Clock clock, LongSupplier ticker, Path journal) {
    this.store = store;
    this.clock = clock;
    this.ticker = ticker;
    this.journal = journal;
    witnessed = witnessCounter(registry, "published");
    witnessFailed = witnessCounter(registry, "failed");
    walk =
        Timer.builder("plumbline.governance.figures")
            .description("Time to read the governance figures from the store for a scrape.")
            .register(registry);
    drifts = multi(registry, "plumbline.drifts", "Drifts by status, of every age.");
    open =
        multi(
            registry,
            "plumbline.drifts.open",
            "Live drifts (OPEN, PENDING_APPROVAL, REVERT_APPROVED) by severity, tier and risk.");
    oldestBySeverity =
        multi(
            registry,
            "plumbline.drift.oldest.open.seconds",
            "Age of the oldest live drift of each severity (0 when none).");
    oldestByTier =
        multi(
            registry,
            "plumbline.drift.oldest.open.by.tier.seconds",
            "Age of the oldest live drift of each severity in each tier (absent when none).");
    exceptionsExpiring =
        multi(
            registry,
            "plumbline.exceptions.expiring",
            "Accepted exceptions that end within the window (P1D, P7D).");
    environmentsExpiring =
        multi(
            registry,
            "plumbline.environments.expiring",
            "Active environments whose TTL ends within the window (P1D, P7D).");
    lastObserved =
        multi(
            registry,
            "plumbline.environment.last.observed.timestamp.seconds",
            "observedAt of each environment's latest snapshot (absent if never observed).");
    observeInterval =
        multi(
            registry,
            "plumbline.environment.observe.interval.seconds",
            "How often each environment is expected to be observed (its blueprint's observeEvery).");
    stale =
        multi(
            registry,
            "plumbline.environment.stale",
            "1 when an active environment was not observed for twice its interval, else 0.");
    gauge(registry, "plumbline.dispositions.pending", "Dispositions awaiting approval.", pending);
    gauge(
        registry,
        "plumbline.disposition.oldest.pending.seconds",
        "Age of the oldest disposition awaiting approval (0 when none).",
        oldestPending);
    gauge(registry, "plumbline.ledger.records", "Records in the audit ledger.", ledgerRecords);
    gauge(
        registry,
        "plumbline.ledger.checkpointed.records",
        "Ledger length at its latest checkpoint.",
        checkpointed);
    gauge(
        registry,
        "plumbline.ledger.last.checkpoint.timestamp.seconds",
        "When the ledger's latest checkpoint was taken (0 before the first).",
        checkpointAt);
    Gauge.builder(
            "plumbline.ledger.verified",
            verified,
            v -> v.get() == null ? Double.NaN : v.get() ? 1 : 0)
        .description("1 when the ledger's last full verification passed, 0 when it failed.")
        .register(registry);
    gauge(
        registry,
        "plumbline.ledger.last.verification.timestamp.seconds",
        "When the ledger was last verified in full (0 before the first).",
        verifiedAt);
    // every compaction, asked for or started by the store's growth, restarts the growth count
    store.onCompacted(() -> compacted(store.sizeOnDisk()));
    gauge(registry, "plumbline.store.size.bytes", "Bytes the store takes on disk.", storeBytes);
    Gauge.builder(
            "plumbline.store.growth.since.compaction.bytes",
            this,
            m -> Math.max(0, m.storeBytes.get() - Math.max(0, m.compactedBytes.get())))
        .description("Bytes the store grew by since its last compaction (since start before one).")
        .register(registry);
    gauge(
        registry,
        "plumbline.store.last.compaction.timestamp.seconds",
        "When the store was last compacted (0 if not since start).",
        compactedAt);
    gauge(registry, "plumbline.journal.size.bytes", "Bytes the input journal takes.", journalBytes);
  }

  private static MultiGauge multi(MeterRegistry registry, String name, String help) {
    return MultiGauge.builder(name).description(help).register(registry);
  }

  private static void gauge(MeterRegistry registry, String name, String help, AtomicLong value) {
    Gauge.builder(name, value, AtomicLong::doubleValue).description(help).register(registry);
  }

  /** The store was compacted down to {@code bytes}: growth counts from here. */
  public void compacted(long bytes) {
    compactedBytes.set(bytes);
    compactedAt.set(clock.instant().getEpochSecond());
  }

  private static io.micrometer.core.instrument.Counter witnessCounter(
      MeterRegistry registry, String outcome) {
    return io.micrometer.core.instrument.Counter.builder("plumbline.ledger.witness")
        .description("Signed checkpoints published to the witness (audit.witness), by outcome.")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** A signed checkpoint published to the witness, or an attempt that failed. */
  public void witnessed(boolean ok) {
    (ok ? witnessed : witnessFailed).increment();
  }

  /** The outcome of a full verification of the ledger. */
  public void verified(boolean ok) {
    verified.set(ok);
    verifiedAt.set(clock.instant().getEpochSecond());
  }

  /** Brings every gauge up to date; call on a worker thread before a scrape. */
  public synchronized void refresh() {
    long records = store.read(r -> r.auditCount());
    long now = ticker.getAsLong();
    if (figures == null
        || records != figures.ledgerRecords()
        || now - figuresTick >= MAX_AGE.toNanos()) {
      figures = walk.record(() -> store.read(r -> StoreFigures.read(r, clock.instant())));
      figuresTick = now;
    }
    storeBytes.set(store.sizeOnDisk());
    if (compactedBytes.get() < 0) {
      compactedBytes.set(storeBytes.get()); // growth counts from start until a compaction
    }
    journalBytes.set(folderBytes(journal));
    publish(figures, clock.instant());
  }

  private void publish(StoreFigures f, Instant now) {
    List<MultiGauge.Row<?>> statuses = new ArrayList<>();
    f.driftsByStatus()
        .forEach((s, n) -> statuses.add(MultiGauge.Row.of(Tags.of("status", s.name()), n)));
    drifts.register(statuses, true);
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (Map.Entry<StoreFigures.OpenKey, Long> e : f.open().entrySet()) {
      StoreFigures.OpenKey k = e.getKey();
      rows.add(
          MultiGauge.Row.of(
              Tags.of(
                  "severity",
                  k.severity().name(),
                  "tier",
                  k.tier().name(),
                  "risk",
                  k.risk().name()),
              e.getValue()));
    }
    open.register(rows, true);
    rows = new ArrayList<>();
    List<MultiGauge.Row<?>> byTier = new ArrayList<>();
    for (Severity s : Severity.values()) {
      Map<Tier, Instant> oldest = f.oldestOpen().getOrDefault(s, Map.of());
      long max = 0;
      for (Map.Entry<Tier, Instant> e : oldest.entrySet()) {
        long age = age(e.getValue(), now);
        max = Math.max(max, age);
        byTier.add(
            MultiGauge.Row.of(Tags.of("severity", s.name(), "tier", e.getKey().name()), age));
      }
      rows.add(MultiGauge.Row.of(Tags.of("severity", s.name()), max));
    }
    oldestBySeverity.register(rows, true);
    oldestByTier.register(byTier, true);
    exceptionsExpiring.register(windows(f.exceptionsExpiring()), true);
    environmentsExpiring.register(windows(f.environmentsExpiring()), true);
    List<MultiGauge.Row<?>> last = new ArrayList<>();
    List<MultiGauge.Row<?>> interval = new ArrayList<>();
    List<MultiGauge.Row<?>> staleRows = new ArrayList<>();
    for (Observation o : f.observations().values()) {
      Tags env = Tags.of("environment", o.environment());
      if (o.lastObservedAt() != null) {
        last.add(MultiGauge.Row.of(env, o.lastObservedAt().getEpochSecond()));
      }
      interval.add(MultiGauge.Row.of(env, o.observeEvery().toSeconds()));
      boolean isStale = o.staleSince() != null && now.isAfter(o.staleSince());
      staleRows.add(
          MultiGauge.Row.of(
              env.and("tier", f.environmentTiers().get(o.environment()).name()), isStale ? 1 : 0));
    }
    lastObserved.register(last, true);
    observeInterval.register(interval, true);
    stale.register(staleRows, true);
    pending.set(f.pendingDispositions());
    oldestPending.set(f.oldestPending() == null ? 0 : age(f.oldestPending(), now));
    ledgerRecords.set(f.ledgerRecords());
    checkpointed.set(f.lastCheckpoint() == null ? 0 : f.lastCheckpoint().size());
    checkpointAt.set(f.lastCheckpoint() == null ? 0 : f.lastCheckpoint().at().getEpochSecond());
  }

  private static List<MultiGauge.Row<?>> windows(Map<Duration, Long> counts) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    counts.forEach(
        (w, n) -> rows.add(MultiGauge.Row.of(Tags.of("within", "P" + w.toDays() + "D"), n)));
    return rows;
  }

  private static long age(Instant since, Instant now) {
    return Math.max(0, Duration.between(since, now).toSeconds());
  }

  private static long folderBytes(Path folder) {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).mapToLong(GovernanceMeters::size).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0; // a file rotated away mid-walk: the next scrape counts again
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
