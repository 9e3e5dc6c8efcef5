package org.plumbline.graphql.internal;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.plumbline.governance.Dispositions;
import org.plumbline.governance.GateHistory;
import org.plumbline.governance.PromptRegistry;
import org.plumbline.graphql.ApiError;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.BundleVersion;
import org.plumbline.ontology.Change;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.Disposition;
import org.plumbline.ontology.DispositionKind;
import org.plumbline.ontology.DispositionStatus;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.GateOverride;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.MetricSeries;
import org.plumbline.ontology.MetricWindow;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.PromptVersion;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.rules.BlastRadius;
import org.plumbline.rules.ConformanceCheck;
import org.plumbline.rules.RulePack;
import org.plumbline.rules.RulePackActivation;

/**
 * Data fetchers: each answers from stored facts through one read transaction (joining the request's
 * transaction when there is one, so a query sees one consistent state).
 */
final class Fetchers {
  private static final long MAX_DAYS = 36_600;

  /** The values of {@code Environment.status}, which the {@code status} argument filters on. */
  static final List<String> ENVIRONMENT_STATUSES = List.of("ACTIVE", "EXPIRED", "DECOMMISSIONED");

  /** Roles that read the audit ledger: it is the auditor's (admin holds every role). */
  static final String[] LEDGER_READERS = {"auditor"};

  static final Paging.Order<Change> CHANGES =
      new Paging.Order<>("changes", c -> Paging.tuple(Paging.instant(c.at()), c.key()));
  static final Paging.Order<AuditRecord> AUDIT =
      new Paging.Order<>("auditTrail", a -> Paging.number(a.seq()));
  static final Paging.Order<Disposition> DISPOSITIONS =
      new Paging.Order<>(
          "dispositions", p -> Paging.tuple(Paging.instant(p.requestedAt()), p.id()));

  private final GraphStore store;
  private final Clock clock;
  private final Supplier<RulePack> rulePack;

  Fetchers(GraphStore store, Clock clock, Supplier<RulePack> rulePack) {
    this.store = store;
    this.clock = clock;
    this.rulePack = rulePack;
  }

  private <T> T read(Function<StoreReader, T> work) {
    return store.read(work);
  }

  // ---- Query ----

  DataFetcher<List<Environment>> environments() {
    return env -> {
      String tier = env.getArgument("tier");
      String system = env.getArgument("system");
      String owner = env.getArgument("owner");
      String status = env.getArgument("status");
      if (status != null && !ENVIRONMENT_STATUSES.contains(status)) {
        throw new PlumblineException(
            ApiError.INVALID_ARGUMENT,
            "status must be one of " + String.join(", ", ENVIRONMENT_STATUSES) + ", was " + status,
            List.of("status: " + status));
      }
      return read(
              r ->
                  tier == null
                      ? r.environments()
                      : r.environments(org.plumbline.ontology.Tier.valueOf(tier)))
          .stream()
          .filter(e -> status == null || status.equals(e.status()))
          .filter(e -> system == null || system.equals(e.system()))
          .filter(e -> owner == null || owner.equals(e.owner()))
          .toList();
    };
  }

  DataFetcher<Drift> drift() {
    return env -> read(r -> r.drift(env.getArgument("id")).orElse(null));
  }

  /**
   * A drift's assessment with the blast radius of now, read from the current-value index ({@link
   * BlastRadius}), when the query asks for it; the stored assessment keeps the radius it saw.
   */
  DataFetcher<org.plumbline.ontology.Assessment> driftAssessment() {
    return env -> {
      Drift d = env.getSource();
      if (!env.getSelectionSet().contains("blastRadius")
          && !env.getSelectionSet().contains("explanation")) {
        return d.assessment();
      }
      return read(r -> BlastRadius.current(r, d).assessment());
    };
  }

  DataFetcher<List<String>> driftTrail() {
    return env -> read(r -> r.driftTrail(((Drift) env.getSource()).id()));
  }

  DataFetcher<Environment> environment() {
    return env -> read(r -> r.environment(env.getArgument("id")).orElse(null));
  }

  DataFetcher<Object> changesQuery(boolean page) {
    return paged(
        page, CHANGES, env -> changes(env, requireEnvironment(env.getArgument("environment"))));
  }

  DataFetcher<Object> environmentChanges(boolean page) {
    return paged(page, CHANGES, env -> changes(env, ((Environment) env.getSource()).id()));
  }

  /** A list field, or its {@code …Page} twin, over the whole filtered list. */
  private static <T> DataFetcher<Object> paged(
      boolean page, Paging.Order<T> order, Function<DataFetchingEnvironment, List<T>> all) {
    return env ->
        page ? Paging.page(env, order, all.apply(env)) : Paging.list(env, order, all.apply(env));
  }

