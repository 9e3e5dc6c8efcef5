package org.plumbline.governance;

import java.util.Set;

/** Who is asking: an authenticated user and their roles. */
public record Caller(String user, Set<String> roles) {
  public Caller {
    roles = Set.copyOf(roles);
  }

  public boolean hasAny(String... wanted) {
    if (roles.contains("admin")) {
      return true;
    }
    for (String r : wanted) {
      if (roles.contains(r)) {
        return true;
      }
    }
    return false;
  }
}
