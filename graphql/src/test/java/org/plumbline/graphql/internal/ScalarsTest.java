package org.plumbline.graphql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** The scalars' shortcuts give what Jackson and {@link Instant#toString()} give (issue 21). */
class ScalarsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The shortcut's answer equals Jackson's (value and Java type) whenever it takes the text. */
  private static void likeJackson(String text) throws Exception {
    Object plain = Scalars.plainValue(text);
    if (plain != Scalars.NOT_PLAIN) {
      assertEquals(JSON.readValue(text, Object.class), plain, text);
    }
  }

  @Property(tries = 2000)
  void aStoredStringReadsAsJacksonReadsIt(@ForAll String value) throws Exception {
    String text = JSON.writeValueAsString(value);
    likeJackson(text);
    assertEquals(value, JSON.readValue(text, Object.class));
  }

  @Property(tries = 2000)
  void anyTextTheShortcutTakesReadsAsJacksonReadsIt(@ForAll String text) throws Exception {
    likeJackson("\"" + text + "\"");
    try {
      JSON.readValue(text, Object.class);
    } catch (Exception notJson) {
      assertEquals(Scalars.NOT_PLAIN, Scalars.plainValue(text), text);
      return;
    }
    likeJackson(text);
  }

  @Property(tries = 2000)
  void numbersReadAsJacksonReadsThem(
      @ForAll long l, @ForAll int i, @ForAll double d, @ForAll("decimals") String decimal)
      throws Exception {
    likeJackson(Long.toString(l));
    likeJackson(Integer.toString(i));
    likeJackson(JSON.writeValueAsString(d));
    likeJackson(decimal);
    likeJackson("-" + decimal);
  }

  @Provide
  Arbitrary<String> decimals() {
    return Arbitraries.oneOf(
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(22),
        Arbitraries.bigDecimals().ofScale(6).map(BigDecimal::toPlainString),
        Arbitraries.of("0", "0.0", "1.5", "00", "01", "1.", ".5", "1e5", "-", "9999999999"));
  }

  @Property
  void otherJsonIsLeftToJackson(@ForAll long n) {
    assertEquals(Scalars.NOT_PLAIN, Scalars.plainValue("\"a\\\"b\""));
    assertEquals(Scalars.NOT_PLAIN, Scalars.plainValue("[\"a\"]"));
    assertEquals(Scalars.NOT_PLAIN, Scalars.plainValue(n + "e3"));
    assertNull(Scalars.plainValue("null"));
    assertEquals(Boolean.TRUE, Scalars.plainValue("true"));
  }

  @Property(tries = 5000)
  void instantsFormatAsToStringFormatsThem(
      @ForAll @LongRange(min = -62_000_000_000L, max = 260_000_000_000L) long seconds,
      @ForAll("nanos") int nano) {
    Instant at = Instant.ofEpochSecond(seconds, nano);
    assertEquals(at.toString(), Scalars.iso(at));
  }

  @Provide
  Arbitrary<Integer> nanos() {
    return Arbitraries.oneOf(
        Arbitraries.just(0),
        Arbitraries.integers().between(0, 999).map(m -> m * 1_000_000),
        Arbitraries.integers().between(0, 999_999).map(u -> u * 1_000),
        Arbitraries.integers().between(0, 999_999_999));
  }
}
