package org.plumbline.graphql.internal;

import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.plumbline.ontology.StoreReader;

/**
 * Estimates what a request costs before it runs: every value it would resolve, each list counting
 * as many times as it is expected to hold items, and what is nested in a list counting once per
 * item. A list's size comes from its {@code first} argument, from a stored count where one is cheap
 * (the ledger's size, an environment's change count from the time index, the environments), and
 * otherwise from the documented default of {@link #DEFAULTS}, so nested lists multiply.
 *
 * <p>Fragments are costed once each (linear time, however often they are spread).
 */
public final class CostModel {
  private CostModel() {}

  /** Expected size of a list field that has no stored count, by {@code Type.field}. */
  public static final Map<String, Integer> DEFAULTS = defaults();

  /** Expected size of any other list (short lists of codes, roles, keys). */
  public static final int OTHER_LIST = 10;

  private static final long CAP = 1_000_000_000_000L;

  private static Map<String, Integer> defaults() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("Query.drifts", 1_000);
    m.put("Query.dispositions", 500);
    m.put("Query.changeRequests", 200);
    m.put("Query.gateDecisions", 20);
    m.put("Query.gateOverrides", 50);
    m.put("Query.remediations", 200);
    m.put("Query.metricSeries", 100);
    m.put("Query.dependents", 50);
    m.put("Environment.changes", 1_000);
    m.put("Environment.drifts", 100);
    m.put("Environment.configAt", 200);
    m.put("Environment.metrics", 20);
    m.put("Drift.dispositions", 5);
    m.put("Conformance.differences", 100);
    m.put("Assessment.blastRadius", 20);
    m.put("Disposition.approvals", 3);
    m.put("Bundle.versions", 20);
    m.put("Prompt.versions", 20);
    m.put("PromptVersion.deployments", 20);
    m.put("RulePackInfo.ruleNames", 200);
    return Map.copyOf(m);
  }

  /**
   * What a request costs.
   *
   * @param total estimated values, capped at 10^12
   * @param lists the largest size assumed for each list field ({@code Type.field}), with where it
   *     came from, for the refusal's message
   */
  public record Estimate(long total, Map<String, String> lists) {}

  /**
   * The cost of the costliest operation of a parsed request.
   *
   * @param store the store's counts, or null to use the defaults only
   * @param clock the clock that {@code lastDays} counts back from
   * @param maxListItems the largest page or unpaged list a field may answer
   */
  public static Estimate estimate(
      Document doc, GraphQLSchema schema, StoreReader store, Clock clock, int maxListItems) {
    return estimate(new Walk(doc, schema, store, false, clock, maxListItems), doc, schema);
  }

  /**
   * The most {@link #estimate} can give for this request whatever the store holds (issue 21): every
   * list that would take a stored count counts as its largest (the page or {@code maxListItems}),
   * and a stored count only ever lowers a size. It depends on the text alone, so a request whose
   * ceiling is within the budget needs no store read to pass the cost check.
   */
  public static long ceiling(Document doc, GraphQLSchema schema, int maxListItems) {
    return estimate(new Walk(doc, schema, null, true, null, maxListItems), doc, schema).total();
  }

  private static Estimate estimate(Walk walk, Document doc, GraphQLSchema schema) {
    long total = 0;
    for (OperationDefinition op : doc.getDefinitionsOfType(OperationDefinition.class)) {
      GraphQLType root =
          switch (op.getOperation()) {
            case MUTATION -> schema.getMutationType();
            case SUBSCRIPTION -> schema.getSubscriptionType();
            default -> schema.getQueryType();
          };
      total = Math.max(total, walk.cost(op.getSelectionSet(), root));
    }
    return new Estimate(total, walk.lists);
  }

  private static final class Walk {
    private final Map<String, FragmentDefinition> fragments = new HashMap<>();
    private final Map<String, Long> memo = new HashMap<>();
    private final Map<String, Long> counts = new HashMap<>();
    private final Map<String, String> lists = new LinkedHashMap<>();
    private final Map<String, Long> listSizes = new HashMap<>();
    private final GraphQLSchema schema;
    private final StoreReader store;
    private final boolean ceiling;
    private final Clock clock;
    private final int maxListItems;

    Walk(
        Document doc,
        GraphQLSchema schema,
        StoreReader store,
        boolean ceiling,
        Clock clock,
        int maxListItems) {
      this.ceiling = ceiling;
      this.clock = clock;
      doc.getDefinitionsOfType(FragmentDefinition.class)
          .forEach(f -> fragments.put(f.getName(), f));
      this.schema = schema;
      this.store = store;
      this.maxListItems = maxListItems;
    }

    long cost(SelectionSet set, GraphQLType parent) {
      if (set == null) {
        return 0;
      }
      long cost = 0;
      for (Selection<?> s : set.getSelections()) {
        if (s instanceof Field f) {
          cost = add(cost, field(f, parent));
        } else if (s instanceof InlineFragment i) {
          GraphQLType type =
              i.getTypeCondition() == null
                  ? parent
                  : schema.getType(i.getTypeCondition().getName());
          cost = add(cost, cost(i.getSelectionSet(), type));
        } else if (s instanceof FragmentSpread spread) {
          cost = add(cost, fragment(spread.getName()));
        }
      }
      return cost;
    }

    private long fragment(String name) {
      Long known = memo.get(name);
      if (known == null) {
        FragmentDefinition f = fragments.get(name);
        memo.put(name, 0L); // a cycle counts nothing; validation refuses it
        known =
            f == null
                ? 0L
                : cost(f.getSelectionSet(), schema.getType(f.getTypeCondition().getName()));
        memo.put(name, known);
      }
      return known;
    }

    private long field(Field f, GraphQLType parent) {
      GraphQLFieldDefinition def =
          parent instanceof GraphQLFieldsContainer c ? c.getFieldDefinition(f.getName()) : null;
      if (def == null) {
        return 1; // __typename, or a field validation will refuse
      }
      String owner = ((GraphQLFieldsContainer) parent).getName();
      GraphQLType type = def.getType();
      GraphQLType inner = GraphQLTypeUtil.unwrapAll(type);
      long children = cost(f.getSelectionSet(), inner);
      boolean list = GraphQLTypeUtil.unwrapNonNull(type) instanceof GraphQLList;
      boolean page = f.getName().endsWith("Page") && !list;
      if (owner.startsWith("__") || f.getName().startsWith("__") || !(list || page)) {
        return add(1, children);
      }
      long n = size(owner, f, page);
      return add(1, mul(n, Math.max(1, children)));
    }

    /** The expected items of one list field, remembered for the message. */
    private long size(String owner, Field f, boolean page) {
      String name = page ? f.getName().substring(0, f.getName().length() - 4) : f.getName();
      String key = owner + "." + name;
      Optional<Long> first = intArgument(f, "first");
      long n;
      String why;
      Long stored = stored(owner, name, f);
      if (first.isPresent()) {
        n = Math.max(0, Math.min(first.get(), maxListItems));
        why = "first";
        if (stored != null && stored < n) {
          n = stored;
          why = "stored count";
        }
      } else if (stored != null) {
        n = page ? Math.min(stored, Paging.DEFAULT_PAGE) : Math.min(stored, maxListItems);
        why = page ? "page" : "stored count";
      } else {
        n = DEFAULTS.getOrDefault(key, OTHER_LIST);
        if (page) {
          n = Math.min(n, Paging.DEFAULT_PAGE);
        }
        why = page ? "page" : "default";
      }
      if (n > listSizes.getOrDefault(key, -1L)) {
        listSizes.put(key, n);
        lists.put(key, n + " (" + why + ")");
      }
      return n;
    }

    /** A stored count, where one is cheap; null otherwise. */
    private Long stored(String owner, String name, Field f) {
      if (!owner.equals("Query") || (store == null && !ceiling)) {
        return null;
      }
      Optional<String> env = stringArgument(f, "environment");
      return switch (name) {
        case "environments" -> count("environments", () -> (long) store.environments().size());
        case "auditTrail" -> count("audit", () -> store.auditCount());
        case "changes" -> env.map(e -> ceiling ? CAP : changes(e, f)).orElse(null);
        case "drifts" ->
            env.map(e -> count("drifts " + e, () -> (long) store.drifts(e).size())).orElse(null);
        default -> null;
      };
    }

    /** A count read once per request; for the ceiling, the largest there can be (no read). */
    private Long count(String key, java.util.function.Supplier<Long> read) {
      return ceiling ? CAP : counts.computeIfAbsent(key, k -> read.get());
    }

    private Long changes(String environment, Field f) {
      Instant since = instantArgument(f, "since");
      Instant until = instantArgument(f, "until");
      Optional<Long> lastDays = intArgument(f, "lastDays");
      if (since == null && lastDays.isPresent() && lastDays.get() > 0 && lastDays.get() < 36_600) {
        // The clock is not known here: a day more than asked never counts fewer.
        since = clock.instant().minus(Duration.ofDays(lastDays.get() + 1));
      }
      Instant s = since;
      Instant u = until;
      return counts.computeIfAbsent(
          "changes " + environment + " " + s + " " + u,
          k -> (long) store.changeCount(environment, s, u));
    }
  }

  private static Optional<Long> intArgument(Field f, String name) {
    Value<?> v = argument(f, name);
    return v instanceof IntValue i
        ? Optional.of(i.getValue().min(java.math.BigInteger.valueOf(CAP)).longValue())
        : Optional.empty();
  }

  private static Optional<String> stringArgument(Field f, String name) {
    Value<?> v = argument(f, name);
    return v instanceof StringValue s ? Optional.of(s.getValue()) : Optional.empty();
  }

  private static Instant instantArgument(Field f, String name) {
    try {
      return stringArgument(f, name).map(Instant::parse).orElse(null);
    } catch (RuntimeException e) {
      return null; // the field refuses it when it runs
    }
  }

  private static Value<?> argument(Field f, String name) {
    for (Argument a : f.getArguments()) {
      if (a.getName().equals(name)) {
        return a.getValue();
      }
    }
    return null;
  }

  private static long add(long a, long b) {
    return Math.min(CAP, a + b);
  }

  private static long mul(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return a > CAP / b ? CAP : Math.min(CAP, a * b);
  }
}
