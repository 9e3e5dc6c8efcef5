package org.plumbline.loaders;

import java.util.List;
import java.util.Objects;
import org.plumbline.loaders.internal.Document;
import org.plumbline.loaders.internal.DocumentReader;
import org.plumbline.loaders.internal.FormatDetection;
import org.plumbline.loaders.internal.flags.FlagdFlags;
import org.plumbline.loaders.internal.flags.LaunchDarklyFlags;
import org.plumbline.loaders.internal.kubernetes.KubernetesObjects;
import org.plumbline.loaders.internal.litellm.LiteLlmConfig;
import org.plumbline.loaders.internal.otlp.GenAiSpans;
import org.plumbline.loaders.internal.prompts.LangfusePrompts;
import org.plumbline.loaders.internal.prompts.MlflowPrompts;
import org.plumbline.loaders.internal.servicenow.ServiceNowChanges;
import org.plumbline.loaders.internal.terraform.TerraformJson;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;

/**
 * Reads a file of any {@link Format}: detects the format from its content unless told, and turns it
 * into Plumbline records. A malformed file is refused with one {@link LoaderError}: the format's
 * own code ({@code INVALID_KUBERNETES}, ...) listing every problem with where it is (a JSON
 * pointer, prefixed by {@code document N (line L)} in files of several documents), {@code
 * INVALID_JSON} when the file does not even parse, {@code UNKNOWN_FORMAT} or {@code
 * ENVIRONMENT_REQUIRED}. Nothing else is thrown for bad input. Thread-safe.
 */
public final class DocumentLoader {
  private final ParseLimits limits;
  private final DocumentReader reader;
  private final BlueprintParser blueprints;
  private final SnapshotParser snapshots;
  private final ChangeRequestParser changeRequests;
  private final PromptParser prompts;
  private final MetricSampleParser metrics;
  private final Secrets secrets;

  /** Default limits; secrets redacted under the process's {@link Secrets#ephemeral()} key. */
  public DocumentLoader() {
    this(ParseLimits.DEFAULT);
  }

  /** Secrets redacted under the process's {@link Secrets#ephemeral()} key. */
  public DocumentLoader(ParseLimits limits) {
    this(limits, Secrets.ephemeral());
  }

