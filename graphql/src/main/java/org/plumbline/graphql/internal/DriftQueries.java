package org.plumbline.graphql.internal;

import graphql.GraphQLContext;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftKind;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.DriftSummary;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Severity;
import org.plumbline.ontology.StoreReader;

/**
 * The drift lists: {@code Query.drifts} and {@code driftsPage} (the console's inbox asks for a page
 * and four counts by severity), {@code Environment.drifts} and {@code driftsPage}. They filter,
 * count and order the drifts' stored summaries ({@link DriftSummary}) and read in full only the
 * drifts they return, so a page of 50 out of 5,000 open drifts decodes 50 assessments.
 */
final class DriftQueries {
  /** Oldest first, then environment, key and id. */
  static final Paging.Order<DriftSummary> DRIFTS =
      new Paging.Order<>(
          "drifts",
          d -> Paging.tuple(Paging.instant(d.detectedAt()), d.environment(), d.key(), d.id()));

  static final Paging.Order<DriftSummary> ENVIRONMENT_DRIFTS =
      new Paging.Order<>(
          "environmentDrifts", d -> Paging.tuple(Paging.instant(d.detectedAt()), d.key(), d.id()));

  /** The statuses whose drifts the store lists together (live ones and accepted exceptions). */
  private static final Set<String> GOVERNED =
      Set.of(
          DriftStatus.OPEN.name(),
          DriftStatus.PENDING_APPROVAL.name(),
          DriftStatus.REVERT_APPROVED.name(),
          DriftStatus.EXCEPTED.name());

  private final GraphStore store;
  private final Consumer<String> requireEnvironment;

  DriftQueries(GraphStore store, Consumer<String> requireEnvironment) {
    this.store = store;
    this.requireEnvironment = requireEnvironment;
  }

  /** {@code Query.drifts} ({@code page} false) and {@code Query.driftsPage}. */
  DataFetcher<Object> query(boolean page) {
    return env -> {
      Map<String, Integer> tierRank = new HashMap<>();
      List<DriftSummary> found = summaries(env, tierRank);
      Paging.Order<DriftSummary> order =
          "SEVERITY".equals(env.getArgument("orderBy")) ? bySeverity(tierRank) : DRIFTS;
      return answer(env, page, order, found);
    };
  }

  /** {@code Environment.drifts} and {@code Environment.driftsPage}. */
  DataFetcher<Object> ofEnvironment(boolean page) {
    return env -> {
      List<String> statuses = env.getArgument("status");
      String id = ((Environment) env.getSource()).id();
      List<DriftSummary> found = new ArrayList<>();
      for (DriftSummary d : store.read(r -> r.driftSummaries(id))) {
        if (listedByDefault(d.kind())
            && (statuses == null || statuses.contains(d.status().name()))) {
          found.add(d);
        }
      }
      return answer(env, page, ENVIRONMENT_DRIFTS, found);
    };
  }

  /**
   * The page or list of a field, ordered, with only its items read in full. A plain list left
   * unpaged is its whole answer in order; a page or a paged list is ordered by {@link Paging}.
   */
  private Object answer(
      DataFetchingEnvironment env,
      boolean page,
      Paging.Order<DriftSummary> order,
      List<DriftSummary> found) {
    if (page) {
      Paging.Page<DriftSummary> p = Paging.page(env, order, found);
      return new Paging.Page<>(read(p.items()), p.pageInfo(), p.totalCount());
    }
    if (env.getArgument("first") == null && env.getArgument("after") == null) {
      found = sorted(order, found);
    }
    return read(Paging.list(env, order, found));
  }

  private static List<DriftSummary> sorted(
      Paging.Order<DriftSummary> order, List<DriftSummary> found) {
    List<Map.Entry<String, DriftSummary>> keyed = new ArrayList<>(found.size());
    for (DriftSummary d : found) {
      keyed.add(Map.entry(order.position().apply(d), d));
    }
    keyed.sort(Map.Entry.comparingByKey());
    return keyed.stream().map(Map.Entry::getValue).toList();
  }

  /** The drifts of these summaries, in their order (the query's one read transaction). */
  private List<Drift> read(List<DriftSummary> items) {
    if (items.isEmpty()) {
      return List.of();
    }
    return store.read(
        r -> {
          List<Drift> out = new ArrayList<>(items.size());
          for (DriftSummary d : items) {
            r.drift(d.id()).ifPresent(out::add);
          }
          return out;
        });
  }

  /**
   * Worst first: severity, then tier (both descending), then the oldest, then environment, key and
   * id so that the order is total. {@code tierRank} maps an environment to its tier's ordinal.
   */
  private static Paging.Order<DriftSummary> bySeverity(Map<String, Integer> tierRank) {
    return new Paging.Order<>(
        "driftsBySeverity",
        d ->
            Paging.tuple(
                Integer.toString(9 - d.severity().ordinal()),
                Integer.toString(9 - tierRank.getOrDefault(d.environment(), 0)),
                Paging.instant(d.detectedAt()),
                d.environment(),
                d.key(),
                d.id()));
  }

