package org.plumbline.loaders;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.plumbline.loaders.internal.ContentHash;
import org.plumbline.loaders.internal.DocumentReader;
import org.plumbline.loaders.internal.Flattener;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Problems;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;

/**
 * Parses the snapshot JSON of CONTRACT section 2: {@code environment} and {@code observedAt}
 * (ISO-8601 with an offset or zone, normalised to UTC) and {@code config} required, {@code source}
 * optional (default {@value #UNKNOWN_SOURCE}); any other field is refused so typos surface.
 *
 * <p>Secret values in the config are replaced by their markers ({@link Secrets}) before the
 * snapshot is made. The snapshot's identity, {@link Snapshot#contentHash()}, covers environment,
 * instant and the flattened, redacted config, not the source: the same observation posted by two
 * collectors is one snapshot. Thread-safe.
 */
public final class SnapshotParser {
  /** The source of a snapshot that names none. */
  public static final String UNKNOWN_SOURCE = "unknown";

  /** Exact numbers both ways: 0.30 must not become a double on its way to a server. */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  private static final List<String> FIELDS =
      List.of("environment", "observedAt", "source", "config");

  private final DocumentReader reader;
  private final Secrets secrets;

  /** Default limits; secrets redacted under the process's {@link Secrets#ephemeral()} key. */
  public SnapshotParser() {
    this(ParseLimits.DEFAULT);
  }

  /** Secrets redacted under the process's {@link Secrets#ephemeral()} key. */
  public SnapshotParser(ParseLimits limits) {
    this(limits, Secrets.ephemeral());
  }

  /** Secrets in the config redacted by {@code secrets} (see {@link Secrets}). */
  public SnapshotParser(ParseLimits limits, Secrets secrets) {
    this.reader = new DocumentReader(Objects.requireNonNull(limits, "limits"));
    this.secrets = Objects.requireNonNull(secrets, "secrets");
  }

  /**
   * Parses one snapshot.
   *
   * @throws PlumblineException {@link LoaderError#INVALID_SNAPSHOT} listing every problem, {@link
   *     LoaderError#INVALID_JSON} or {@link LoaderError#PAYLOAD_TOO_LARGE}
   */
  public Snapshot parse(byte[] json) {
    return parse(reader.readJson(Objects.requireNonNull(json, "json")));
  }

  /** Parses a snapshot document already read into a tree. */
  Snapshot parse(JsonNode root) {
    Problems problems = new Problems();
    Members members = Members.of(root, "", problems, FIELDS);
    String environment = members.text("environment", true);
    Instant observedAt = members.instant("observedAt");
    String source = members.text("source", false);
    ObjectNode config = members.object("config", true);
    FlatConfig flat =
        config == null ? null : Flattener.flatten(config, members.pointer("config"), problems);
    problems.throwIfAny(LoaderError.INVALID_SNAPSHOT, "invalid snapshot");
    return snapshot(
        environment, observedAt, source == null ? UNKNOWN_SOURCE : source, secrets.redact(flat));
  }

  /**
   * A snapshot with its identity computed as for a parsed one, for loaders that build the config
   * themselves: the same observation yields the same {@link Snapshot#contentHash()} whichever
   * format it came from.
   */
  public static Snapshot snapshot(
      String environment, Instant observedAt, String source, FlatConfig config) {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(observedAt, "observedAt");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(config, "config");
    return new Snapshot(
        environment, observedAt, source, config, identity(environment, observedAt, config));
  }

  /**
   * The snapshot as CONTRACT section 2 JSON, with each flattened key as one literal member of
   * {@code config}; parsing it back gives the same snapshot (same content hash).
   */
  public static String toJson(Snapshot snapshot) {
    ObjectNode node = JSON.createObjectNode();
    node.put("environment", snapshot.environment());
    node.put("observedAt", snapshot.observedAt().toString());
    node.put("source", snapshot.source());
    ObjectNode config = node.putObject("config");
    try {
      for (Map.Entry<String, String> e : snapshot.config().values().entrySet()) {
        config.set(e.getKey(), JSON.readTree(e.getValue()));
      }
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // Flattened values are canonical JSON texts by construction.
      throw new IllegalStateException("a flattened value is not JSON", e);
    }
  }

  private static String identity(String environment, Instant observedAt, FlatConfig config) {
    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put("environment", environment);
    canonical.put("observedAt", observedAt.toString());
    canonical.put("config", config.values());
    return ContentHash.of(canonical);
  }
}
