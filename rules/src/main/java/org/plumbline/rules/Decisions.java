package org.plumbline.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plumbline.ontology.Authorization;
import org.plumbline.ontology.RiskCategory;
import org.plumbline.ontology.Severity;

/**
 * What one pack decided for the drifts it saw lately, by what its rules could see of them ({@link
 * RuleInputs.Key}): the least recently used fall out first. One per compiled pack, so a new pack
 * version starts empty; shared by the threads that assess.
 */
final class Decisions {
  /** What the rules decide of an assessment; the rest is copied from the facts. */
  record Decided(
      RiskCategory riskCategory,
      Severity severity,
      Authorization authorization,
      int requiredApprovals,
      List<String> approverRoles,
      List<String> findings,
      List<String> firedRules) {
    Decided {
      approverRoles = List.copyOf(approverRoles);
      findings = List.copyOf(findings);
      firedRules = List.copyOf(firedRules);
    }
  }

  private final Map<RuleInputs.Key, Decided> recent;

  Decisions(int capacity) {
    this.recent =
        new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<RuleInputs.Key, Decided> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized Decided get(RuleInputs.Key key) {
    return recent.get(key);
  }

  synchronized void put(RuleInputs.Key key, Decided decided) {
    recent.put(key, decided);
  }
}
