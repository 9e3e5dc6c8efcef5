package org.plumbline.rules;

import java.util.List;

/**
 * How many approvals a disposition needs and which roles the approvers must hold between them, as
 * decided by the rule pack's approvals table.
 *
 * @param count approvals needed before the disposition takes effect
 * @param roles roles the approvers must cover; empty when {@code count} is 0
 */
public record RequiredApprovals(int count, List<String> roles) {
  public RequiredApprovals {
    roles = List.copyOf(roles);
  }
}
