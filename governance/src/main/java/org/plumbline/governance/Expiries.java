package org.plumbline.governance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.plumbline.ontology.Disposition;
import org.plumbline.ontology.DispositionKind;
import org.plumbline.ontology.DispositionStatus;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.RulePack;

/**
 * Time-bounded decisions: an accepted exception whose {@code expiresAt} passed opens its drift
 * again (when the value still differs), an environment whose TTL passed becomes {@code EXPIRED} and
 * is listed for decommissioning, and {@code extendEnvironment} moves a TTL within the policy's
 * limit. Each change audited.
 */
final class Expiries {
  private final Supplier<RulePack> rulePack;
  private final Clock clock;
  private final Governance governance;

  Expiries(Supplier<RulePack> rulePack, Clock clock, Governance governance) {
    this.rulePack = rulePack;
    this.clock = clock;
    this.governance = governance;
  }

  /** Whether {@link #check} would change anything now (a read, no write). */
  boolean due(StoreReader r) {
    {
      Instant now = clock.instant();
      for (Environment env : r.environments()) {
        if ("ACTIVE".equals(env.status())
            && env.expiresAt() != null
            && !env.expiresAt().isAfter(now)) {
          return true;
        }
        for (Drift d : r.activeDrifts(env.id())) {
          if (d.status() == DriftStatus.EXCEPTED
              && r.dispositions(d.id()).stream()
                  .anyMatch(
                      x ->
                          x.kind() == DispositionKind.ACCEPT
                              && x.status() == DispositionStatus.APPROVED
                              && !x.expiresAt().isAfter(now))) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** Ends exceptions and environments whose time has passed (the scheduler calls this). */
  Dispositions.ExpiryReport check(StoreWriter w) {
    Instant now = clock.instant();
    List<String> exceptions = new ArrayList<>();
    List<String> environments = new ArrayList<>();
    for (Environment env : w.environments()) {
      for (Drift d : w.activeDrifts(env.id())) {
        if (d.status() != DriftStatus.EXCEPTED) {
          continue;
        }
        Optional<Disposition> accept =
            w.dispositions(d.id()).stream()
                .filter(
                    x ->
                        x.kind() == DispositionKind.ACCEPT
                            && x.status() == DispositionStatus.APPROVED)
                .reduce((a, b) -> b);
        if (accept.isPresent() && !accept.get().expiresAt().isAfter(now)) {
          w.putDrift(d.withStatus(DriftStatus.OPEN, now), w.driftTrail(d.id()));
          w.appendAudit(
              now,
              "scheduler",
              "exception.expired",
              env.id(),
              d.id(),
              Governance.detail(
                  "key",
                  d.key(),
                  "disposition",
                  accept.get().id(),
                  "expiresAt",
                  accept.get().expiresAt(),
                  "actual",
                  d.actual()));
          exceptions.add(d.id());
          // If the value meanwhile matches again, the next line closes the drift at once.
          governance.reconcileLatest(w, env.id(), "scheduler");
        }
      }
      if ("ACTIVE".equals(env.status())
          && env.expiresAt() != null
          && !env.expiresAt().isAfter(now)) {
        w.putEnvironment(withStatus(env, "EXPIRED", env.expiresAt()));
        w.appendAudit(
            now,
            "scheduler",
            "environment.expired",
            env.id(),
            env.id(),
            Governance.detail(
                "expiresAt", env.expiresAt(), "tier", env.tier().name(), "action", "decommission"));
        environments.add(env.id());
      }
    }
    return new Dispositions.ExpiryReport(exceptions, environments);
  }

  /**
   * Moves an environment's expiry, within the tier's longest extension; an expired one is active
   * again.
   */
  Environment extend(
      StoreWriter w, String envId, Instant until, String justification, String user) {
    Environment env =
        w.environment(envId)
            .orElseThrow(
                () ->
                    new PlumblineException(
                        StoreError.UNKNOWN_ENVIRONMENT,
                        "no environment '" + envId + "'",
                        List.of("environment: " + envId)));
    requireText(justification, "justification");
    Instant now = clock.instant();
    if (until == null || !until.isAfter(now)) {
      throw new PlumblineException(
          RuleError.INVALID_DISPOSITION,
          "until must be in the future, was " + until,
          List.of("until: " + until));
    }
    Instant limit = now.plus(rulePack.get().policyLimits(env.tier()).longestExtension());
    if (until.isAfter(limit)) {
      throw new PlumblineException(
          RuleError.EXTENSION_TOO_LONG,
          env.tier() + " environments may be extended to " + limit + " at the latest",
          List.of("until: " + until));
    }
    Environment extended = withStatus(env, "ACTIVE", until);
    w.putEnvironment(extended);
    w.appendAudit(
        now,
        user,
        "environment.extended",
        envId,
        envId,
        Governance.detail(
            "from",
            env.expiresAt(),
            "to",
            until,
            "justification",
            justification.strip(),
            "wasExpired",
            "EXPIRED".equals(env.status())));
    return extended;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new PlumblineException(
          RuleError.INVALID_DISPOSITION, name + " must not be blank", List.of(name));
    }
  }

  private static Environment withStatus(Environment e, String status, Instant expiresAt) {
    return new Environment(
        e.id(),
        e.name(),
        e.tier(),
        e.owner(),
        e.system(),
        status,
        e.registeredAt(),
        expiresAt,
        e.bundle(),
        e.bundleVersion());
  }
}
