package org.plumbline.ontology;

import java.util.List;

/** What the rule packs concluded about one drift (CONTRACT section 5, type Assessment). */
public record Assessment(
    RiskCategory riskCategory,
    Severity severity,
    Authorization authorization,
    String owner,
    List<String> blastRadius,
    List<String> reevaluate,
    int requiredApprovals,
    List<String> approverRoles,
    List<String> findings,
    String explanation,
    List<String> firedRules,
    String rulePackVersion) {

  public Assessment {
    blastRadius = List.copyOf(blastRadius);
    reevaluate = List.copyOf(reevaluate);
    approverRoles = List.copyOf(approverRoles);
    findings = List.copyOf(findings);
    firedRules = List.copyOf(firedRules);
  }
}
