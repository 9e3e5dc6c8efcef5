package org.plumbline.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.plumbline.ontology.PlumblineException;

/**
 * Walks {@code cases/<name>/}: {@code input.json} or {@code input.yaml}, and either {@code
 * expected.json} (each top-level member must equal the parsed record's, see {@link Rendered}) or
 * {@code expected-error.txt} (the code on the first line, then substrings that some detail must
 * contain). The parser is chosen by the name's prefix: {@code blueprint-}, {@code snapshot-},
 * {@code change-requests-}, {@code prompt-}, {@code metric-}. A case without expectations fails and
 * leaves what was parsed in {@code target/golden-actual/<name>/} to review.
 */
class GoldenCasesTest {

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(root())) {
      return dirs
          .filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void golden(String name) throws IOException {
    Path dir = root().resolve(name);
    byte[] input = Files.readAllBytes(input(dir));
    Path expectedJson = dir.resolve("expected.json");
    Path expectedError = dir.resolve("expected-error.txt");

    JsonNode actual = null;
    PlumblineException error = null;
    try {
      actual = parse(name, input, dir);
    } catch (PlumblineException e) {
      error = e;
    }

    if (Files.exists(expectedError)) {
      List<String> lines =
          Files.readAllLines(expectedError).stream()
              .map(String::strip)
              .filter(l -> !l.isEmpty())
              .toList();
      if (error == null) {
        fail(name + ": expected " + lines.get(0) + " but parsed " + actual);
      }
      List<String> details = error.details();
      assertEquals(lines.get(0), error.code().name(), () -> name + ": " + details);
      for (String expected : lines.subList(1, lines.size())) {
        assertTrue(
            details.stream().anyMatch(d -> d.contains(expected)),
            () -> name + ": no detail contains '" + expected + "' in " + details);
      }
    } else if (Files.exists(expectedJson)) {
      if (error != null) {
        fail(name + ": " + error.code() + " " + error.getMessage() + " " + error.details());
      }
      JsonNode expected = Rendered.MAPPER.readTree(expectedJson.toFile());
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        assertEquals(field.getValue(), actual.get(field.getKey()), name + ": " + field.getKey());
      }
    } else {
      Path out = Path.of("target", "golden-actual", name);
      Files.createDirectories(out);
      Files.writeString(
          out.resolve(error == null ? "expected.json" : "expected-error.txt"),
          error == null
              ? Rendered.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual)
              : error.code() + "\n" + String.join("\n", error.details()) + "\n");
      fail(name + ": no expectations; wrote what was parsed to " + out.toAbsolutePath());
    }
  }

  private static Path input(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("input."))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(dir + " has no input.* file"));
    }
  }

  /**
   * Formats other than the contract's are loaded through {@link DocumentLoader} with detection,
   * unless the case's {@code context.json} names a {@code format}; the detected format must be the
   * one the case name starts with. {@code context.json} may also give {@code environment}, {@code
   * observedAt}, {@code fallbackEnvironment}, {@code fallbackObservedAt} and {@code
   * sourceEnvironment}; the fallback instant defaults to {@value #FALLBACK}.
   */
  private static JsonNode load(String name, byte[] input, Path dir) throws IOException {
    Format expected = Format.named(name.substring(0, name.indexOf('-')));
    JsonNode context =
        Files.exists(dir.resolve("context.json"))
            ? Rendered.MAPPER.readTree(dir.resolve("context.json").toFile())
            : Rendered.MAPPER.createObjectNode();
    LoadContext loadContext =
        new LoadContext(
            context.path("environment").asText(null),
            context.has("observedAt") ? Instant.parse(context.get("observedAt").asText()) : null,
            context.path("fallbackEnvironment").asText(null),
            Instant.parse(context.path("fallbackObservedAt").asText(FALLBACK)),
            context.path("sourceEnvironment").asText(null));
    Format given = context.has("format") ? Format.named(context.get("format").asText()) : null;
    Loaded loaded = new DocumentLoader(ParseLimits.DEFAULT, KEY).load(input, given, loadContext);
    assertEquals(expected, loaded.format(), name + ": detected format");
    return Rendered.loaded(loaded);
  }

  private static final String FALLBACK = "2026-11-20T00:00:00Z";

  /** A fixed key, so that expected markers stay what the files say. */
  static final Secrets KEY =
      Secrets.withKey(
          "golden-cases-hmac-key-0123456789abcdef"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));

  private static JsonNode parse(String name, byte[] input, Path dir) throws IOException {
    if (!name.startsWith("blueprint-")
        && !name.startsWith("snapshot-")
        && !name.startsWith("change-requests-")
        && !name.startsWith("prompt-")
        && !name.startsWith("metric-")) {
      return load(name, input, dir);
    }
    if (name.startsWith("blueprint-")) {
      BlueprintParser.MappedBlueprint parsed =
          new BlueprintParser(ParseLimits.DEFAULT, KEY).parseMapped(input, null);
      var node = Rendered.blueprint(parsed.blueprint());
      if (!parsed.mapping().isEmpty()) {
        parsed.mapping().rules().forEach(node.putObject("map")::put);
      }
      return node;
    }
    if (name.startsWith("snapshot-")) {
      return Rendered.snapshot(new SnapshotParser(ParseLimits.DEFAULT, KEY).parse(input));
    }
    if (name.startsWith("change-requests-")) {
      return Rendered.changeRequests(new ChangeRequestParser().parse(input));
    }
    if (name.startsWith("prompt-")) {
      return Rendered.prompt(new PromptParser().parse(input));
    }
    if (name.startsWith("metric-")) {
      return Rendered.metricSample(new MetricSampleParser().parse(input));
    }
    throw new IllegalArgumentException(
        "case name must start with blueprint-, snapshot-, change-requests-, prompt- or metric-: "
            + name);
  }

  private static Path root() {
    try {
      return Path.of(Objects.requireNonNull(GoldenCasesTest.class.getResource("/cases")).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
