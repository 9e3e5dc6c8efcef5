package org.plumbline.ontology;

/**
 * A stable, documented error code. Each module has one enum of codes implementing this; the server
 * maps a code's {@link Kind} to an HTTP status in exactly one place.
 */
public interface ErrorCode {
  /** The stable code, e.g. {@code INVALID_SNAPSHOT}. */
  String name();

  /** What kind of failure this is, independent of any transport. */
  Kind kind();

  /** Transport-neutral failure kinds. */
  enum Kind {
    INVALID,
    UNAUTHENTICATED,
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    TOO_LARGE,
    UNPROCESSABLE,
    /** The caller sent more requests than its rate limit allows; it may retry later. */
    TOO_MANY_REQUESTS,
    UNAVAILABLE,
    INTERNAL
  }
}
