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
   * A metric sample parsed but breaks the document format of CONTRACT section 2; details list every
   * problem. The rules refuse values that do not suit the kind under the same code.
   */
  INVALID_METRIC_SAMPLE(Kind.INVALID),
  /**
   * The document is not parseable at all (JSON, or YAML for blueprints): syntax, duplicate keys,
   * nesting or token limits. The detail gives the JSON pointer and line:column.
   */
  INVALID_JSON(Kind.INVALID),
  /**
   * A YAML document (a blueprint, a loader file) that is not well-formed YAML; the detail gives the
   * JSON pointer and line:column.
   */
  INVALID_YAML(Kind.INVALID),
  /** The document is larger than {@link ParseLimits#maxDocumentBytes()}. */
  PAYLOAD_TOO_LARGE(Kind.TOO_LARGE),
  /** The declared format is neither JSON nor YAML. */
  UNSUPPORTED_FORMAT(Kind.INVALID),
  /**
   * {@code plumbline load} cannot tell which format a file holds, or was given a format name it
   * does not know; the detail lists the known formats.
   */
  UNKNOWN_FORMAT(Kind.INVALID),
  /**
   * The file names no environment and none was given ({@code --environment}, or a folder named
   * after one); the detail says where the environment was looked for.
   */
  ENVIRONMENT_REQUIRED(Kind.INVALID),
  /**
   * {@code terraform show -json} output (state or plan), or a raw {@code terraform.tfstate}, that
   * breaks its format.
   */
  INVALID_TERRAFORM(Kind.INVALID),
  /**
   * Kubernetes objects (YAML documents or a {@code kubectl get -o json} list) that are malformed.
   */
  INVALID_KUBERNETES(Kind.INVALID),
  /** A LiteLLM proxy {@code config.yaml} that breaks its format. */
  INVALID_LITELLM(Kind.INVALID),
  /** OpenTelemetry spans in OTLP JSON that break the format (attributes, timestamps). */
  INVALID_OTLP(Kind.INVALID),
  /** An OpenFeature flagd flag file that breaks its format. */
  INVALID_FLAGD(Kind.INVALID),
  /** LaunchDarkly flag JSON (REST API or SDK data) that breaks its format. */
  INVALID_LAUNCHDARKLY(Kind.INVALID),
  /**
   * A ServiceNow {@code change_request} export whose shape is not one of the exports (a record that
   * cannot be a change window is skipped and reported, not refused).
   */
  INVALID_SERVICENOW(Kind.INVALID),
  /**
   * A key mapping (a blueprint's {@code map} section, or {@code --map}) with a bad rule: a pattern
   * or target that is not a key, or a target using a capture the pattern lacks.
   */
  INVALID_KEY_MAPPING(Kind.INVALID),
  /**
   * Applying a key mapping made one governed key of several source keys with different values, or
   * of a source key and a key it left alone; the details name the source keys.
   */
  KEY_MAPPING_CONFLICT(Kind.INVALID),
  /** A Langfuse prompt export that breaks its format. */
  INVALID_LANGFUSE(Kind.INVALID),
  /** An MLflow prompt registry export that breaks its format. */
  INVALID_MLFLOW(Kind.INVALID);

  private final Kind kind;

  LoaderError(Kind kind) {
    this.kind = kind;
  }

  @Override
  public Kind kind() {
    return kind;
  }
}
