package org.plumbline.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.plumbline.governance.Caller;
import org.plumbline.governance.Governor;
import org.plumbline.ontology.GraphStore;
import org.plumbline.rules.RulePack;

/**
 * The limits are checked before anything runs, and they count at least what graphql-java's own
 * depth and complexity checks count, so a request that passes them is never stopped later (the
 * server journals a mutation once it passed them).
 */
class GraphQLApiLimitsTest {
  private static final Caller ADMIN = new Caller("tester", Set.of("admin"));

  /** The query GraphiQL (bundled with vertx-web-graphql) sends on load: nesting 15 deep. */
  static final String GRAPHIQL_INTROSPECTION =
      """
      query IntrospectionQuery { __schema { description queryType { name kind }
        mutationType { name kind } subscriptionType { name kind } types { ...FullType }
        directives { name description isRepeatable locations args(includeDeprecated: true) {
          ...InputValue } } } }
      fragment FullType on __Type { kind name description specifiedByURL
        fields(includeDeprecated: true) { name description args(includeDeprecated: true) {
          ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
        inputFields(includeDeprecated: true) { ...InputValue } interfaces { ...TypeRef }
        enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
        possibleTypes { ...TypeRef } }
      fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue
        isDeprecated deprecationReason }
      fragment TypeRef on __Type { kind name ofType { name kind ofType { name kind ofType {
        name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind
        ofType { name kind ofType { name kind } } } } } } } } } }
      """;

  static GraphQLApi api(GraphQLApi.Limits limits) {
    GraphStore store = GraphStore.inMemory();
    RulePack pack = RulePack.compile(Path.of("../rules/packs/default"));
    Clock clock = Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC);
    Governor governance = new Governor(store, () -> pack, clock);
    return GraphQLApi.create(store, clock, () -> pack, governance, limits);
  }

  @Test
  void graphiqlsIntrospectionPassesTheDefaultLimitsAndOneLevelLessRefusesIt() {
    GraphQLApi.Response ok =
        api(GraphQLApi.Limits.DEFAULT).run(GRAPHIQL_INTROSPECTION, Map.of(), null, ADMIN);
    assertNull(ok.requestError(), () -> String.valueOf(ok.body().get("errors")));
    assertFalse(ok.body().containsKey("errors"));

    GraphQLApi strict = api(new GraphQLApi.Limits(14, 1000, 50, 10_000, true));
    GraphQLApi.Checked checked = strict.check(GRAPHIQL_INTROSPECTION, null);
    assertEquals(ApiError.QUERY_TOO_COMPLEX, checked.refusal().requestError());
    assertTrue(
        String.valueOf(checked.refusal().body()).contains("nests fields 15 deep; at most 14"),
        () -> String.valueOf(checked.refusal().body()));
  }

  @Test
  void mutationsAreRecognisedOnlyWhenTheyPassTheLimits() {
    GraphQLApi api = api(new GraphQLApi.Limits(15, 5, 50, 10_000, true));
    String mutation =
        "mutation { approveDisposition(disposition: \"P-x\", meaning: \"m\") { id status } }";
    assertTrue(api.check(mutation, null).isMutation());
    assertFalse(api.check("{ environments { id } }", null).isMutation());
    assertFalse(api.check("mutation {", null).isMutation(), "does not parse");
    GraphQLApi.Checked costly =
        api.check(
            "mutation { approveDisposition(disposition: \"P-x\", meaning: \"m\") { id status kind"
                + " requestedBy justification } }",
            null);
    assertFalse(costly.isMutation(), "refused by the complexity limit");
    assertEquals(ApiError.QUERY_TOO_COMPLEX, costly.refusal().requestError());
    // Named operations: the one that runs decides.
    String both = "query Q { environments { id } } " + mutation.replace("mutation", "mutation M");
    assertFalse(api.check(both, "Q").isMutation());
    assertTrue(api.check(both, "M").isMutation());
  }

  @Test
  void verifyAuditCountsTwoHundred() {
    GraphQLApi api = api(new GraphQLApi.Limits(15, 250, 50, 10_000, true));
    assertNull(api.check("{ verifyAudit { valid } }", null).refusal());
    GraphQLApi.Checked twice =
        api.check("{ a: verifyAudit { valid } b: verifyAudit { valid } }", null);
    assertEquals(ApiError.QUERY_TOO_COMPLEX, twice.refusal().requestError());
  }
}
