package org.plumbline.rules.pack;

import java.time.Instant;

/** A stored (approved) change request of the environment under the gate that has not ended. */
public record GateChangeWindow(String id, Instant from, Instant until, String approvedBy) {

  /** Whether {@code at} falls in {@code [from, until)}. */
  public boolean openAt(Instant at) {
    return at != null && !at.isBefore(from) && at.isBefore(until);
  }
}
