package org.plumbline.rules.pack;

import java.util.Comparator;
import java.util.Objects;

/**
 * Why a gate denies: a stable code, words for people, and what it is about (a drift id, a prompt
 * version {@code id@version}, a metric name, the environment, the bundle version).
 */
public record GateReason(String code, String message, String subject)
    implements Comparable<GateReason> {
  private static final Comparator<GateReason> ORDER =
      Comparator.comparing(GateReason::code)
          .thenComparing(GateReason::subject, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(GateReason::message);

  public GateReason {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public int compareTo(GateReason other) {
    return ORDER.compare(this, other);
  }
}
