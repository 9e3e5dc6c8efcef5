package org.plumbline.rules.pack;

import java.util.List;
import org.plumbline.ontology.Severity;
import org.plumbline.ontology.Tier;

/**
 * A question to the approvals decision table: tier and severity in, approvals out. A separate fact
 * (rather than rows matching the assessment directly) lets every row be asked on its own, including
 * combinations the default severity rules never produce, such as DEV with HIGH.
 */
public final class ApprovalRequirement {
  private final Tier tier;
  private final Severity severity;
  private Integer requiredApprovals;
  private List<String> approverRoles = List.of();

  public ApprovalRequirement(Tier tier, Severity severity) {
    this.tier = tier;
    this.severity = severity;
  }

  public Tier getTier() {
    return tier;
  }

  public Severity getSeverity() {
    return severity;
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
}
