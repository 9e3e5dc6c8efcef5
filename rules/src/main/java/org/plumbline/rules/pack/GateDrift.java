package org.plumbline.rules.pack;

/**
 * An active drift of the environment under the gate: live ({@code OPEN}, {@code PENDING_APPROVAL},
 * {@code REVERT_APPROVED}) or an accepted exception ({@code EXCEPTED}).
 *
 * @param severity {@code LOW}, {@code MEDIUM}, {@code HIGH} or {@code CRITICAL}
 * @param status the drift's status
 */
public record GateDrift(String id, String key, String severity, String status) {

  /** Whether an approved exception (ACCEPT) covers it. */
  public boolean excepted() {
    return "EXCEPTED".equals(status);
  }
}
