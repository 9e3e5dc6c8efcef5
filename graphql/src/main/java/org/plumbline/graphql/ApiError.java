package org.plumbline.graphql;

import org.plumbline.ontology.ErrorCode;

/** Error codes of the GraphQL API. */
public enum ApiError implements ErrorCode {
  /** The request is not valid GraphQL, or names fields the schema lacks. */
  INVALID_QUERY(Kind.INVALID),
  /** An argument has a value the field cannot use (a bad instant, a negative window). */
  INVALID_ARGUMENT(Kind.INVALID),
  /**
   * The request exceeds a limit: nesting depth, complexity (fields resolved), aliases, parser
   * tokens, or repeated introspection.
   */
  QUERY_TOO_COMPLEX(Kind.INVALID),
  /** Introspection is switched off in this server's configuration. */
  INTROSPECTION_DISABLED(Kind.FORBIDDEN),
  /**
   * A signature ({@code approveDisposition}, {@code rejectDisposition}) came without the signer's
   * credential entered again, or with one that does not authenticate as the caller.
   */
  REAUTHENTICATION_FAILED(Kind.FORBIDDEN),
  /** The caller's roles do not allow this field. */
  FORBIDDEN(Kind.FORBIDDEN);

  private final Kind kind;

  ApiError(Kind kind) {
    this.kind = kind;
  }

  @Override
  public Kind kind() {
    return kind;
  }
}
