package org.plumbline.loaders.internal;

import java.util.ArrayList;
import java.util.List;
import org.plumbline.ontology.ErrorCode;
import org.plumbline.ontology.PlumblineException;

/** Every problem found in one input, each prefixed with its JSON pointer, reported together. */
public final class Problems {
  /** Further problems are only counted: a broken 16 MB document must not yield a 16 MB error. */
  static final int MAX_REPORTED = 100;

  private static final int MAX_QUOTED = 80;

  private final List<String> details = new ArrayList<>();
  private int unreported;

  public void add(String pointer, String message) {
    if (details.size() < MAX_REPORTED) {
      details.add((pointer.isEmpty() ? "/" : pointer) + ": " + message);
    } else {
      unreported++;
    }
  }

  /** The problems recorded so far, each {@code pointer: message}. */
  public List<String> details() {
    return List.copyOf(details);
  }

  public boolean isEmpty() {
    return details.isEmpty();
  }

  /** Throws {@code code} with every problem as a detail, if there is any. */
  public void throwIfAny(ErrorCode code, String what) {
    if (details.isEmpty()) {
      return;
    }
    List<String> all = new ArrayList<>(details);
    if (unreported > 0) {
      all.add("... and " + unreported + " more");
    }
    int count = details.size() + unreported;
    throw new PlumblineException(
        code, what + ": " + count + (count == 1 ? " problem" : " problems"), all);
  }

  /** A JSON pointer to member {@code name} of the value at {@code parent} (RFC 6901 escapes). */
  public static String pointer(String parent, String name) {
    return parent + "/" + name.replace("~", "~0").replace("/", "~1");
  }

  public static String pointer(String parent, int index) {
    return parent + "/" + index;
  }

  /** A user value for a message: quoted, and cut short so errors never echo a whole payload. */
  public static String quote(String value) {
    return "'"
        + (value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "..." : value)
        + "'";
  }
}
