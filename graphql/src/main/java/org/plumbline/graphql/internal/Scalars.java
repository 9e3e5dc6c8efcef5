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
                    return i.toString();
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
                    String plain = plainString(text);
                    if (plain != null) {
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
