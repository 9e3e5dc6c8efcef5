package org.plumbline.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.plumbline.governance.Caller;

/**
 * A request seen before is answered from its cached parse and validation exactly as the first time:
 * the same data, the same refusals by our limits and by graphql-java's own checks, and the same
 * validation errors; the cache stays within its bound.
 */
class DocumentCacheTest {
  private static final Caller ADMIN = new Caller("tester", Set.of("admin"));

  @Test
  void aRepeatedRequestGetsTheSameAnswerEachTime() {
    GraphQLApi api = GraphQLApiLimitsTest.api(GraphQLApi.Limits.DEFAULT);
    String query = "{ environments { id } rulePack { version } }";
    GraphQLApi.Response first = api.run(query, Map.of(), null, ADMIN);
    assertNull(first.requestError(), () -> String.valueOf(first.body()));
    for (int i = 0; i < 3; i++) {
      assertEquals(first.body(), api.run(query, Map.of(), null, ADMIN).body());
    }
  }

  @Test
  void aRepeatedInvalidRequestIsRefusedEachTime() {
    GraphQLApi api = GraphQLApiLimitsTest.api(GraphQLApi.Limits.DEFAULT);
    for (String bad :
        new String[] {"{ noSuchField }", "{ environments { id }", "{ environments }"}) {
      GraphQLApi.Response first = api.run(bad, Map.of(), null, ADMIN);
      assertEquals(ApiError.INVALID_QUERY, first.requestError(), bad);
      GraphQLApi.Response again = api.run(bad, Map.of(), null, ADMIN);
      assertEquals(ApiError.INVALID_QUERY, again.requestError(), bad);
      assertEquals(first.body(), again.body(), bad);
    }
  }

  @Test
  void theLimitsRefuseACachedRequestEachTime() {
    GraphQLApi api = GraphQLApiLimitsTest.api(new GraphQLApi.Limits(3, 1000, 1, 10_000, true));
    String deep = "{ environments { drifts { assessment { blastRadius } } } }";
    String aliased = "{ a: environments { id } b: environments { id } }";
    for (int i = 0; i < 3; i++) {
      assertEquals(ApiError.QUERY_TOO_COMPLEX, api.run(deep, Map.of(), null, ADMIN).requestError());
      assertEquals(
          ApiError.QUERY_TOO_COMPLEX, api.run(aliased, Map.of(), null, ADMIN).requestError());
    }
  }

  @Test
  void aMutationIsStillRecognisedFromTheCachedDocument() {
    GraphQLApi api = GraphQLApiLimitsTest.api(GraphQLApi.Limits.DEFAULT);
    String mutation =
        "mutation { approveDisposition(disposition: \"P-x\", meaning: \"m\") { id status } }";
    for (int i = 0; i < 3; i++) {
      assertTrue(api.check(mutation, null).isMutation());
    }
  }

  @Test
  void theCacheKeepsATextOnceAndStaysWithinItsBound() {
    DocumentCache cache = new DocumentCache(100);
    DocumentCache.Parsed a =
        cache.parsed("{ a }", q -> new DocumentCache.Parsed(null, 0, DocumentShape.EMPTY, 0));
    assertSame(
        a, cache.parsed("{ a }", q -> new DocumentCache.Parsed(null, 1, DocumentShape.EMPTY, 0)));
    for (int i = 0; i < 100; i++) {
      String q = "{ field" + i + " }";
      assertNotNull(
          cache.parsed(q, x -> new DocumentCache.Parsed(null, 0, DocumentShape.EMPTY, 0)));
    }
    assertTrue(cache.size() <= 100 / "{ field99 }".length() + 1, () -> "size " + cache.size());
    String huge = "{ " + "x ".repeat(DocumentCache.MAX_TEXT) + "}";
    cache.parsed(huge, q -> new DocumentCache.Parsed(null, 0, DocumentShape.EMPTY, 0));
    assertTrue(cache.size() <= 100 / "{ field99 }".length() + 1, "a long text is not kept");
  }
}
