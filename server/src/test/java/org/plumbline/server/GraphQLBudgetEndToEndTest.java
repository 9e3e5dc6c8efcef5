package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GraphQL endpoint's budget and paging over real HTTP (issue 14 high #3 and low, CONTRACT
 * section 7): an over-budget query is refused with 400 QUERY_TOO_COSTLY before it runs; a mutation
 * sent with {@code operationName: ""} is run as the mutation it is; the ledger pages.
 */
class GraphQLBudgetEndToEndTest {

  @Test
  void nestedListsAreRefusedBeforeTheyRunAndTheServerStaysUp(@TempDir Path data) throws Exception {
    try (SecurityWorld world = new SecurityWorld(data, c -> c)) {
      StringBuilder q = new StringBuilder("{ ");
      for (int a = 0; a < 5; a++) {
        q.append("a").append(a).append(": drifts { id ");
        q.append("environment { drifts { id key ".repeat(6)).append("}".repeat(12)).append(" } ");
      }
      HttpResponse<String> r = post(world, "viewer", q.append("}").toString(), null);
      assertEquals(400, r.statusCode(), r.body());
      JsonNode error = SecurityWorld.JSON.readTree(r.body()).at("/errors/0");
      assertEquals("QUERY_TOO_COSTLY", error.at("/extensions/code").asText(), r.body());
      assertTrue(error.path("message").asText().contains("Environment.drifts"), r.body());
      assertEquals(200, world.send("GET", "/health", null, null, null).statusCode());
    }
  }

  @Test
  void anEmptyOperationNameRunsTheMutationOnTheWritePath(@TempDir Path data) throws Exception {
    try (SecurityWorld world = new SecurityWorld(data, c -> c)) {
      String mutation =
          "mutation { extendEnvironment(environment: \"credit-model-dev\", until:"
              + " \"2026-12-10T00:00:00Z\", justification: \"pilot runs longer\") { id expiresAt"
              + " } }";
      HttpResponse<String> r = post(world, "operator", mutation, "");
      assertEquals(200, r.statusCode(), r.body());
      assertFalse(r.body().contains("INTERNAL"), r.body());
      assertFalse(r.body().contains("\"errors\""), r.body());
      JsonNode env =
          world.graphql("viewer", "{ environment(id: \"credit-model-dev\") { expiresAt } }");
      assertEquals("2026-12-10T00:00:00Z", env.at("/data/environment/expiresAt").asText());
    }
  }

  @Test
  void theLedgerPagesToTheSameRecordsAndOnlyForAuditors(@TempDir Path data) throws Exception {
    try (SecurityWorld world = new SecurityWorld(data, c -> c)) {
      JsonNode whole = world.graphql("auditor", "{ auditTrail { seq action } }");
      List<JsonNode> walked = new ArrayList<>();
      String after = null;
      do {
        JsonNode page =
            SecurityWorld.JSON
                .readTree(
                    post(
                            world,
                            "auditor",
                            "query ($a: String) { auditTrailPage(first: 3, after: $a) { items {"
                                + " seq action } pageInfo { endCursor hasNextPage } totalCount"
                                + " } }",
                            null,
                            after)
                        .body())
                .at("/data/auditTrailPage");
        page.path("items").forEach(walked::add);
        assertEquals(whole.at("/data/auditTrail").size(), page.path("totalCount").asInt());
        after =
            page.at("/pageInfo/hasNextPage").asBoolean()
                ? page.at("/pageInfo/endCursor").asText()
                : null;
      } while (after != null);
      assertEquals(
          whole.at("/data/auditTrail").toString(),
          SecurityWorld.JSON.valueToTree(walked).toString());
      JsonNode refused = world.graphql("viewer", "{ auditTrailPage { totalCount } }");
      assertEquals(
          "FORBIDDEN", refused.at("/errors/0/extensions/code").asText(), refused.toString());
    }
  }

  static HttpResponse<String> post(SecurityWorld world, String role, String query, String op)
      throws Exception {
    return post(world, role, query, op, null);
  }

  static HttpResponse<String> post(
      SecurityWorld world, String role, String query, String op, String after) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    if (op != null) {
      body.put("operationName", op);
    }
    if (after != null) {
      body.put("variables", Map.of("a", after));
    }
    return world.send(
        "POST", "/graphql", role, "application/json", SecurityWorld.JSON.writeValueAsString(body));
  }
}
