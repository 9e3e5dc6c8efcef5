package org.plumbline.loaders;

import com.fasterxml.jackson.databind.JsonNode;
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
 * <p>The snapshot's identity, {@link Snapshot#contentHash()}, covers environment, instant and the
 * flattened config, not the source: the same observation posted by two collectors is one snapshot.
 * Thread-safe.
 */
public final class SnapshotParser {
  /** The source of a snapshot that names none. */
  public static final String UNKNOWN_SOURCE = "unknown";

  private static final List<String> FIELDS =
      List.of("environment", "observedAt", "source", "config");

  private final DocumentReader reader;

  public SnapshotParser() {
    this(ParseLimits.DEFAULT);
  }

  public SnapshotParser(ParseLimits limits) {
    this.reader = new DocumentReader(Objects.requireNonNull(limits, "limits"));
  }

  /**
   * Parses one snapshot.
   *
   * @throws PlumblineException {@link LoaderError#INVALID_SNAPSHOT} listing every problem, {@link
   *     LoaderError#INVALID_JSON} or {@link LoaderError#PAYLOAD_TOO_LARGE}
   */
  public Snapshot parse(byte[] json) {
    JsonNode root = reader.readJson(Objects.requireNonNull(json, "json"));
    Problems problems = new Problems();
    Members members = Members.of(root, "", problems, FIELDS);
    String environment = members.text("environment", true);
    Instant observedAt = members.instant("observedAt");
    String source = members.text("source", false);
    ObjectNode config = members.object("config", true);
    FlatConfig flat =
        config == null ? null : Flattener.flatten(config, members.pointer("config"), problems);
    problems.throwIfAny(LoaderError.INVALID_SNAPSHOT, "invalid snapshot");
    return new Snapshot(
        environment,
        observedAt,
        source == null ? UNKNOWN_SOURCE : source,
        flat,
        identity(environment, observedAt, flat));
  }

  private static String identity(String environment, Instant observedAt, FlatConfig config) {
    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put("environment", environment);
    canonical.put("observedAt", observedAt.toString());
    canonical.put("config", config.values());
    return ContentHash.of(canonical);
  }
}