  DataFetcher<Object> environmentChangeCount() {
    return env -> {
      Instant[] window = window(env);
      String id = ((Environment) env.getSource()).id();
      return read(r -> r.changeCount(id, window[0], window[1]));
    };
  }

  private List<Change> changes(DataFetchingEnvironment env, String environmentId) {
    Instant[] window = window(env);
    return read(r -> r.changes(environmentId, window[0], window[1]));
  }

  /** The window of since, until and lastDays, checked: {since, until}, either may be null. */
  private Instant[] window(DataFetchingEnvironment env) {
    Instant since = env.getArgument("since");
    Instant until = env.getArgument("until");
    Integer lastDays = env.getArgument("lastDays");
    if (lastDays != null) {
      if (since != null) {
        throw invalid("give either since or lastDays, not both");
      }
      if (lastDays < 1 || lastDays > MAX_DAYS) {
        throw invalid("lastDays must be between 1 and " + MAX_DAYS + ", was " + lastDays);
      }
      since = clock.instant().minus(Duration.ofDays(lastDays));
    }
    if (since != null && until != null && !since.isBefore(until)) {
      throw invalid("since (" + since + ") must be before until (" + until + ")");
    }
    return new Instant[] {since, until};
  }

  /** Findings about the environment itself: those of its governed OBSERVATION drift, if any. */
  DataFetcher<List<String>> environmentFindings() {
    return env -> {
      String id = ((Environment) env.getSource()).id();
      return read(r -> org.plumbline.governance.Observations.active(r, id))
          .map(d -> d.assessment().findings().stream().distinct().toList())
          .orElse(List.of());
    };
  }

  DataFetcher<List<Views.ConfigValue>> configAt() {
    return env -> {
      Instant at = Optional.ofNullable((Instant) env.getArgument("at")).orElse(clock.instant());
      String id = ((Environment) env.getSource()).id();
      return read(r -> r.snapshotAtOrBefore(id, at))
          .map(
              s ->
                  s.config().values().entrySet().stream()
                      .map(e -> new Views.ConfigValue(e.getKey(), e.getValue()))
                      .toList())
          .orElse(List.of());
    };
  }

  /**
   * Conformance at an instant, from the facts as they stood then (see {@link ConformanceCheck}).
   */
  DataFetcher<ConformanceCheck.Result> conformance() {
    return env -> {
      String id = requireEnvironment(env.getArgument("environment"));
      Instant at = Optional.ofNullable((Instant) env.getArgument("at")).orElse(clock.instant());
      return read(r -> ConformanceCheck.at(r, rulePack.get(), id, at));
    };
  }

  /** One metric's windows in the order they arrived; empty for a metric never posted. */
  DataFetcher<List<MetricWindow>> metricSeries() {
    return env -> {
      String id = requireEnvironment(env.getArgument("environment"));
      String metric = env.getArgument("metric");
      return read(r -> r.metricWindows(id, metric));
    };
  }

  /** One of an environment's observation figures: when last observed, whether stale. */
  <T> DataFetcher<T> environmentObservation(
      java.util.function.Function<org.plumbline.ontology.Observation, T> field) {
    return env -> {
      Environment e = env.getSource();
      return field.apply(read(r -> org.plumbline.ontology.Observation.of(r, e, clock.instant())));
    };
  }

  /** The active pack's ACCEPT and TTL-extension limits for the environment's tier. */
  DataFetcher<java.util.Map<String, Object>> environmentPolicyLimits() {
    return env -> {
      org.plumbline.rules.PolicyLimits l =
          rulePack.get().policyLimits(((Environment) env.getSource()).tier());
      return java.util.Map.of(
          "longestAccept",
          isoDays(l.longestAccept()),
          "longestAcceptDays",
          (int) l.longestAccept().toDays(),
          "longestExtension",
          isoDays(l.longestExtension()),
          "longestExtensionDays",
          (int) l.longestExtension().toDays());
    };
  }

  /** P7D rather than Duration's PT168H when the duration is whole days. */
  private static String isoDays(Duration d) {
    return d.toSeconds() % 86_400 == 0 ? "P" + d.toDays() + "D" : d.toString();
  }

  DataFetcher<List<MetricSeries>> environmentMetrics() {
    return env -> read(r -> r.metricSeriesOf(((Environment) env.getSource()).id()));
  }

  DataFetcher<List<String>> dependents() {
    return env -> {
      String id = requireEnvironment(env.getArgument("environment"));
      String key = env.getArgument("key");
      return read(r -> r.dependents(key, id));
    };
  }

