package org.plumbline.server;

import org.plumbline.ontology.ErrorCode;

/** Error codes of the server: transport, authentication, configuration and the command line. */
public enum ServerError implements ErrorCode {
  /** No credentials, or credentials that match no user. */
  UNAUTHENTICATED(Kind.UNAUTHENTICATED),
  /** The caller is known but lacks the role the endpoint needs. */
  FORBIDDEN(Kind.FORBIDDEN),
  /** No such endpoint or resource. */
  NOT_FOUND(Kind.NOT_FOUND),
  /** The request body exceeds the configured limit. */
  PAYLOAD_TOO_LARGE(Kind.TOO_LARGE),
  /** The request is malformed at the HTTP level (missing body, bad query parameter). */
  INVALID_REQUEST(Kind.INVALID),
  /**
   * A ledger size asked of the audit proofs ({@code first} and {@code second} of {@code GET
   * /api/v1/audit/consistency}, an export's {@code sinceSize}) that is negative, out of order or
   * beyond the ledger's size now.
   */
  TREE_SIZE_OUT_OF_RANGE(Kind.INVALID),
  /** The configuration file or flags are invalid. */
  INVALID_CONFIG(Kind.INVALID),
  /** {@code plumbline load}: a file that cannot be read (missing, a folder, no permission). */
  UNREADABLE_FILE(Kind.INVALID),
  /** {@code plumbline load --server}: the server could not be reached, or did not answer. */
  SERVER_UNREACHABLE(Kind.UNAVAILABLE),
  /** {@code plumbline load --from URL}: the source could not be reached (refused, no such host). */
  SOURCE_UNREACHABLE(Kind.UNAVAILABLE),
  /** {@code plumbline load --from URL}: the source answered with a status other than 2xx. */
  SOURCE_HTTP_ERROR(Kind.UNAVAILABLE),
  /** {@code plumbline load --from URL}: the source did not answer in full within the timeout. */
  SOURCE_TIMEOUT(Kind.UNAVAILABLE),
  /** The caller's token bucket is empty; {@code Retry-After} says when to try again. */
  RATE_LIMITED(Kind.TOO_MANY_REQUESTS),
  /** Too many requests are already waiting for a worker; {@code Retry-After} says when to retry. */
  OVERLOADED(Kind.UNAVAILABLE),
  /**
   * A request body in a media type the endpoint does not take: GraphQL is posted only as {@code
   * application/json}, which a cross-site HTML form cannot send (HTTP 415).
   */
  UNSUPPORTED_MEDIA_TYPE(Kind.INVALID),
  /**
   * A request authenticated by credentials the browser attaches by itself (Basic) that comes from
   * another origin ({@code Origin}, {@code Sec-Fetch-Site}): refused as a possible forgery (403).
   */
  CROSS_ORIGIN_REQUEST(Kind.FORBIDDEN),
  /** The server is up but not ready yet (the demo world or the rule pack is still loading). */
  NOT_READY(Kind.UNAVAILABLE),
  /**
   * A key rotation asked of the server while the signing key is {@code audit.signingKey}, kept in
   * the operator's secret store: rotate there and record it with {@code plumbline audit rotate-key
   * --key OLD --new-key NEW} (409).
   */
  SIGNING_KEY_EXTERNAL(Kind.CONFLICT),
  /** An unexpected failure; the message says nothing of internals. */
  INTERNAL(Kind.INTERNAL);

  private final Kind kind;

  ServerError(Kind kind) {
    this.kind = kind;
  }

  @Override
  public Kind kind() {
    return kind;
  }
}