  /**
   * The summaries that pass the query's filters, at or above its severity floor; fills {@code
   * tierRank} with the tier ordinal of each environment in scope.
   */
  private List<DriftSummary> summaries(DataFetchingEnvironment env, Map<String, Integer> tierRank) {
    String minSeverity = env.getArgument("minSeverity");
    int floor = minSeverity == null ? 0 : Severity.valueOf(minSeverity).ordinal();
    // One scan per query and filter set: the console's inbox asks for its page and four counts by
    // severity with the same filters.
    Map<String, Object> filters = new TreeMap<>(env.getArguments());
    for (String notAFilter : List.of("minSeverity", "first", "after", "orderBy")) {
      filters.remove(notAFilter);
    }
    Scan scan = scans(env).computeIfAbsent(filters.toString(), k -> scan(env));
    tierRank.putAll(scan.tierRank());
    if (floor == 0) {
      return scan.summaries();
    }
    List<DriftSummary> out = new ArrayList<>();
    for (DriftSummary d : scan.summaries()) {
      if (d.severity().ordinal() >= floor) {
        out.add(d);
      }
    }
    return out;
  }

  /** The summaries that pass a query's filters (all but the severity floor), read once. */
  private record Scan(List<DriftSummary> summaries, Map<String, Integer> tierRank) {}

  @SuppressWarnings("unchecked")
  private static Map<String, Scan> scans(DataFetchingEnvironment env) {
    GraphQLContext context = env.getGraphQlContext();
    Map<String, Scan> scans = context.get(Scan.class);
    if (scans == null) {
      scans = new ConcurrentHashMap<>();
      context.put(Scan.class, scans);
    }
    return scans;
  }

  private Scan scan(DataFetchingEnvironment env) {
    String environmentId = env.getArgument("environment");
    if (environmentId != null) {
      requireEnvironment.accept(environmentId);
    }
    Filters f = new Filters(env);
    Map<String, Integer> tierRank = new HashMap<>();
    List<DriftSummary> out =
        store.read(
            r -> {
              Map<String, Environment> scope = new HashMap<>();
              List<Environment> environments =
                  environmentId == null
                      ? r.environments()
                      : r.environment(environmentId).map(List::of).orElse(List.of());
              for (Environment e : environments) {
                if (f.admits(e)) {
                  scope.put(e.id(), e);
                  tierRank.put(e.id(), e.tier().ordinal());
                }
              }
              List<DriftSummary> found = new ArrayList<>();
              for (DriftSummary d : candidates(r, environmentId, f.statuses(), scope)) {
                if (scope.containsKey(d.environment()) && f.admits(d)) {
                  found.add(d);
                }
              }
              return found;
            });
    return new Scan(List.copyOf(out), Map.copyOf(tierRank));
  }

  /**
   * The summaries to filter: the store's list of governed drifts when only governed statuses are
   * asked for across environments, otherwise every drift of each environment in scope.
   */
  private static List<DriftSummary> candidates(
      StoreReader r, String environmentId, List<String> statuses, Map<String, Environment> scope) {
    if (environmentId == null && statuses != null && GOVERNED.containsAll(statuses)) {
      return r.governedDriftSummaries();
    }
    List<DriftSummary> all = new ArrayList<>();
    for (String id : scope.keySet()) {
      all.addAll(r.driftSummaries(id));
    }
    return all;
  }

  /** A drift list's filters, as its arguments give them (null: not filtered). */
  private record Filters(
      List<String> statuses,
      String tier,
      List<String> tiers,
      String system,
      String owner,
      String risk,
      Instant since,
      String authorization,
      String kind) {
    Filters(DataFetchingEnvironment env) {
      this(
          env.getArgument("status"),
          env.getArgument("tier"),
          env.getArgument("tiers"),
          env.getArgument("system"),
          env.getArgument("owner"),
          env.getArgument("riskCategory"),
          env.getArgument("detectedSince"),
          env.getArgument("authorization"),
          env.getArgument("kind"));
    }

    boolean admits(Environment e) {
      return (tier == null || e.tier().name().equals(tier))
          && (tiers == null || tiers.contains(e.tier().name()))
          && (system == null || system.equals(e.system()))
          && (owner == null || owner.equals(e.owner()));
    }

    boolean admits(DriftSummary d) {
      return (statuses == null || statuses.contains(d.status().name()))
          && (risk == null || d.riskCategory().name().equals(risk))
          && (since == null || !d.detectedAt().isBefore(since))
          && (authorization == null
              || (d.authorization() != null && d.authorization().name().equals(authorization)))
          && (kind == null ? listedByDefault(d.kind()) : d.kind().name().equals(kind));
    }
  }

  /**
   * Drift lists answer configuration and behavioural drifts (CONTRACT section 5) unless {@code
   * kind} asks for another: a stale environment's OBSERVATION drift is a finding about the
   * environment ({@code Environment.stale}, {@code Environment.findings}), not a drifted key.
   */
  static boolean listedByDefault(DriftKind kind) {
    return kind != DriftKind.OBSERVATION;
  }
}
