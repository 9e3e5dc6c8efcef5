package org.plumbline.rules;

import java.util.List;
import java.util.Objects;
import org.plumbline.rules.pack.GateChangeWindow;
import org.plumbline.rules.pack.GateDrift;
import org.plumbline.rules.pack.GateFacts;
import org.plumbline.rules.pack.GateMetric;
import org.plumbline.rules.pack.GatePrompt;

/**
 * Everything a promotion gate looks at, gathered from the knowledge graph by the caller: the
 * version and its target environment, and the facts around them that the rules see one by one.
 */
public record PromotionFacts(
    GateFacts gate,
    List<GatePrompt> prompts,
    List<GateDrift> drifts,
    List<GateMetric> metrics,
    List<GateChangeWindow> changeWindows) {

  public PromotionFacts {
    Objects.requireNonNull(gate, "gate");
    prompts = List.copyOf(prompts);
    drifts = List.copyOf(drifts);
    metrics = List.copyOf(metrics);
    changeWindows = List.copyOf(changeWindows);
  }
}
