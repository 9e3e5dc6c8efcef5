package org.plumbline.loaders;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.plumbline.ontology.PlumblineException;

/**
 * The file formats {@code plumbline load} reads, with the name {@code --format} takes and what each
 * turns into. The key naming of each format is documented in docs/loaders.md and is part of the
 * contract: renaming a key makes every stored history of it look like a removal and an addition.
 */
public enum Format {
  /** A Plumbline blueprint (CONTRACT section 2), YAML or JSON. */
  BLUEPRINT("blueprint", Output.BLUEPRINT, LoaderError.INVALID_BLUEPRINT),
  /** A Plumbline snapshot (CONTRACT section 2). */
  SNAPSHOT("snapshot", Output.SNAPSHOTS, LoaderError.INVALID_SNAPSHOT),
  /** A Plumbline change-request list (CONTRACT section 2). */
  CHANGE_REQUESTS("change-requests", Output.CHANGE_REQUESTS, LoaderError.INVALID_CHANGE_REQUEST),
  /** A Plumbline prompt version (CONTRACT section 2), JSON. */
  PROMPT("prompt", Output.PROMPTS, LoaderError.INVALID_PROMPT),
  /** A Plumbline metric sample (CONTRACT section 2), JSON. */
  METRIC_SAMPLE("metric", Output.METRIC_SAMPLES, LoaderError.INVALID_METRIC_SAMPLE),
  /**
   * {@code terraform show -json} of a state or of a (refresh-only) plan, format 0.1 and later, or a
   * raw {@code terraform.tfstate} (format version 4).
   */
  TERRAFORM("terraform", Output.SNAPSHOTS, LoaderError.INVALID_TERRAFORM),
  /**
   * Kubernetes objects: multi-document YAML manifests or {@code kubectl get -o json|yaml}; a folder
   * of manifests for one environment is one snapshot ({@link DocumentLoader#loadKubernetesFolder}).
   */
  KUBERNETES("kubernetes", Output.SNAPSHOTS, LoaderError.INVALID_KUBERNETES),
  /** A LiteLLM proxy {@code config.yaml}, with or without {@code model_list}. */
  LITELLM("litellm", Output.SNAPSHOTS, LoaderError.INVALID_LITELLM),
  /** OpenTelemetry GenAI spans as OTLP JSON (one request, or JSON Lines of them). */
  OTLP("otlp", Output.SNAPSHOTS, LoaderError.INVALID_OTLP),
  /** An OpenFeature flagd flag file, JSON or YAML; {@code flags} an object or a list. */
  FLAGD("flagd", Output.SNAPSHOTS, LoaderError.INVALID_FLAGD),
  /**
   * LaunchDarkly flags: the REST API's flag list or flag, SDK/relay flag data ({@code flags},
   * {@code flagValues}), or a streaming {@code put} payload.
   */
  LAUNCHDARKLY("launchdarkly", Output.SNAPSHOTS, LoaderError.INVALID_LAUNCHDARKLY),
  /**
   * A ServiceNow {@code change_request} export: Table API (one record or a list, plain or {@code
   * display_value} pairs), JSONv2, a bare list or record, or JSON Lines.
   */
  SERVICENOW("servicenow", Output.CHANGE_REQUESTS, LoaderError.INVALID_SERVICENOW),
  /** Langfuse prompts as the public API (v2) returns them: one, a list, or a page. */
  LANGFUSE("langfuse", Output.PROMPTS, LoaderError.INVALID_LANGFUSE),
  /** MLflow prompt registry versions: MLflow 3 prompt versions, or tagged model versions. */
  MLFLOW("mlflow", Output.PROMPTS, LoaderError.INVALID_MLFLOW);

  /** What a format turns into, and so where {@code plumbline load} sends it. */
  public enum Output {
    BLUEPRINT,
    SNAPSHOTS,
    CHANGE_REQUESTS,
    PROMPTS,
    METRIC_SAMPLES
  }

  private final String id;
  private final Output output;
  private final LoaderError error;

  Format(String id, Output output, LoaderError error) {
    this.id = id;
    this.output = output;
    this.error = error;
  }

  /** The name {@code --format} takes and reports print: {@code terraform}, {@code otlp}. */
  public String id() {
    return id;
  }

  public Output output() {
    return output;
  }

  /** The code a malformed file of this format is refused with. */
  public LoaderError error() {
    return error;
  }

  /**
   * The format named {@code name}: its {@link #id()}, case-insensitive, or one of the aliases
   * {@code k8s}, {@code otel}, {@code ld}.
   *
   * @throws PlumblineException {@link LoaderError#UNKNOWN_FORMAT} listing the known names
   */
  public static Format named(String name) {
    String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    switch (n) {
      case "k8s":
        return KUBERNETES;
      case "otel":
      case "opentelemetry":
        return OTLP;
      case "ld":
        return LAUNCHDARKLY;
      default:
        return Arrays.stream(values())
            .filter(f -> f.id.equals(n))
            .findFirst()
            .orElseThrow(
                () ->
                    new PlumblineException(
                        LoaderError.UNKNOWN_FORMAT,
                        "unknown format '" + name + "'",
                        List.of("known formats: " + names())));
    }
  }

  /** The known format names, comma-separated, for messages. */
  public static String names() {
    return Arrays.stream(values()).map(Format::id).collect(Collectors.joining(", "));
  }
}