  DataFetcher<Object> auditTrail(boolean page) {
    return paged(
        page,
        AUDIT,
        env -> {
          requireRole(env, LEDGER_READERS);
          String id = env.getArgument("environment");
          if (id != null) {
            requireEnvironment(id);
          }
          Instant since = env.getArgument("since");
          Instant until = env.getArgument("until");
          return read(r -> r.audit(id, since, until));
        });
  }

  DataFetcher<Views.AuditVerification> verifyAudit() {
    return env -> {
      requireRole(env, LEDGER_READERS);
      AuditLedger.Verification v = read(AuditLedger::verify);
      return new Views.AuditVerification(
          v.valid(), v.records(), v.firstBrokenSeq(), v.reason(), read(StoreReader::auditRoot));
    };
  }

  /** The running pack; its activation record only if that record names this very version. */
  DataFetcher<Views.RulePackInfo> rulePack() {
    return env -> {
      RulePack pack = rulePack.get();
      AuditRecord a =
          read(r -> RulePackActivation.active(r))
              .filter(x -> x.subject().equals(pack.version()))
              .orElse(null);
      return new Views.RulePackInfo(
          pack.version(),
          pack.ruleCount(),
          pack.ruleNames(),
          a == null ? null : a.seq(),
          a == null ? null : a.at(),
          a == null ? null : a.actor());
    };
  }

  DataFetcher<Views.Bundle> bundle() {
    return env -> {
      String id = env.getArgument("id");
      List<BundleVersion> versions = read(r -> r.bundleVersions(id));
      return versions.isEmpty() ? null : new Views.Bundle(id, versions);
    };
  }

  DataFetcher<List<org.plumbline.ontology.BlueprintProposal>> bundleProposals() {
    return env -> {
      Views.Bundle b = env.getSource();
      return read(r -> r.blueprintProposals(b.id()));
    };
  }

  DataFetcher<Views.Prompt> prompt() {
    return env -> {
      String id = env.getArgument("id");
      List<PromptVersion> versions = read(r -> r.promptVersions(id));
      return versions.isEmpty() ? null : new Views.Prompt(id, versions);
    };
  }

  DataFetcher<Boolean> promptNeedsReevaluation() {
    return env -> read(r -> PromptRegistry.needsReevaluation(r, env.getSource()));
  }

  DataFetcher<List<PromptRegistry.PromptDeployment>> promptDeployments() {
    return env -> read(r -> PromptRegistry.deployments(r, env.getSource()));
  }

  DataFetcher<Object> dispositionsQuery(boolean page) {
    return paged(page, DISPOSITIONS, this::dispositions);
  }

  private List<Disposition> dispositions(DataFetchingEnvironment env) {
    String environmentId = env.getArgument("environment");
    if (environmentId != null) {
      requireEnvironment(environmentId);
    }
    List<String> statuses = env.getArgument("status");
    return read(
        r -> {
          List<Disposition> out = new ArrayList<>();
          for (Environment e : r.environments()) {
            if (environmentId != null && !environmentId.equals(e.id())) {
              continue;
            }
            for (Drift d : r.drifts(e.id())) {
              for (Disposition p : r.dispositions(d.id())) {
                if (statuses == null || statuses.contains(p.status().name())) {
                  out.add(p);
                }
              }
            }
          }
          out.sort(Comparator.comparing(Disposition::requestedAt).thenComparing(Disposition::id));
          return out;
        });
  }

  /** Approved reverts, derived from the drifts waiting for the blueprint value to be observed. */
  DataFetcher<List<Views.Remediation>> remediations() {
    return env -> {
      String environmentId = env.getArgument("environment");
      if (environmentId != null) {
        requireEnvironment(environmentId);
      }
      return read(
          r -> {
            List<Views.Remediation> out = new ArrayList<>();
            for (Environment e : r.environments()) {
              if (environmentId != null && !environmentId.equals(e.id())) {
                continue;
              }
              for (Drift d : r.drifts(e.id())) {
                if (d.status() != DriftStatus.REVERT_APPROVED) {
                  continue;
                }
                Instant planned =
                    r.dispositions(d.id()).stream()
                        .filter(
                            p ->
                                p.kind() == DispositionKind.REVERT
                                    && p.status() == DispositionStatus.APPROVED)
                        .map(Disposition::decidedAt)
                        .reduce((a, b) -> b)
                        .orElse(d.updatedAt());
                out.add(
                    new Views.Remediation(
                        d.id(), e.id(), d.key(), d.actual(), d.expected(), planned));
              }
            }
            return out;
          });
    };
  }

  DataFetcher<List<ChangeRequest>> changeRequests() {
    return env -> {
      String environmentId = env.getArgument("environment");
      if (environmentId != null) {
        requireEnvironment(environmentId);
      }
      return read(
          r -> {
            List<ChangeRequest> out = new ArrayList<>();
            for (Environment e : r.environments()) {
              if (environmentId == null || environmentId.equals(e.id())) {
                out.addAll(r.changeRequests(e.id()));
              }
            }
            out.sort(Comparator.comparing(ChangeRequest::from).thenComparing(ChangeRequest::id));
            return out;
          });
    };
  }

