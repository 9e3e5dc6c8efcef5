package org.plumbline.ontology;

/** Error codes of the knowledge graph and its store. */
public enum StoreError implements ErrorCode {
  /** Another process holds the data folder. */
  STORE_LOCKED(Kind.UNAVAILABLE),
  /** The data folder cannot be opened or written. */
  STORE_UNAVAILABLE(Kind.UNAVAILABLE),
  /** Other servers kept writing to the shared store first, past the retries; nothing was stored. */
  STORE_CONFLICT(Kind.UNAVAILABLE),
  /** The data folder was written by an older version; rebuild it from its input journal. */
  STORE_FORMAT_OUTDATED(Kind.UNAVAILABLE),
  /** A write would store facts that violate the SHACL shapes; nothing was stored. */
  SHAPE_VIOLATION(Kind.UNPROCESSABLE),
  /** A referenced environment is not declared by any blueprint. */
  UNKNOWN_ENVIRONMENT(Kind.NOT_FOUND),
  /** The text is not a SPARQL 1.1 query (a syntax error, or longer than the limit). */
  SPARQL_INVALID(Kind.INVALID),
  /** A SPARQL update sent to the read-only query endpoint: refused, nothing changed. */
  SPARQL_UPDATE_REFUSED(Kind.INVALID),
  /** The SPARQL query ran past its timeout and was cancelled. */
  SPARQL_TIMEOUT(Kind.UNAVAILABLE),
  /** The answer would hold more results than the limit; add LIMIT and OFFSET to page. */
  SPARQL_TOO_MANY_RESULTS(Kind.UNPROCESSABLE),
  /**
   * A key rotation the ledger refuses: not signed by the key it rotates from, or not from the key
   * the ledger's last rotation named; nothing was stored.
   */
  KEY_ROTATION_INVALID(Kind.UNPROCESSABLE);

  private final Kind kind;

  StoreError(Kind kind) {
    this.kind = kind;
  }

  @Override
  public Kind kind() {
    return kind;
  }
}
