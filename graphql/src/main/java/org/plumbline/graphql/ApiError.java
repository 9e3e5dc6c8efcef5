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
  /**
   * The request would cost more than the budget, counting list sizes (from {@code first}, stored
   * counts, or each list field's documented default), or its answer outgrew the result-node or time
   * bound while it ran. The message says which lists cost most.
   */
  QUERY_TOO_COSTLY(Kind.INVALID),
  /**
   * An unpaged list would hold more items than the limit (10,000 by default): page it with {@code
   * first}/{@code after} or its {@code …Page} twin. Nothing is ever cut silently.
   */
  RESULT_TOO_LARGE(Kind.INVALID),
  /** An {@code after} cursor that this server did not issue for this list. */
  INVALID_CURSOR(Kind.INVALID),
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
