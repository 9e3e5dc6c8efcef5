package org.plumbline.rules.pack;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a promotion gate decides on: one bundle version (stored, or a candidate not stored yet) and
 * the environment it is to be promoted to. The gate inserts one of these with a {@link
 * GateDecision} to fill, and beside them one {@link GatePrompt} per registered prompt version whose
 * text is the version's {@code prompt.system}, one {@link GateDrift} per active drift of the
 * environment, one {@link GateMetric} per behavioural metric and one {@link GateChangeWindow} per
 * change request of the environment that has not ended.
 *
 * <p>Vocabulary is written as the contract writes it ({@code "PROD"}, {@code "EXPIRED"}), so that a
 * governance team reads and edits {@code gates.drl} without Java types.
 *
 * @param tier the environment's tier: {@code DEV}, {@code STAGING}, {@code PROD} or {@code
 *     REGULATED}
 * @param environmentStatus {@code ACTIVE}, {@code EXPIRED} or {@code DECOMMISSIONED}
 * @param environmentExpiresAt the end of the environment's TTL; null when it has none
 * @param validated whether the version carries validation evidence
 * @param model the version's declared {@code model.version} for the environment; null if none
 * @param promptHash {@code sha256:} and the hex SHA-256 of the version's declared {@code
 *     prompt.system} for the environment; null if it declares none
 * @param now the instant of the decision
 * @param candidate whether the version is a candidate that is not stored
 */
public record GateFacts(
    String bundle,
    String version,
    String environment,
    String tier,
    String environmentStatus,
    Instant environmentExpiresAt,
    boolean validated,
    String model,
    String promptHash,
    Instant now,
    boolean candidate) {

  public GateFacts {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(now, "now");
  }

  /** Whether the tier is one of {@code names}, separated by spaces ({@code "PROD REGULATED"}). */
  public boolean tierIn(String names) {
    return names != null && Arrays.asList(names.trim().split("\\s+")).contains(tier);
  }

  /** Whether the version declares a {@code prompt.system} for the environment. */
  public boolean declaresPrompt() {
    return promptHash != null;
  }

  /** Whether the environment has expired, or its TTL has run out and the scheduler not yet run. */
  public boolean expired() {
    return "EXPIRED".equals(environmentStatus)
        || (environmentExpiresAt != null && !now.isBefore(environmentExpiresAt));
  }

  /** {@code bundle@version}, to name the version in a message. */
  public String subject() {
    return bundle + "@" + version;
  }
}
