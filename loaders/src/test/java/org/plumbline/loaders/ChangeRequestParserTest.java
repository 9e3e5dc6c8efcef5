package org.plumbline.loaders;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.ChangeRequest;

class ChangeRequestParserTest {
  private final ChangeRequestParser parser = new ChangeRequestParser();

  @Test
  void windowCoversFromButNotUntil() {
    ChangeRequest request =
        parser
            .parse(BlueprintParserTest.resource("change-requests-contract-example/input.json"))
            .get(0);
    Instant from = Instant.parse("2026-11-01T00:00:00Z");
    Instant until = Instant.parse("2026-11-03T00:00:00Z");

    assertTrue(request.covers("credit-model-prod", "llm.temperature", from));
    assertFalse(request.covers("credit-model-prod", "llm.temperature", until));
    assertFalse(request.covers("credit-model-prod", "model.version", from));
    assertFalse(request.covers("credit-model-dev", "llm.temperature", from));
  }

  @Test
  void emptyListIsNoRequests() {
    assertEquals(List.of(), parser.parse("[]".getBytes(UTF_8)));
  }

  @Test
  void aListIsBoundedAndTheBoundSaysWhatToDo() {
    String one =
        "{\"id\":\"CHG-%d\",\"environment\":\"e\",\"keys\":[\"a.*\"],"
            + "\"from\":\"2026-11-01T00:00:00Z\",\"until\":\"2026-11-02T00:00:00Z\",\"approvedBy\":\"cab\"}";
    StringBuilder atTheLimit = new StringBuilder("[");
    for (int i = 0; i < ChangeRequestParser.MAX_REQUESTS; i++) {
      atTheLimit.append(i == 0 ? "" : ",").append(one.formatted(i));
    }
    String full = atTheLimit + "]";
    assertEquals(ChangeRequestParser.MAX_REQUESTS, parser.parse(full.getBytes(UTF_8)).size());

    String over = atTheLimit + "," + one.formatted(-1) + "]";
    org.plumbline.ontology.PlumblineException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            org.plumbline.ontology.PlumblineException.class,
            () -> parser.parse(over.getBytes(UTF_8)));
    assertEquals(LoaderError.INVALID_CHANGE_REQUEST, e.code());
    assertTrue(e.details().get(0).contains("at most 10000 per request"), e.details().toString());
  }
}
