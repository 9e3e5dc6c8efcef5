package org.plumbline.rules.pack;

import java.time.Duration;
import org.plumbline.ontology.Tier;

/** A question to the limits decision table: tier in, the longest ACCEPT and extension out. */
public final class TierLimits {
  private final Tier tier;
  private Duration longestAccept;
  private Duration longestExtension;

  public TierLimits(Tier tier) {
    this.tier = tier;
  }

  public Tier getTier() {
    return tier;
  }

  public Duration getLongestAccept() {
    return longestAccept;
  }

  public void setLongestAccept(Duration longestAccept) {
    this.longestAccept = longestAccept;
  }

  public Duration getLongestExtension() {
    return longestExtension;
  }

  public void setLongestExtension(Duration longestExtension) {
    this.longestExtension = longestExtension;
  }
}
