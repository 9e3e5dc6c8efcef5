package org.plumbline.rules;

import java.util.List;
import java.util.Objects;
import org.plumbline.rules.pack.GateReason;

/**
 * A promotion gate's answer: any reason denies.
 *
 * @param firedRules the names of the rules that fired, in firing order
 * @param rulePackVersion the version of the pack that decided ({@link RulePack#version()})
 */
public record PromotionDecision(
    Outcome decision, List<GateReason> reasons, List<String> firedRules, String rulePackVersion) {

  /** The two answers a pipeline acts on. */
  public enum Outcome {
    ALLOW,
    DENY
  }

  public PromotionDecision {
    Objects.requireNonNull(decision, "decision");
    reasons = List.copyOf(reasons);
    firedRules = List.copyOf(firedRules);
    if ((decision == Outcome.ALLOW) != reasons.isEmpty()) {
      throw new IllegalArgumentException("a decision denies exactly when it has reasons");
    }
  }

  public boolean allowed() {
    return decision == Outcome.ALLOW;
  }
}
