package org.plumbline.loaders;

import org.plumbline.ontology.ErrorCode;

/** Error codes of the loaders: every malformed input is refused with one of these. */
public enum LoaderError implements ErrorCode {
  /** A blueprint parsed but breaks CONTRACT section 2; details list every problem. */
  INVALID_BLUEPRINT(Kind.INVALID),
  /** A snapshot parsed but breaks CONTRACT section 2; details list every problem. */
  INVALID_SNAPSHOT(Kind.INVALID),
  /** A change request list parsed but breaks CONTRACT section 2; details list every problem. */
  INVALID_CHANGE_REQUEST(Kind.INVALID),
  /** A prompt version parsed but breaks CONTRACT section 2; details list every problem. */
  INVALID_PROMPT(Kind.INVALID),
  /**
   * The document is not parseable at all (JSON, or YAML for blueprints): syntax, duplicate keys,
   * nesting or token limits. The detail gives the JSON pointer and line:column.
   */
  INVALID_JSON(Kind.INVALID),
  /** The document is larger than {@link ParseLimits#maxDocumentBytes()}. */
  PAYLOAD_TOO_LARGE(Kind.TOO_LARGE),
  /** The declared format is neither JSON nor YAML. */
  UNSUPPORTED_FORMAT(Kind.INVALID);

  private final Kind kind;

  LoaderError(Kind kind) {
    this.kind = kind;
  }

  @Override
  public Kind kind() {
    return kind;
  }
}
