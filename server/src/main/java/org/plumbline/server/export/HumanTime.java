package org.plumbline.server.export;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Instants as a person reads them in the evidence report: UTC to the second, for example {@code
 * 2026-11-30 14:05:09 UTC}. The machine-readable exports (JSON, CSV, JSON-LD) keep the stored
 * instant with all its digits; the report names the record's sequence number beside it, so a reader
 * can always find the exact instant.
 */
public final class HumanTime {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private static final Pattern ISO_INSTANT =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");

  private HumanTime() {}

  /** A sentence the rules wrote, with every ISO instant in it written as {@link #of}. */
  public static String inText(String text) {
    if (text == null) {
      return null;
    }
    return ISO_INSTANT
        .matcher(text)
        .replaceAll(m -> Matcher.quoteReplacement(of(Instant.parse(m.group()))));
  }

  /** The instant in UTC to the second (truncated, never rounded up); empty for null. */
  public static String of(Instant at) {
    return at == null ? "" : FORMAT.format(at);
  }
}
