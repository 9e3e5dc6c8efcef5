package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's triage question in one GraphQL query ("which production environments drifted this
 * week, worst first"): several tiers at once, a minimum severity, detected since, authorization,
 * ordered by severity, tier and age, paged with a cursor; and what the drift page reads (drift by
 * id, its trail, the tier's ACCEPT limit).
 */
class TriageQueryTest {
  static final List<String> SEVERITY = List.of("LOW", "MEDIUM", "HIGH", "CRITICAL");
  static final List<String> TIER = List.of("DEV", "STAGING", "PROD", "REGULATED");

  @Test
  void worstFirstAcrossTiersWithFiltersAndPaging(@TempDir Path data) throws Exception {
    try (ConsoleWorld w = new ConsoleWorld(data)) {
      JsonNode all =
          w.graphql(
                  "victor",
                  "{ driftsPage(orderBy: SEVERITY, first: 100) { totalCount items { id detectedAt"
                      + " environment { tier } assessment { severity } } } }")
              .at("/data/driftsPage");
      List<JsonNode> items = new ArrayList<>();
      all.path("items").forEach(items::add);
      assertTrue(items.size() > 5, all.toString());
      for (int i = 1; i < items.size(); i++) {
        JsonNode a = items.get(i - 1);
        JsonNode b = items.get(i);
        int sa = SEVERITY.indexOf(a.at("/assessment/severity").asText());
        int sb = SEVERITY.indexOf(b.at("/assessment/severity").asText());
        assertTrue(sa >= sb, "severity order at " + i + ": " + all);
        if (sa == sb) {
          int ta = TIER.indexOf(a.at("/environment/tier").asText());
          int tb = TIER.indexOf(b.at("/environment/tier").asText());
          assertTrue(ta >= tb, "tier order at " + i);
          if (ta == tb) {
            assertTrue(
                a.path("detectedAt").asText().compareTo(b.path("detectedAt").asText()) <= 0,
                "oldest first at " + i);
          }
        }
      }
      assertEquals("HIGH", items.get(0).at("/assessment/severity").asText());
      assertEquals("REGULATED", items.get(0).at("/environment/tier").asText());

      // Paging the same order with a cursor gives the same items.
      List<String> paged = new ArrayList<>();
      String after = null;
      do {
        JsonNode page =
            w.graphql(
                    "victor",
                    "{ driftsPage(orderBy: SEVERITY, first: 3"
                        + (after == null ? "" : ", after: \"" + after + "\"")
                        + ") { items { id } pageInfo { endCursor hasNextPage } } }")
                .at("/data/driftsPage");
        page.path("items").forEach(i -> paged.add(i.path("id").asText()));
        after =
            page.at("/pageInfo/hasNextPage").asBoolean()
                ? page.at("/pageInfo/endCursor").asText()
                : null;
      } while (after != null);
      assertEquals(items.stream().map(i -> i.path("id").asText()).toList(), paged);

      // The inbox's document: its page and a count per severity floor share one read of the
      // drifts, and answer as the same questions asked one by one.
      JsonNode inbox =
          w.graphql(
                  "victor",
                  "{ page: driftsPage(tiers: [PROD, REGULATED], orderBy: SEVERITY, first: 4)"
                      + " { totalCount items { id } }"
                      + " high: driftsPage(tiers: [PROD, REGULATED], minSeverity: HIGH, first: 0)"
                      + " { totalCount pageInfo { hasNextPage } }"
                      + " low: driftsPage(tiers: [PROD, REGULATED], minSeverity: LOW, first: 0)"
                      + " { totalCount } dev: driftsPage(tiers: [DEV], first: 0) { totalCount } }")
              .at("/data");
      for (String[] alone :
          List.of(
              new String[] {
                "page", "driftsPage(tiers: [PROD, REGULATED], orderBy: SEVERITY, first: 4)"
              },
              new String[] {"high", "driftsPage(tiers: [PROD, REGULATED], minSeverity: HIGH)"},
              new String[] {"low", "driftsPage(tiers: [PROD, REGULATED], minSeverity: LOW)"},
              new String[] {"dev", "driftsPage(tiers: [DEV])"})) {
        JsonNode one =
            w.graphql("victor", "{ " + alone[1] + " { totalCount items { id } } }")
                .at("/data/driftsPage");
        assertEquals(
            one.path("totalCount").asInt(),
            inbox.at("/" + alone[0] + "/totalCount").asInt(),
            alone[0]);
        if (alone[0].equals("page")) {
          assertEquals(one.path("items"), inbox.at("/page/items"));
        }
      }
      assertTrue(
          inbox.at("/low/totalCount").asInt() >= inbox.at("/high/totalCount").asInt(),
          inbox.toString());
      assertEquals(
          inbox.at("/high/totalCount").asInt() > 0,
          inbox.at("/high/pageInfo/hasNextPage").asBoolean());

      // The triage question: production tiers, at least HIGH, detected since, anomalous.
      JsonNode triage =
          w.graphql(
                  "victor",
                  "{ drifts(tiers: [PROD, REGULATED], minSeverity: HIGH, detectedSince:"
                      + " \"2026-11-02T00:00:00Z\", authorization: ANOMALOUS, orderBy: SEVERITY)"
                      + " { key environment { id } } }")
              .at("/data/drifts");
      assertEquals(1, triage.size(), triage.toString());
      assertEquals("llm.temperature", triage.at("/0/key").asText());
      assertEquals(
          0,
          w.graphql(
                  "victor",
                  "{ drifts(tiers: [PROD, REGULATED], detectedSince: \"2026-11-10T00:00:00Z\") {"
                      + " id } }")
              .at("/data/drifts")
              .size());
      assertEquals(
          0,
          w.graphql("victor", "{ drifts(tiers: [DEV], minSeverity: HIGH) { id } }")
              .at("/data/drifts")
              .size());
      assertFalse(
          w.graphql(
                  "victor",
                  "{ drifts(tiers: [DEV], system: \"credit-model\", kind: CONFIG) { id } }")
              .at("/data/drifts")
              .isEmpty());

      // What the drift page reads.
      String id = items.get(0).path("id").asText();
      JsonNode d =
          w.graphql(
                  "victor",
                  "{ drift(id: \""
                      + id
                      + "\") { key trail environment { policyLimits { longestAccept"
                      + " longestAcceptDays longestExtensionDays } } } }")
              .at("/data/drift");
      assertEquals("llm.temperature", d.path("key").asText());
      assertEquals("[\"0.7\"]", d.path("trail").toString());
      assertEquals("P7D", d.at("/environment/policyLimits/longestAccept").asText());
      assertEquals(7, d.at("/environment/policyLimits/longestAcceptDays").asInt());
      assertEquals(365, d.at("/environment/policyLimits/longestExtensionDays").asInt());
      assertTrue(
          w.graphql("victor", "{ drift(id: \"no-such-drift\") { id } }")
              .at("/data/drift")
              .isNull());
    }
  }
}
