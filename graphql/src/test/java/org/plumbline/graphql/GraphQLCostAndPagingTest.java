package org.plumbline.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plumbline.governance.Caller;
import org.plumbline.governance.Governor;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.Tier;
import org.plumbline.rules.RulePack;

/**
 * Issue 14 high #3 (nested lists and aliases exhaust the server), CONTRACT section 7 (paging),
 * issue 13 (unknown ids answer empty lists; the ledger is the auditor's) and issue 14 low (an empty
 * operationName made a mutation look like a query), on a real in-memory TDB2 store with the shipped
 * rule pack. Cost refusals are asserted on {@link GraphQLApi#check}, before anything runs.
 */
class GraphQLCostAndPagingTest {
  static final Caller ADMIN = new Caller("root", Set.of("admin"));
  static final Caller AUDITOR = new Caller("dana", Set.of("auditor"));
  static final Caller VIEWER = new Caller("victor", Set.of("viewer"));
  static final Caller LOADER = new Caller("ci-loader", Set.of("loader"));
  static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC);

  private static RulePack pack;
  private static GraphStore store;
  private static Governor governance;

  /**
   * One world for every test (building it runs the rules 31 times): two environments; prod's
   * temperature flips on each of 30 daily snapshots. Tests that write to it (a backfill, an
   * extension) leave what the others assert true.
   */
  @BeforeAll
  static void world() {
    pack = RulePack.compile(Path.of("../rules/packs/default"));
    store = GraphStore.inMemory();
    governance = new Governor(store, () -> pack, CLOCK);
    governance.ingestBlueprint(
        new Blueprint(
            "b",
            "1.0.0",
            List.of(
                new EnvironmentSpec("e-prod", "E", Tier.PROD, "team", "sys", null),
                new EnvironmentSpec(
                    "e-dev", "E dev", Tier.DEV, "team", "sys", Duration.ofDays(14))),
            null,
            FlatConfig.of(Map.of("llm.temperature", "0.3", "guardrails.enabled", "true")),
            Map.of(),
            List.of(),
            List.of(),
            "sha256:b-1.0.0"),
        "test");
    for (int day = 0; day < 30; day++) {
      governance.ingestSnapshot(snapshot("e-prod", T0.plus(Duration.ofDays(day)), day), "test");
    }
    governance.ingestSnapshot(snapshot("e-dev", T0, 0), "test");
  }

  @AfterAll
  static void close() {
    store.close();
  }

  static Snapshot snapshot(String env, Instant at, int day) {
    String temperature = day % 2 == 0 ? "0.3" : "0.7";
    String guard = day % 3 == 0 ? "true" : "false";
    return new Snapshot(
        env,
        at,
        "test",
        FlatConfig.of(Map.of("llm.temperature", temperature, "guardrails.enabled", guard)),
        "sha256:" + sha256(env + at + temperature + guard));
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  GraphQLApi api(GraphQLApi.Limits limits) {
    return api(limits, System::nanoTime);
  }

  GraphQLApi api(GraphQLApi.Limits limits, LongSupplier ticker) {
    return GraphQLApi.create(store, CLOCK, () -> pack, governance, limits, ticker);
  }

  // ---- issue 14 high #3: list sizes count ----

  /** The reviewer's query: drifts, environment, drifts … seven levels deep, under aliases. */
  static String nestedDrifts(int levels, int aliases) {
    StringBuilder q = new StringBuilder("{ ");
    for (int a = 0; a < aliases; a++) {
      q.append("a").append(a).append(": drifts { id ");
      for (int i = 1; i < levels; i++) {
        q.append("environment { drifts { id key ");
      }
      q.append("}".repeat(2 * (levels - 1))).append(" } ");
    }
    return q.append("}").toString();
  }

  @Test
  void nestedListsSevenDeepUnderAliasesAreRefusedBeforeTheyRun() {
    String attack = nestedDrifts(7, 5);
    GraphQLApi.Checked checked = api(GraphQLApi.Limits.DEFAULT).check(attack, null);
    assertNotNull(checked.refusal(), "the nested query was let through");
    assertEquals(ApiError.QUERY_TOO_COSTLY, checked.refusal().requestError());
    String message = String.valueOf(checked.refusal().body());
    assertTrue(message.contains("Environment.drifts 100 (default)"), message);
    assertTrue(message.contains("QUERY_TOO_COSTLY"), message);

    // What let it through before: it stays within depth, field count and aliases.
    GraphQLApi fieldsOnly =
        api(
            GraphQLApi.Limits.DEFAULT.withCost(
                Long.MAX_VALUE, 500_000, 10_000, Duration.ofDays(1)));
    assertNull(fieldsOnly.check(attack, null).refusal());

    // One level is an ordinary question and passes.
    assertNull(api(GraphQLApi.Limits.DEFAULT).check(nestedDrifts(2, 1), null).refusal());
  }

  @Test
  void fiftyAliasesOfTheLedgerAreRefusedByItsStoredSize() {
    long records = store.read(r -> r.auditCount());
    assertTrue(records >= 30, "the world has a ledger: " + records);
    assertTrue(records <= 1_000, "a budget below Long overflow: " + records);
    String fields = "seq at actor action environment subject detail hash prevHash";
    // A budget for which one whole-ledger read fits and fifty do not.
    GraphQLApi api =
        api(
            GraphQLApi.Limits.DEFAULT.withCost(
                records * 10 * 5, 500_000, 10_000, Duration.ofSeconds(30)));
    GraphQLApi.Response one = api.run("{ auditTrail { " + fields + " } }", Map.of(), null, AUDITOR);
    assertNull(one.requestError(), () -> String.valueOf(one.body()));
    StringBuilder q = new StringBuilder("{ ");
    for (int i = 0; i < 50; i++) {
      q.append("a").append(i).append(": auditTrail { ").append(fields).append(" } ");
    }
    GraphQLApi.Checked fifty = api.check(q.append("}").toString(), null);
    assertNotNull(fifty.refusal(), "fifty ledger reads were let through");
    assertEquals(ApiError.QUERY_TOO_COSTLY, fifty.refusal().requestError());
    assertTrue(
        String.valueOf(fifty.refusal().body())
            .contains("Query.auditTrail " + records + " (stored count)"),
        () -> String.valueOf(fifty.refusal().body()));
    // Paged, the same fifty aliases cost what the pages hold.
    String paged = q.toString().replace("auditTrail {", "auditTrail(first: 2) {");
    assertNull(api.check(paged, null).refusal());
  }

  /**
   * The cost check skips its store read when the request's ceiling is within the budget (issue 21):
   * sound only if no stored count can raise an estimate above the ceiling.
   */
  @Test
  void theCostCeilingIsNeverBelowTheEstimateFromStoredCounts() {
    var schema =
        org.plumbline.graphql.internal.SchemaWiring.schema(store, CLOCK, () -> pack, governance);
    List<String> queries =
        List.of(
            "{ auditTrail { seq } }",
            "{ auditTrail(first: 3) { seq } }",
            "{ environments { id changes { key } } }",
            "{ changes(environment: \"e-prod\") { key at } }",
            "{ changes(environment: \"e-prod\", lastDays: 90) { key at } }",
            "{ changes(environment: \"e-prod\", first: 5) { key } }",
            "{ drifts(environment: \"e-prod\") { id key } }",
            "{ drifts { id environment { drifts { id } } } }",
            nestedDrifts(3, 2),
            "{ a: auditTrail { seq } b: changes(environment: \"e-dev\") { key } }");
    for (int maxListItems : new int[] {1, 2, 10_000}) {
      for (String q : queries) {
        graphql.language.Document doc = new graphql.parser.Parser().parseDocument(q);
        long estimate =
            store.read(
                r ->
                    org.plumbline.graphql.internal.CostModel.estimate(
                            doc, schema, r, CLOCK, maxListItems)
                        .total());
        long ceiling = org.plumbline.graphql.internal.CostModel.ceiling(doc, schema, maxListItems);
        assertTrue(ceiling >= estimate, q + ": ceiling " + ceiling + " < estimate " + estimate);
      }
    }
  }

  @Test
  void anAnswerOutgrowingTheResultBoundIsStoppedNotCut() {
    GraphQLApi api =
        api(GraphQLApi.Limits.DEFAULT.withCost(Long.MAX_VALUE, 40, 10_000, Duration.ofDays(1)));
    GraphQLApi.Response r =
        api.run("{ changes(environment: \"e-prod\") { key from to at } }", Map.of(), null, ADMIN);
    assertEquals(List.of("QUERY_TOO_COSTLY"), codes(r), () -> String.valueOf(r.body()));
    assertNull(r.body().get("data"), "no partial answer");
    assertTrue(String.valueOf(r.body()).contains("grew beyond 40 values"));
  }

  @Test
  void aQueryRunningPastItsTimeIsStopped() {
    AtomicLong now = new AtomicLong();
    LongSupplier ticker = () -> now.addAndGet(1_000_000_000L); // each look: one second later
    GraphQLApi api =
        api(
            GraphQLApi.Limits.DEFAULT.withCost(
                Long.MAX_VALUE, 500_000, 10_000, Duration.ofSeconds(5)),
            ticker);
    GraphQLApi.Response r =
        api.run("{ drifts { id environment { id drifts { id key } } } }", Map.of(), null, ADMIN);
    assertEquals(List.of("QUERY_TOO_COSTLY"), codes(r), () -> String.valueOf(r.body()));
    assertTrue(String.valueOf(r.body()).contains("ran longer than PT5S"));
    // With time to spare the same query answers.
    GraphQLApi patient = api(GraphQLApi.Limits.DEFAULT);
    assertEquals(
        List.of(),
        codes(
            patient.run(
                "{ drifts { id environment { id drifts { id key } } } }", Map.of(), null, ADMIN)));
  }

  // ---- CONTRACT section 7: paging ----

  @Test
  void pagesWalkTheWholeListInItsOrderAndCursorsAreChecked() {
    GraphQLApi api = api(GraphQLApi.Limits.DEFAULT);
    List<Object> whole =
        list(api.run("{ changes(environment: \"e-prod\") { key at } }", Map.of(), null, ADMIN))
            .get("changes");
    assertTrue(whole.size() > 20, "changes: " + whole.size());
    for (String q :
        List.of(
            "query ($after: String) { changesPage(environment: \"e-prod\", first: 7, after:"
                + " $after) { items { key at } pageInfo { endCursor hasNextPage } totalCount } }",
            "query ($after: String) { environment(id: \"e-prod\") { changesPage(first: 7, after:"
                + " $after) { items { key at } pageInfo { endCursor hasNextPage } totalCount } }"
                + " }")) {
      List<Object> walked = new ArrayList<>();
      String after = null;
      int pages = 0;
      while (true) {
        Map<String, Object> vars = new java.util.HashMap<>();
        vars.put("after", after);
        GraphQLApi.Response r = api.run(q, vars, null, ADMIN);
        assertEquals(List.of(), codes(r), () -> String.valueOf(r.body()));
        Map<String, Object> page = page(r.body(), "changesPage");
        walked.addAll((List<?>) page.get("items"));
        assertEquals(whole.size(), page.get("totalCount"));
        Map<?, ?> info = (Map<?, ?>) page.get("pageInfo");
        after = (String) info.get("endCursor");
        pages++;
        if (!(Boolean) info.get("hasNextPage")) {
          break;
        }
      }
      assertEquals(whole, walked, q);
      assertEquals((whole.size() + 6) / 7, pages);
    }

    // The plain list takes the same arguments and answers the page's items.
    Map<String, Object> first =
        page(
            api.run(
                    "{ changesPage(environment: \"e-prod\", first: 3) { pageInfo { endCursor } } }",
                    Map.of(),
                    null,
                    ADMIN)
                .body(),
            "changesPage");
    String cursor = (String) ((Map<?, ?>) first.get("pageInfo")).get("endCursor");
    assertEquals(
        whole.subList(3, 5),
        list(api.run(
                "query ($c: String) { changes(environment: \"e-prod\", first: 2, after: $c) {"
                    + " key at } }",
                Map.of("c", cursor),
                null,
                ADMIN))
            .get("changes"));

    // Cursors are checked: garbage, another list's cursor, a negative or oversized first.
    for (String bad : List.of("%%%not-base64%%%", "AAAA", cursor.substring(1))) {
      assertEquals(
          List.of("INVALID_CURSOR"),
          codes(
              api.run(
                  "query ($c: String) { changes(environment: \"e-prod\", after: $c) { key } }",
                  Map.of("c", bad),
                  null,
                  ADMIN)),
          bad);
    }
    assertEquals(
        List.of("INVALID_CURSOR"),
        codes(
            api.run(
                "query ($c: String) { auditTrailPage(after: $c) { totalCount } }",
                Map.of("c", cursor),
                null,
                AUDITOR)));
    assertEquals(
        List.of("INVALID_ARGUMENT"),
        codes(api.run("{ driftsPage(first: -1) { totalCount } }", Map.of(), null, ADMIN)));
    assertEquals(
        List.of("INVALID_ARGUMENT"),
        codes(api.run("{ driftsPage(first: 10001) { totalCount } }", Map.of(), null, ADMIN)));
  }

  @Test
  void aCursorKeepsItsPlaceWhenABackfillLandsBeforeIt() {
    GraphQLApi api = api(GraphQLApi.Limits.DEFAULT);
    String q =
        "query ($c: String) { changesPage(environment: \"e-prod\", first: 4, after: $c) {"
            + " items { at } pageInfo { endCursor } } }";
    Map<String, Object> vars = new java.util.HashMap<>();
    vars.put("c", null);
    Map<String, Object> p1 = page(api.run(q, vars, null, ADMIN).body(), "changesPage");
    String cursor = (String) ((Map<?, ?>) p1.get("pageInfo")).get("endCursor");
    Map<String, Object> p2 =
        page(api.run(q, Map.of("c", cursor), null, ADMIN).body(), "changesPage");
    // A snapshot observed before every stored one arrives late.
    governance.ingestSnapshot(snapshot("e-prod", T0.minus(Duration.ofDays(3)), 1), "test");
    Map<String, Object> again =
        page(api.run(q, Map.of("c", cursor), null, ADMIN).body(), "changesPage");
    assertEquals(p2.get("items"), again.get("items"));
  }

  @Test
  void anUnpagedListBeyondTheLimitSaysToPageAndCutsNothing() {
    GraphQLApi api =
        api(GraphQLApi.Limits.DEFAULT.withCost(250_000, 500_000, 10, Duration.ofSeconds(30)));
    for (String q :
        List.of(
            "{ changes(environment: \"e-prod\") { key } }",
            "{ environment(id: \"e-prod\") { changes { key } } }")) {
      GraphQLApi.Response r = api.run(q, Map.of(), null, AUDITOR);
      assertEquals(List.of("RESULT_TOO_LARGE"), codes(r), () -> String.valueOf(r.body()));
      assertTrue(String.valueOf(r.body()).contains("page it with first and after"));
    }
    GraphQLApi.Response audit = api.run("{ auditTrail { seq } }", Map.of(), null, AUDITOR);
    assertEquals(List.of("RESULT_TOO_LARGE"), codes(audit));
    GraphQLApi.Response paged =
        api.run("{ changes(environment: \"e-prod\", first: 10) { key } }", Map.of(), null, ADMIN);
    assertEquals(List.of(), codes(paged));
    assertEquals(10, list(paged).get("changes").size());
  }

  // ---- issue 13: unknown ids, enum-like strings; the ledger is the auditor's ----

  @Test
  void everyListArgumentNamingAnEnvironmentRefusesAnUnknownOne() {
    GraphQLApi api = api(GraphQLApi.Limits.DEFAULT);
    for (String q :
        List.of(
            "{ drifts(environment: \"e-prdo\") { id } }",
            "{ driftsPage(environment: \"e-prdo\") { totalCount } }",
            "{ auditTrail(environment: \"e-prdo\") { seq } }",
            "{ auditTrailPage(environment: \"e-prdo\") { totalCount } }",
            "{ dispositions(environment: \"e-prdo\") { id } }",
            "{ dispositionsPage(environment: \"e-prdo\") { totalCount } }",
            "{ changeRequests(environment: \"e-prdo\") { id } }",
            "{ remediations(environment: \"e-prdo\") { drift } }",
            "{ metricSeries(environment: \"e-prdo\", metric: \"m\") { window } }",
            "{ changes(environment: \"e-prdo\") { key } }",
            "{ changesPage(environment: \"e-prdo\") { totalCount } }",
            "{ conformance(environment: \"e-prdo\") { asOf } }",
            "{ dependents(key: \"k\", environment: \"e-prdo\") }")) {
      assertEquals(List.of("UNKNOWN_ENVIRONMENT"), codes(api.run(q, Map.of(), null, ADMIN)), q);
    }
    // Single objects answer null, as the contract allows.
    for (String q :
        List.of(
            "{ environment(id: \"e-prdo\") { id } }",
            "{ bundle(id: \"nope\") { id } }",
            "{ prompt(id: \"nope\") { id } }")) {
      GraphQLApi.Response r = api.run(q, Map.of(), null, ADMIN);
      assertEquals(List.of(), codes(r), q);
      assertNull(((Map<?, ?>) r.body().get("data")).values().iterator().next(), q);
    }
    // The known one still answers.
    assertEquals(
        List.of(),
        codes(api.run("{ drifts(environment: \"e-prod\") { id } }", Map.of(), null, ADMIN)));
  }

  @Test
  void anEnvironmentStatusOutsideItsValuesIsRefused() {
    GraphQLApi api = api(GraphQLApi.Limits.DEFAULT);
    GraphQLApi.Response r =
        api.run("{ environments(status: \"expired\") { id } }", Map.of(), null, VIEWER);
    assertEquals(List.of("INVALID_ARGUMENT"), codes(r));
    assertTrue(String.valueOf(r.body()).contains("ACTIVE, EXPIRED, DECOMMISSIONED"));
    assertEquals(
        List.of(),
        codes(api.run("{ environments(status: \"ACTIVE\") { id } }", Map.of(), null, VIEWER)));
  }

  @Test
  void theLedgerIsReadByAuditorsAndAdminsOnly() {
    GraphQLApi api = api(GraphQLApi.Limits.DEFAULT);
    for (String q :
        List.of(
            "{ auditTrail { seq } }",
            "{ auditTrailPage(first: 1) { totalCount } }",
            "{ verifyAudit { valid } }")) {
      for (Caller c : List.of(VIEWER, LOADER, new Caller("alice", Set.of("operator")))) {
        assertEquals(List.of("FORBIDDEN"), codes(api.run(q, Map.of(), null, c)), q + " " + c);
      }
      for (Caller c : List.of(AUDITOR, ADMIN)) {
        assertEquals(List.of(), codes(api.run(q, Map.of(), null, c)), q + " " + c);
      }
    }
  }

  // ---- issue 14 low: operationName "" ----

  @Test
  void anEmptyOperationNameDoesNotMakeAMutationAQuery() {
    GraphQLApi api = api(GraphQLApi.Limits.DEFAULT);
    String mutation =
        "mutation { extendEnvironment(environment: \"e-dev\", until: \"2026-12-01T00:00:00Z\","
            + " justification: \"more time\") { id expiresAt } }";
    for (String name : new String[] {"", null}) {
      assertTrue(api.check(mutation, name).isMutation(), "operationName " + name);
    }
    assertFalse(api.check("{ environments { id } }", "").isMutation());
    GraphQLApi.Response r =
        api.run(mutation, Map.of(), "", new Caller("alice", Set.of("operator")));
    assertEquals(List.of(), codes(r), () -> String.valueOf(r.body()));
    assertTrue(String.valueOf(r.body()).contains("2026-12-01T00:00:00Z"));
  }

  // ---- helpers ----

  @SuppressWarnings("unchecked")
  static List<String> codes(GraphQLApi.Response r) {
    Object errors = r.body().get("errors");
    if (!(errors instanceof List<?> list)) {
      return List.of();
    }
    return list.stream()
        .map(
            e ->
                String.valueOf(
                    ((Map<String, Object>) ((Map<?, ?>) e).get("extensions")).get("code")))
        .distinct()
        .toList();
  }

  @SuppressWarnings("unchecked")
  static Map<String, List<Object>> list(GraphQLApi.Response r) {
    assertEquals(List.of(), codes(r), () -> String.valueOf(r.body()));
    return (Map<String, List<Object>>) r.body().get("data");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> page(Map<String, Object> body, String field) {
    assertNull(body.get("errors"), () -> String.valueOf(body));
    Map<String, Object> data = (Map<String, Object>) body.get("data");
    if (data.get(field) == null) {
      data = (Map<String, Object>) data.get("environment");
    }
    return (Map<String, Object>) data.get(field);
  }
}
