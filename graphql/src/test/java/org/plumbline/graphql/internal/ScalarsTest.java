package org.plumbline.graphql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The JSON scalar's shortcut for plain strings reads what Jackson reads (issue 21). */
class ScalarsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Property(tries = 2000)
  void aStoredStringReadsAsJacksonReadsIt(@ForAll String value) throws Exception {
    String text = JSON.writeValueAsString(value);
    String plain = Scalars.plainString(text);
    if (plain != null) {
      assertEquals(JSON.readValue(text, Object.class), plain);
    }
    assertEquals(value, JSON.readValue(text, Object.class));
  }

  @Property(tries = 2000)
  void anyTextTheShortcutTakesIsAJsonStringOfThatValue(@ForAll String text) throws Exception {
    String quoted = "\"" + text + "\"";
    String plain = Scalars.plainString(quoted);
    if (plain != null) {
      assertEquals(JSON.readValue(quoted, Object.class), plain);
    }
  }

  @Property
  void otherJsonIsLeftToJackson(@ForAll long n) {
    assertNull(Scalars.plainString(Long.toString(n)));
    assertNull(Scalars.plainString("null"));
    assertNull(Scalars.plainString("\"a\\\"b\""));
    assertNull(Scalars.plainString("\""));
    assertNull(Scalars.plainString("[\"a\"]"));
  }
}
