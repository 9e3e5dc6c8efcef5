package org.plumbline.rules.pack;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.kie.api.definition.type.Modifies;

/**
 * The gate's answer while the rules build it: no reason allows, any reason denies. A mutable bean
 * because rules {@code modify} it (BUILD-NOTES pitfall 7).
 */
public final class GateDecision {
  // Sorted, so that the answer does not depend on firing order or on which rules a team adds.
  private final SortedSet<GateReason> reasons = new TreeSet<>();

  /** Adds a reason to deny; declared as modifying {@code reasons} so property reactivity holds. */
  @Modifies({"reasons"})
  public void deny(String code, String message, String subject) {
    reasons.add(new GateReason(code, message, subject));
  }

  public SortedSet<GateReason> getReasons() {
    return reasons;
  }

  /** Whether some rule has denied already. */
  public boolean isDenied() {
    return !reasons.isEmpty();
  }

  public List<GateReason> reasonList() {
    return new ArrayList<>(reasons);
  }
}
