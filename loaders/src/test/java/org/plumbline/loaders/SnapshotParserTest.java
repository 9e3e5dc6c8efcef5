package org.plumbline.loaders;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;

class SnapshotParserTest {
  private final SnapshotParser parser = new SnapshotParser();

  private Snapshot parse(String json) {
    return parser.parse(json.getBytes(UTF_8));
  }

  @Test
  void sourceIsNotPartOfIdentity() {
    Snapshot k8s =
        parse(
            "{\"environment\":\"e\",\"observedAt\":\"2026-11-20T10:00:00Z\",\"source\":\"k8s\","
                + "\"config\":{\"llm\":{\"temperature\":0.7}}}");
    Snapshot unnamed =
        parse(
            "{\"config\":{\"llm\":{\"temperature\":0.70}},\"observedAt\":\"2026-11-20T11:00:00+01:00\","
                + "\"environment\":\"e\"}");

    assertEquals(SnapshotParser.UNKNOWN_SOURCE, unnamed.source());
    assertEquals(k8s.contentHash(), unnamed.contentHash());
  }

  @Test
  void instantAndEnvironmentArePartOfIdentity() {
    String json =
        "{\"environment\":\"e\",\"observedAt\":\"2026-11-20T10:00:00Z\",\"config\":{\"a\":1}}";
    String hash = parse(json).contentHash();
    assertNotEquals(hash, parse(json.replace("10:00:00Z", "10:00:01Z")).contentHash());
    assertNotEquals(hash, parse(json.replace("\"e\"", "\"f\"")).contentHash());
    assertNotEquals(hash, parse(json.replace("\"a\":1", "\"a\":2")).contentHash());
  }

  @Test
  void offsetsAreNormalisedToUtc() {
    Snapshot snapshot =
        parse("{\"environment\":\"e\",\"observedAt\":\"2026-11-20T05:00:00-05:00\",\"config\":{}}");
    assertEquals(Instant.parse("2026-11-20T10:00:00Z"), snapshot.observedAt());
  }

  @Test
  void detailNamesThePointerAndTheValue() {
    PlumblineException e =
        assertThrows(
            PlumblineException.class,
            () -> parse("{\"environment\":\"e\",\"observedAt\":\"yesterday\",\"config\":{}}"));
    assertEquals(LoaderError.INVALID_SNAPSHOT, e.code());
    assertEquals(List.of("/observedAt: not an ISO-8601 instant: 'yesterday'"), e.details());
  }

  @Test
  void problemsBeyondTheReportLimitAreCounted() {
    StringBuilder json =
        new StringBuilder(
            "{\"environment\":\"e\",\"observedAt\":\"2026-11-20T10:00:00Z\",\"config\":{}");
    for (int i = 0; i < 150; i++) {
      json.append(",\"typo").append(i).append("\":1");
    }
    PlumblineException e =
        assertThrows(PlumblineException.class, () -> parse(json.append('}').toString()));
    assertEquals(101, e.details().size());
    assertEquals("... and 50 more", e.details().get(100));
  }
}
