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
}
