package org.plumbline.graphql;

import org.plumbline.ontology.ErrorCode;

/** Error codes of the GraphQL API. */
public enum ApiError implements ErrorCode {
  /** The request is not valid GraphQL, or names fields the schema lacks. */
  INVALID_QUERY(Kind.INVALID),
  /** An argument has a value the field cannot use (a bad instant, a negative window). */
  INVALID_ARGUMENT(Kind.INVALID),
  /** The query nests deeper than the configured limit. */
  QUERY_TOO_COMPLEX(Kind.INVALID),
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
