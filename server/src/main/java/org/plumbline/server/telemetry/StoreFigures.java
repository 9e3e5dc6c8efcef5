package org.plumbline.server.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.plumbline.ontology.AuditCheckpoint;
import org.plumbline.ontology.Disposition;
import org.plumbline.ontology.DispositionKind;
import org.plumbline.ontology.DispositionStatus;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.Observation;
import org.plumbline.ontology.RiskCategory;
import org.plumbline.ontology.Severity;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.Tier;

/**
 * The governance figures a scrape reports, read from the store in one read transaction. Label sets
 * are bounded by the vocabulary (status, severity, tier, risk category) or by the registered
 * environments; nothing is labelled by a drift, a key or a user.
 *
 * @param driftsByStatus every drift ever detected, by status
 * @param open live drifts (OPEN, PENDING_APPROVAL, REVERT_APPROVED) by severity, tier and risk
 * @param oldestOpen when the oldest live drift of each severity and tier was detected (absent when
 *     there is none)
 * @param pendingDispositions dispositions awaiting approval
 * @param oldestPending when the oldest of them was requested; null when there is none
 * @param exceptionsExpiring accepted exceptions that end within one day and within seven
 * @param environmentsExpiring active environments whose TTL ends within one day and within seven
 * @param observations the observation state of every environment, by id
 * @param environmentTiers the tier of every environment, by id
 * @param ledgerRecords the audit ledger's length
 * @param lastCheckpoint the ledger's latest checkpoint; null before the first
 */
public record StoreFigures(
    Instant at,
    Map<DriftStatus, Long> driftsByStatus,
    Map<OpenKey, Long> open,
    Map<Severity, Map<Tier, Instant>> oldestOpen,
    long pendingDispositions,
    Instant oldestPending,
    Map<Duration, Long> exceptionsExpiring,
    Map<Duration, Long> environmentsExpiring,
    Map<String, Observation> observations,
    Map<String, Tier> environmentTiers,
    long ledgerRecords,
    AuditCheckpoint lastCheckpoint) {

  /** The windows the expiry figures count within. */
  public static final List<Duration> EXPIRY_WINDOWS =
      List.of(Duration.ofDays(1), Duration.ofDays(7));

  /** The labels of one open-drift count. */
  public record OpenKey(Severity severity, Tier tier, RiskCategory risk) {}

  /** Reads the figures at {@code now}; walks every environment's drifts once. */
  public static StoreFigures read(StoreReader r, Instant now) {
    Map<DriftStatus, Long> byStatus = new EnumMap<>(DriftStatus.class);
    for (DriftStatus s : DriftStatus.values()) {
      byStatus.put(s, 0L);
    }
    Map<OpenKey, Long> open = new java.util.LinkedHashMap<>();
    for (Severity s : Severity.values()) {
      for (Tier t : Tier.values()) {
        for (RiskCategory c : RiskCategory.values()) {
          open.put(new OpenKey(s, t, c), 0L);
        }
      }
    }
    Map<Severity, Map<Tier, Instant>> oldest = new EnumMap<>(Severity.class);
    long pending = 0;
    Instant oldestPending = null;
    Map<Duration, Long> exceptions = zeroes();
    Map<Duration, Long> expiringEnvironments = zeroes();
    Map<String, Observation> observations = new TreeMap<>();
    Map<String, Tier> tiers = new TreeMap<>();
    for (Environment e : r.environments()) {
      tiers.put(e.id(), e.tier());
      observations.put(e.id(), Observation.of(r, e, now));
      if ("ACTIVE".equals(e.status())) {
        count(expiringEnvironments, e.expiresAt(), now);
      }
      for (Drift d : r.drifts(e.id())) {
        byStatus.merge(d.status(), 1L, Long::sum);
        if (d.status().isLive() && d.assessment() != null) {
          Severity severity = d.assessment().severity();
          open.merge(new OpenKey(severity, e.tier(), d.assessment().riskCategory()), 1L, Long::sum);
          oldest
              .computeIfAbsent(severity, s -> new EnumMap<>(Tier.class))
              .merge(e.tier(), d.detectedAt(), (a, b) -> a.isBefore(b) ? a : b);
        }
      }
      for (Drift d : r.activeDrifts(e.id())) {
        for (Disposition p : r.dispositions(d.id())) {
          if (p.status() == DispositionStatus.PENDING) {
            pending++;
            if (oldestPending == null || p.requestedAt().isBefore(oldestPending)) {
              oldestPending = p.requestedAt();
            }
          } else if (d.status() == DriftStatus.EXCEPTED
              && p.kind() == DispositionKind.ACCEPT
              && p.status() == DispositionStatus.APPROVED) {
            count(exceptions, p.expiresAt(), now);
          }
        }
      }
    }
    List<AuditCheckpoint> checkpoints = new ArrayList<>(r.auditCheckpoints());
    return new StoreFigures(
        now,
        byStatus,
        open,
        oldest,
        pending,
        oldestPending,
        exceptions,
        expiringEnvironments,
        observations,
        tiers,
        r.auditCount(),
        checkpoints.isEmpty() ? null : checkpoints.get(checkpoints.size() - 1));
  }

  private static Map<Duration, Long> zeroes() {
    Map<Duration, Long> m = new TreeMap<>();
    EXPIRY_WINDOWS.forEach(w -> m.put(w, 0L));
    return m;
  }

  private static void count(Map<Duration, Long> windows, Instant expiresAt, Instant now) {
    if (expiresAt == null || expiresAt.isBefore(now)) {
      return;
    }
    for (Duration w : EXPIRY_WINDOWS) {
      if (!expiresAt.isAfter(now.plus(w))) {
        windows.merge(w, 1L, Long::sum);
      }
    }
  }
}