  /**
   * Every snapshot and blueprint, of every format, with its secrets redacted by {@code secrets}:
   * the store's key for {@code load --data}, {@link Secrets#inTransit()} for a client that sends
   * what it reads to a server, which redacts.
   */
  public DocumentLoader(ParseLimits limits, Secrets secrets) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.reader = new DocumentReader(limits);
    this.blueprints = new BlueprintParser(limits, secrets);
    this.snapshots = new SnapshotParser(limits, secrets);
    this.changeRequests = new ChangeRequestParser(limits);
    this.prompts = new PromptParser(limits);
    this.metrics = new MetricSampleParser(limits);
  }

  /**
   * Loads one file's content.
   *
   * @param format the format, or {@code null} to detect it
   * @param context options and fallbacks for what the file does not say itself
   * @throws PlumblineException with a {@link LoaderError} when the content is refused
   */
  public Loaded load(byte[] content, Format format, LoadContext context) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(context, "context");
    boolean json = DocumentReader.looksLikeJson(content);
    if (format != null && isContractFormat(format)) {
      return contract(format, content);
    }
    List<Document> documents =
        reader.readAll(content, !json, format == null ? LoaderError.INVALID_JSON : format.error());
    Format detected = format == null ? FormatDetection.detect(documents) : format;
    if (isContractFormat(detected)) {
      // The contract's own parsers, with their exact codes; one JSON document is read once.
      return json
              && documents.size() == 1
              && (detected == Format.SNAPSHOT || detected == Format.CHANGE_REQUESTS)
          ? contract(detected, documents.get(0))
          : contract(detected, content);
    }
    return mapped(
        redacted(
            switch (detected) {
              case TERRAFORM -> TerraformJson.parse(documents, context);
              case KUBERNETES -> KubernetesObjects.parse(documents, context);
              case LITELLM -> LiteLlmConfig.parse(documents, context);
              case OTLP -> GenAiSpans.parse(documents, context);
              case FLAGD -> FlagdFlags.parse(documents, context);
              case LAUNCHDARKLY -> LaunchDarklyFlags.parse(documents, context);
              case SERVICENOW -> ServiceNowChanges.parse(documents, context);
              case LANGFUSE -> LangfusePrompts.parse(documents);
              case MLFLOW -> MlflowPrompts.parse(documents, limits);
              default -> throw new IllegalStateException("unhandled format " + detected);
            }),
        context.mapping());
  }

  /**
   * The snapshots with their keys mapped to governed keys, and a note of what was renamed (source
   * keys are the provenance); anything else as it is.
   */
  static Loaded mapped(Loaded loaded, KeyMapping mapping) {
    if (mapping.isEmpty() || !(loaded instanceof Loaded.SnapshotsLoaded s)) {
      return loaded;
    }
    List<Snapshot> snapshots = new java.util.ArrayList<>();
    java.util.SortedMap<String, String> provenance = new java.util.TreeMap<>();
    for (Snapshot snapshot : s.snapshots()) {
      KeyMapping.Mapped mapped = mapping.apply(snapshot.config());
      provenance.putAll(mapped.provenance());
      snapshots.add(
          SnapshotParser.snapshot(
              snapshot.environment(), snapshot.observedAt(), snapshot.source(), mapped.config()));
    }
    List<String> notes = new java.util.ArrayList<>(s.notes());
    notes.add(
        provenance.isEmpty()
            ? "key mapping: no key matched"
            : "key mapping: "
                + provenance.entrySet().stream()
                    .map(e -> e.getKey() + " <- " + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", ")));
    return new Loaded.SnapshotsLoaded(s.format(), snapshots, notes);
  }

  /** One file of a folder read as a whole: its name (for messages) and its content. */
  public record NamedContent(String name, byte[] content) {
    public NamedContent {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(content, "content");
    }
  }

  /**
   * Reads the files of one environment's folder of Kubernetes manifests (what kustomize or Helm
   * renders) as ONE snapshot of all their objects, as {@code kubectl apply -f DIR} sees them: read
   * one by one they would be several snapshots that each lack the others' keys. Problems name the
   * file and the document ({@code deploy.yaml: document 2 (line 14)/metadata/name}).
   *
   * @throws PlumblineException {@link LoaderError#INVALID_KUBERNETES} when a file holds no
   *     Kubernetes objects, or any object is malformed; {@link LoaderError#INVALID_JSON} or {@link
   *     LoaderError#INVALID_YAML} when a file does not parse
   */
  public Loaded loadKubernetesFolder(String folder, List<NamedContent> files, LoadContext context) {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(context, "context");
    List<Document> documents = new java.util.ArrayList<>();
    List<String> notKubernetes = new java.util.ArrayList<>();
    for (NamedContent file : files) {
      List<Document> read;
      try {
        read =
            reader.readAll(
                file.content(),
                !DocumentReader.looksLikeJson(file.content()),
                LoaderError.INVALID_KUBERNETES);
      } catch (PlumblineException e) {
        throw new PlumblineException(
            e.code(),
            file.name() + ": " + e.getMessage(),
            e.details().stream().map(d -> file.name() + ": " + d).toList());
      }
      boolean kubernetes =
          read.stream()
              .map(Document::root)
              .filter(Objects::nonNull)
              .allMatch(r -> r.isObject() && r.has("apiVersion") && r.has("kind"));
      if (!kubernetes) {
        notKubernetes.add(file.name());
      }
      read.forEach(d -> documents.add(d.inFile(file.name())));
    }
    if (!notKubernetes.isEmpty()) {
      throw new PlumblineException(
          LoaderError.INVALID_KUBERNETES,
          "a folder read as one Kubernetes environment holds other files",
          notKubernetes.stream()
              .map(n -> n + ": holds a document that is not a Kubernetes object (apiVersion, kind)")
              .toList());
    }
    Loaded.SnapshotsLoaded loaded =
        (Loaded.SnapshotsLoaded)
            mapped(redacted(KubernetesObjects.parse(documents, context)), context.mapping());
    List<String> notes = new java.util.ArrayList<>();
    notes.add(
        "one snapshot of "
            + files.size()
            + (files.size() == 1 ? " file" : " files")
            + " in "
            + folder
            + ", as kubectl apply -f "
            + folder
            + " sees them");
    notes.addAll(loaded.notes());
    return new Loaded.SnapshotsLoaded(Format.KUBERNETES, loaded.snapshots(), notes);
  }

  /** A format's snapshots with their secrets redacted, as the contract parsers redact theirs. */
  private Loaded redacted(Loaded loaded) {
    return loaded instanceof Loaded.SnapshotsLoaded s
        ? new Loaded.SnapshotsLoaded(
            s.format(), s.snapshots().stream().map(secrets::redact).toList(), s.notes())
        : loaded;
  }

  /**
   * Whether content reads as JSON (its first non-blank character opens an object or a list);
   * anything else is read as YAML.
   */
  public static boolean looksLikeJson(byte[] content) {
    return DocumentReader.looksLikeJson(content);
  }

  private static boolean isContractFormat(Format format) {
    return format == Format.BLUEPRINT
        || format == Format.SNAPSHOT
        || format == Format.CHANGE_REQUESTS
        || format == Format.PROMPT
        || format == Format.METRIC_SAMPLE;
  }

  private Loaded contract(Format format, byte[] content) {
    return switch (format) {
      case BLUEPRINT ->
          new Loaded.BlueprintLoaded(format, blueprints.parse(content, null), List.of());
      case SNAPSHOT ->
          new Loaded.SnapshotsLoaded(format, List.of(snapshots.parse(content)), List.of());
      case PROMPT -> new Loaded.PromptsLoaded(format, List.of(prompt(content)), List.of());
      case METRIC_SAMPLE ->
          new Loaded.MetricSampleLoaded(format, metrics.parse(content), List.of());
      default -> new Loaded.ChangeRequestsLoaded(format, changeRequests.parse(content), List.of());
    };
  }

  private PromptVersionDocument prompt(byte[] content) {
    var p = prompts.parse(content);
    return new PromptVersionDocument(
        p.id(),
        p.version(),
        p.text(),
        p.testedWithModel(),
        p.evalScore() == null ? null : java.math.BigDecimal.valueOf(p.evalScore()),
        p.evalSuite(),
        p.verifiedAt());
  }

  private Loaded contract(Format format, Document document) {
    return format == Format.SNAPSHOT
        ? new Loaded.SnapshotsLoaded(format, List.of(snapshots.parse(document.root())), List.of())
        : new Loaded.ChangeRequestsLoaded(format, changeRequests.parse(document.root()), List.of());
  }
}
