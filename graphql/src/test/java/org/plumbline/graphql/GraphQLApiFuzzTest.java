package org.plumbline.graphql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.plumbline.governance.Caller;
import org.plumbline.governance.Governor;
import org.plumbline.ontology.GraphStore;
import org.plumbline.rules.RulePack;

/**
 * A Jazzer target for the GraphQL request path (issue 9 point 6): parsing within the parser's
 * limits, validation, the depth, complexity and alias limits, argument coercion and the fetchers,
 * over the real schema and an in-memory TDB2 store, for a caller with every role. Regression mode
 * runs the seeds in {@code GraphQLApiFuzzTestInputs/request/} in every build.
 *
 * <p>The properties: {@link GraphQLApi#run} always answers; every error carries a code, and none is
 * INTERNAL; a request stopped before execution names its code.
 */
class GraphQLApiFuzzTest {
  private static final GraphQLApi API = api();
  private static final Caller ADMIN = new Caller("fuzzer", Set.of("admin"));

  private static GraphQLApi api() {
    GraphStore store = GraphStore.inMemory();
    RulePack pack = RulePack.compile(Path.of("../rules/packs/default"));
    Clock clock = Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC);
    Governor governance = new Governor(store, () -> pack, clock);
    return GraphQLApi.create(store, clock, () -> pack, governance);
  }

  @FuzzTest(maxDuration = "60s")
  void request(FuzzedDataProvider data) {
    String variable = data.consumeString(200);
    String query = data.consumeRemainingAsString();
    GraphQLApi.Response r = API.run(query, Map.of("x", variable), null, ADMIN);
    Object errors = r.body().get("errors");
    if (r.requestError() != null) {
      assertTrue(errors instanceof List<?> l && !l.isEmpty(), () -> r.body().toString());
    }
    if (errors instanceof List<?> list) {
      for (Object e : list) {
        Object code = ((Map<?, ?>) ((Map<?, ?>) e).get("extensions")).get("code");
        assertFalse(code == null || code.toString().isEmpty(), () -> r.body().toString());
        assertNotEquals("INTERNAL", code, () -> query + " -> " + r.body());
      }
    }
  }
}
