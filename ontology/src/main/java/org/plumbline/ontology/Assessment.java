package org.plumbline.ontology;

import java.util.List;

/**
 * What the rule packs concluded about one drift (CONTRACT section 5, type Assessment).
 *
 * @param changeRequests ids of the change requests whose window covered the drift's first
 *     observation (what an {@link Authorization#AUTHORIZED} rests on), sorted
 */
public record Assessment(
    RiskCategory riskCategory,
    Severity severity,
    Authorization authorization,
    List<String> changeRequests,
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
    // Assessments stored before change requests existed have no such member.
    changeRequests = changeRequests == null ? List.of() : List.copyOf(changeRequests);
    blastRadius = List.copyOf(blastRadius);
    reevaluate = List.copyOf(reevaluate);
    approverRoles = List.copyOf(approverRoles);
    findings = List.copyOf(findings);
    firedRules = List.copyOf(firedRules);
  }
}
