package org.plumbline.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FmtTest {
  @Test
  void proseWritesEveryInstantAsAPersonReadsIt() {
    assertEquals(
        "drifted since 20 Nov 2026, 14:03 UTC, inside the window 1 Nov 2026, 00:00 UTC"
            + " to 3 Nov 2026, 00:00 UTC.",
        Fmt.prose(
            new TextNode(
                "drifted since 2026-11-20T14:03:07.123456789Z, inside the window"
                    + " 2026-11-01T00:00:00Z to 2026-11-03T00:00Z.")));
  }

  @Test
  void proseLeavesOtherTextAloneAndAnswersEmptyForNoText() {
    assertEquals(
        "version 2026-11 of the pack", Fmt.prose(new TextNode("version 2026-11 of the pack")));
    assertEquals("", Fmt.prose(JsonNodeFactory.instance.nullNode()));
    assertEquals("", Fmt.prose(null));
  }

  @Test
  void countsNameTheirNounInTheSingularOnlyForOne() {
    assertEquals("0 approvals", Fmt.count(0, "approval"));
    assertEquals("1 approval", Fmt.count(1, "approval"));
    assertEquals("2 changes", Fmt.count(2, "change"));
  }

  @Test
  void agoCountsFromNow() {
    Instant now = Instant.parse("2026-12-02T12:00:00Z");
    assertEquals("3 days ago", Fmt.ago(new TextNode("2026-11-29T11:00:00Z"), now));
    assertEquals("in 5 hours", Fmt.ago(new TextNode("2026-12-02T17:00:00Z"), now));
    assertEquals("just now", Fmt.ago(new TextNode("2026-12-02T11:59:30Z"), now));
  }
}
