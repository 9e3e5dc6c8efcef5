package org.plumbline.rules;

import java.time.Duration;
import java.util.Objects;

/**
 * The longest time-bounded exception and the longest TTL extension a tier allows, as decided by the
 * rule pack's limits table.
 *
 * @param longestAccept how far in the future an ACCEPT may expire
 * @param longestExtension how far from now an environment's TTL may be extended
 */
public record PolicyLimits(Duration longestAccept, Duration longestExtension) {
  public PolicyLimits {
    Objects.requireNonNull(longestAccept, "longestAccept");
    Objects.requireNonNull(longestExtension, "longestExtension");
  }
}
