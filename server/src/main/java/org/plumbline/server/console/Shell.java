package org.plumbline.server.console;

import java.time.Instant;
import java.util.Set;
import org.plumbline.governance.Caller;

/**
 * What every console page shows around its content: title, the signed-in user, the form token, the
 * one-time message of the previous action and the instant the page was made at.
 *
 * @param page the navigation entry this page belongs to
 * @param flash a message from the previous action, or null
 * @param flashError whether that message reports a refusal
 */
public record Shell(
    String title,
    String page,
    Caller caller,
    String csrf,
    String flash,
    boolean flashError,
    Instant now) {

  public boolean signedIn() {
    return caller != null;
  }

  public String user() {
    return caller == null ? "" : caller.user();
  }

  public Set<String> roles() {
    return caller == null ? Set.of() : caller.roles();
  }

  /** Whether the user holds one of the roles (admin holds every role). */
  public boolean may(String... roles) {
    return caller != null && caller.hasAny(roles);
  }

  /** {@code aria-current} of a navigation link: "page" on its own page, otherwise omitted. */
  public String current(String entry) {
    return entry.equals(page) ? "page" : null;
  }
}
