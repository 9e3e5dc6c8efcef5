package org.plumbline.graphql.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The schema's custom scalars. */
final class Scalars {
  private static final ObjectReader ANY = new ObjectMapper().readerFor(Object.class);

  private Scalars() {}

  /** ISO-8601 instants; offsets are accepted on input and normalised to UTC. */
  static final GraphQLScalarType DATE_TIME =
      GraphQLScalarType.newScalar()
          .name("DateTime")
          .description("An ISO-8601 instant, e.g. 2026-11-20T10:00:00Z")
          .coercing(
              new Coercing<Instant, String>() {
                @Override
                public String serialize(Object value, GraphQLContext ctx, Locale locale) {
                  if (value instanceof Instant i) {
                    return iso(i);
                  }
                  throw new CoercingSerializeException("not an instant: " + value);
                }

                @Override
                public Instant parseValue(Object input, GraphQLContext ctx, Locale locale) {
                  if (input instanceof String s) {
                    return parse(s, CoercingParseValueException::new);
                  }
                  throw new CoercingParseValueException("DateTime must be a string");
                }

                @Override
                public Instant parseLiteral(
                    Value<?> input, CoercedVariables vars, GraphQLContext ctx, Locale locale) {
                  if (input instanceof StringValue s) {
                    return parse(s.getValue(), CoercingParseLiteralException::new);
                  }
                  throw new CoercingParseLiteralException("DateTime must be a string");
                }
              })
          .build();

  private static <E extends RuntimeException> Instant parse(
      String s, java.util.function.Function<String, E> error) {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw error.apply("not an ISO-8601 instant with offset: '" + s + "'");
    }
  }

  /**
   * Any JSON value. Resolvers hand it canonical JSON text (how the graph stores values), which is
   * parsed here; other Java values pass through.
   */
  static final GraphQLScalarType JSON_VALUE =
      GraphQLScalarType.newScalar()
          .name("JSON")
          .description("Any JSON value")
          .coercing(
              new Coercing<Object, Object>() {
                @Override
                public Object serialize(Object value, GraphQLContext ctx, Locale locale) {
                  if (value instanceof String text) {
                    Object plain = plainValue(text);
                    if (plain != NOT_PLAIN) {
                      return plain;
                    }
                    try {
                      return ANY.readValue(text);
                    } catch (JsonProcessingException e) {
                      throw new CoercingSerializeException("stored value is not JSON");
                    }
                  }
                  return value;
                }

                @Override
                public Object parseValue(Object input, GraphQLContext ctx, Locale locale) {
                  return input;
                }

                @Override
                public Object parseLiteral(
                    Value<?> input, CoercedVariables vars, GraphQLContext ctx, Locale locale) {
                  return literal(input);
                }
              })
          .build();

  /** What {@link #plainValue} answers for a text it leaves to Jackson. */
  static final Object NOT_PLAIN = new Object();

  /**
   * What Jackson reads from a JSON text that is a plain string, {@code true}, {@code false}, {@code
   * null} or a number (an integer as Integer or Long, a decimal without exponent as Double), read
   * without a parser (issue 21); {@link #NOT_PLAIN} for anything else.
   */
  static Object plainValue(String text) {
    String s = plainString(text);
    if (s != null) {
      return s;
    }
    switch (text) {
      case "true":
        return Boolean.TRUE;
      case "false":
        return Boolean.FALSE;
      case "null":
        return null;
      default:
        break;
    }
    return number(text);
  }

  /** A JSON number as Jackson reads it into an Object, or {@link #NOT_PLAIN}. */
  private static Object number(String t) {
    int n = t.length();
    int i = 0;
    if (i < n && t.charAt(i) == '-') {
      i++;
    }
    int intStart = i;
    while (i < n && isDigit(t.charAt(i))) {
      i++;
    }
    int intDigits = i - intStart;
    if (intDigits == 0 || (intDigits > 1 && t.charAt(intStart) == '0')) {
      return NOT_PLAIN;
    }
    if (i == n) {
      // Jackson: an int when it fits (up to 9 digits always does), a long up to 18 digits.
      if (intDigits <= 9) {
        return Integer.valueOf(Integer.parseInt(t));
      }
      if (intDigits > 18) {
        return NOT_PLAIN;
      }
      long v = Long.parseLong(t);
      return v == (int) v ? (Object) Integer.valueOf((int) v) : Long.valueOf(v);
    }
    if (t.charAt(i) == '.') {
      int fracStart = ++i;
      while (i < n && isDigit(t.charAt(i))) {
        i++;
      }
      if (i == fracStart) {
        return NOT_PLAIN;
      }
    }
    // Decimals without an exponent, short enough to be finite: Double, as Jackson reads them.
    return i == n && n <= 20 ? (Object) Double.valueOf(Double.parseDouble(t)) : NOT_PLAIN;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * {@link Instant#toString()} (ISO-8601, UTC, the fraction in groups of three digits as needed)
   * without the formatter, for years 1000 to 9999; others through {@code toString} (issue 21).
   */
  static String iso(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < -30_610_224_000L || seconds >= 253_402_300_800L) {
      return instant.toString(); // before 1000-01-01 or from 10000-01-01
    }
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days);
    StringBuilder b = new StringBuilder(30);
    b.append(date.getYear()).append('-');
    two(b, date.getMonthValue()).append('-');
    two(b, date.getDayOfMonth()).append('T');
    two(b, secondOfDay / 3600).append(':');
    two(b, secondOfDay / 60 % 60).append(':');
    two(b, secondOfDay % 60);
    int nano = instant.getNano();
    if (nano > 0) {
      String digits = Integer.toString(nano + 1_000_000_000).substring(1);
      b.append('.');
      if (nano % 1_000_000 == 0) {
        b.append(digits, 0, 3);
      } else if (nano % 1_000 == 0) {
        b.append(digits, 0, 6);
      } else {
        b.append(digits);
      }
    }
    return b.append('Z').toString();
  }

  private static StringBuilder two(StringBuilder b, int v) {
    return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  /**
   * The string a JSON text holds when it is one string literal without escapes (most stored
   * values), else null: what Jackson would read from it, without a parser per value (issue 21).
   */
  static String plainString(String text) {
    int last = text.length() - 1;
    if (last < 1 || text.charAt(0) != '"' || text.charAt(last) != '"') {
      return null;
    }
    for (int i = 1; i < last; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20) {
        return null;
      }
    }
    return text.substring(1, last);
  }

  private static Object literal(Value<?> v) {
    if (v instanceof StringValue s) return s.getValue();
    if (v instanceof IntValue i) return i.getValue();
    if (v instanceof FloatValue f) return f.getValue();
    if (v instanceof BooleanValue b) return b.isValue();
    if (v instanceof NullValue) return null;
    if (v instanceof ArrayValue a) {
      List<Object> out = new ArrayList<>();
      a.getValues().forEach(x -> out.add(literal(x)));
      return out;
    }
    if (v instanceof ObjectValue o) {
      Map<String, Object> out = new LinkedHashMap<>();
      o.getObjectFields().forEach(f -> out.put(f.getName(), literal(f.getValue())));
      return out;
    }
    throw new CoercingParseLiteralException("unsupported JSON literal");
  }
}
