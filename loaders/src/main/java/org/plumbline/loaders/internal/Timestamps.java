package org.plumbline.loaders.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The instants external formats write: epoch milliseconds, Unix nanoseconds, ISO-8601 text. */
public final class Timestamps {
  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
  private static final DateTimeFormatter SPACED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** Years outside this range are typos or unit mistakes, never real observations. */
  private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private Timestamps() {}

  /** Milliseconds since the epoch (LaunchDarkly, MLflow), as a number; else {@code null}. */
  public static Instant epochMillis(JsonNode value) {
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      return null;
    }
    return bounded(value.longValue(), 1000);
  }

  /**
   * Nanoseconds since the epoch (OTLP), as digits in a string or as a number; else {@code null}.
   */
  public static Instant unixNanos(JsonNode value) {
    BigInteger nanos;
    if (value != null && value.isIntegralNumber()) {
      nanos = value.bigIntegerValue();
    } else if (value != null && value.isTextual() && value.textValue().matches("\\d{1,19}")) {
      nanos = new BigInteger(value.textValue());
    } else {
      return null;
    }
    BigInteger[] split = nanos.divideAndRemainder(NANOS_PER_SECOND);
    if (nanos.signum() <= 0 || split[0].bitLength() > 40) {
      return null;
    }
    Instant at = Instant.ofEpochSecond(split[0].longValueExact(), split[1].longValueExact());
    return at.isAfter(LATEST) ? null : at;
  }

  /**
   * ISO-8601 with an offset ({@code 2026-11-01T09:00:00Z}) or, as ServiceNow and others write UTC,
   * {@code 2026-11-01 09:00:00} read as UTC; else {@code null}.
   */
  public static Instant text(String value) {
    if (value == null) {
      return null;
    }
    Instant iso = Members.parseInstant(value.strip());
    if (iso != null) {
      return iso;
    }
    try {
      return LocalDateTime.parse(value.strip(), SPACED).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static Instant bounded(long count, long perSecond) {
    if (count < 0) {
      return null;
    }
    Instant at =
        Instant.ofEpochSecond(Math.floorDiv(count, perSecond))
            .plusNanos(Math.floorMod(count, perSecond) * (1_000_000_000L / perSecond));
    return at.isBefore(EARLIEST) || at.isAfter(LATEST) ? null : at;
  }
}
