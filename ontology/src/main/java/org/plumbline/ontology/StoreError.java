package org.plumbline.ontology;

/** Error codes of the knowledge graph and its store. */
public enum StoreError implements ErrorCode {
  /** Another process holds the data folder. */
  STORE_LOCKED(Kind.UNAVAILABLE),
  /** The data folder cannot be opened or written. */
  STORE_UNAVAILABLE(Kind.UNAVAILABLE),
  /** The data folder was written by an older version; rebuild it from its input journal. */
  STORE_FORMAT_OUTDATED(Kind.UNAVAILABLE),
  /** A write would store facts that violate the SHACL shapes; nothing was stored. */
  SHAPE_VIOLATION(Kind.UNPROCESSABLE),
  /** A referenced environment is not declared by any blueprint. */
  UNKNOWN_ENVIRONMENT(Kind.NOT_FOUND);

  private final Kind kind;

  StoreError(Kind kind) {
    this.kind = kind;
  }

  @Override
  public Kind kind() {
    return kind;
  }
}
