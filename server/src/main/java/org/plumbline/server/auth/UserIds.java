package org.plumbline.server.auth;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The one place a user name becomes a user id: trimmed, Unicode NFKC-normalized and lower-cased, so
 * that {@code alice}, {@code Alice}, {@code "alice "} and the full-width {@code ａｌｉｃｅ} are one
 * person wherever the server compares people (the four-eyes rule: a requester never approves their
 * own request). Static tokens and JWT claims both pass through here.
 */
public final class UserIds {
  private UserIds() {}

  /** The normalized id of a user name; blank stays blank. */
  public static String normalize(String name) {
    if (name == null) {
      return null;
    }
    // NFKC first: it folds compatibility forms (full-width letters, ligatures) that lower-casing
    // alone leaves distinct; strip() removes Unicode white space, trim() only ASCII controls.
    return Normalizer.normalize(name, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
  }
}
