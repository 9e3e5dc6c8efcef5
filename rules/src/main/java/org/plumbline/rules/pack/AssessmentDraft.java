package org.plumbline.rules.pack;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.kie.api.definition.type.Modifies;
import org.plumbline.ontology.Authorization;
import org.plumbline.ontology.RiskCategory;
import org.plumbline.ontology.Severity;

/**
 * The assessment while the rules build it. Rules {@code modify} it, so it is a mutable bean rather
 * than a record (BUILD-NOTES pitfall 7); {@code null} means "not decided yet", which the rules use
 * as guards so that each stage decides once.
 */
public final class AssessmentDraft {
  private RiskCategory riskCategory;
  private Severity baseSeverity;
  private Severity severity;
  private boolean tierApplied;
  private boolean criticalOverride;
  private Authorization authorization;
  private Integer requiredApprovals;
  private List<String> approverRoles = List.of();
  // Sorted so that the output order does not depend on firing order or on which rules a team adds.
  private final SortedSet<String> findings = new TreeSet<>();

  public RiskCategory getRiskCategory() {
    return riskCategory;
  }

  public void setRiskCategory(RiskCategory riskCategory) {
    this.riskCategory = riskCategory;
  }

  public Severity getBaseSeverity() {
    return baseSeverity;
  }

  public void setBaseSeverity(Severity baseSeverity) {
    this.baseSeverity = baseSeverity;
  }

  public Severity getSeverity() {
    return severity;
  }

  public void setSeverity(Severity severity) {
    this.severity = severity;
  }

  public boolean isTierApplied() {
    return tierApplied;
  }

  public void setTierApplied(boolean tierApplied) {
    this.tierApplied = tierApplied;
  }

  public boolean isCriticalOverride() {
    return criticalOverride;
  }

  public void setCriticalOverride(boolean criticalOverride) {
    this.criticalOverride = criticalOverride;
  }

  public Authorization getAuthorization() {
    return authorization;
  }

  public void setAuthorization(Authorization authorization) {
    this.authorization = authorization;
  }

  public Integer getRequiredApprovals() {
    return requiredApprovals;
  }

  public void setRequiredApprovals(Integer requiredApprovals) {
    this.requiredApprovals = requiredApprovals;
  }

  public List<String> getApproverRoles() {
    return approverRoles;
  }

  public void setApproverRoles(List<String> approverRoles) {
    this.approverRoles = List.copyOf(approverRoles);
  }

  public SortedSet<String> getFindings() {
    return findings;
  }

  /** Adds a finding code; declared as modifying {@code findings} so property reactivity holds. */
  @Modifies({"findings"})
  public void addFinding(String code) {
    findings.add(code);
  }

  public List<String> findingList() {
    return new ArrayList<>(findings);
  }
}