  DataFetcher<List<org.plumbline.rules.SignatureMeanings.Meaning>> signatureMeanings() {
    return env -> rulePack.get().signatureMeanings().meanings();
  }

  /** An environment's audited gate decisions, newest first (see {@link GateHistory}). */
  DataFetcher<List<GateHistory.Decision>> gateDecisions() {
    return env -> {
      String environmentId = env.getArgument("environment");
      requireEnvironment(environmentId);
      Instant until = env.getArgument("until");
      Instant since = env.getArgument("since");
      Integer first = env.getArgument("first");
      Instant end = until == null ? clock.instant().plus(Duration.ofDays(1)) : until;
      Instant start = since == null ? end.minus(Duration.ofDays(31)) : since;
      int limit = first == null ? 20 : Math.max(0, Math.min(500, first));
      return read(r -> GateHistory.of(r, environmentId, start, end, limit));
    };
  }

  /**
   * An environment's gate overrides (every environment's without one: the approvals page), newest
   * first, optionally of some statuses.
   */
  DataFetcher<List<GateOverride>> gateOverrides() {
    return env -> {
      String environmentId = env.getArgument("environment");
      List<String> statuses = env.getArgument("status");
      List<GateOverride> all = new ArrayList<>();
      if (environmentId == null) {
        read(
            r -> {
              r.environments().forEach(e -> all.addAll(r.gateOverrides(e.id())));
              return null;
            });
        all.sort(Comparator.comparing(GateOverride::requestedAt).thenComparing(GateOverride::id));
      } else {
        requireEnvironment(environmentId);
        all.addAll(read(r -> r.gateOverrides(environmentId)));
      }
      java.util.Collections.reverse(all);
      return all.stream()
          .filter(o -> statuses == null || statuses.contains(o.status().name()))
          .toList();
    };
  }

  /** Whether a pending disposition's drift changed since it was requested. */
  DataFetcher<Boolean> dispositionStale() {
    return env -> {
      Disposition d = env.getSource();
      return d.status() == DispositionStatus.PENDING
          && read(r -> r.drift(d.drift()))
              .map(drift -> Dispositions.isStale(d, drift))
              .orElse(false);
    };
  }

  DataFetcher<String> dispositionSubjectHash() {
    return env -> ((Disposition) env.getSource()).subjectHash();
  }

  DataFetcher<List<Disposition>> driftDispositions() {
    return env -> read(r -> r.dispositions(((Drift) env.getSource()).id()));
  }

  // ---- nested ----

  DataFetcher<Environment> driftEnvironment() {
    return env -> read(r -> r.environment(((Drift) env.getSource()).environment()).orElseThrow());
  }

  /**
   * A section of a stored version written as the blueprint document ({@link
   * org.plumbline.governance.VersionDocument}), as JSON text: {@code config}, {@code overrides} (an
   * empty object when there are none) or, for {@code null}, the whole document.
   */
  DataFetcher<String> bundleVersionDocument(String section) {
    return env -> {
      BundleVersion v = env.getSource();
      return read(r -> r.blueprint(v.bundle(), v.version()))
          .map(bp -> org.plumbline.governance.VersionDocument.json(bp, section))
          .orElse(null);
    };
  }

  static DataFetcher<Object> validation(Function<org.plumbline.ontology.Validation, Object> field) {
    return env -> {
      BundleVersion v = env.getSource();
      return v.validation() == null ? null : field.apply(v.validation());
    };
  }

  /** FORBIDDEN unless the caller holds one of the roles (admin holds all). */
  static void requireRole(DataFetchingEnvironment env, String... roles) {
    org.plumbline.governance.Caller c =
        env.getGraphQlContext().get(org.plumbline.governance.Caller.class);
    if (c == null || !c.hasAny(roles)) {
      throw new PlumblineException(
          ApiError.FORBIDDEN,
          env.getField().getName()
              + " reads the audit ledger, which needs one of the roles "
              + String.join(", ", roles)
              + " or admin");
    }
  }

  String requireEnvironment(String id) {
    if (read(r -> r.environment(id)).isEmpty()) {
      throw new PlumblineException(
          org.plumbline.ontology.StoreError.UNKNOWN_ENVIRONMENT,
          "no environment '" + id + "'",
          List.of("environment: " + id));
    }
    return id;
  }

  private static PlumblineException invalid(String message) {
    return new PlumblineException(ApiError.INVALID_ARGUMENT, message);
  }
}
