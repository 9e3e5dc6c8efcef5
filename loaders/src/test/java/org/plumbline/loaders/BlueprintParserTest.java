package org.plumbline.loaders;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Tier;

class BlueprintParserTest {
  private final BlueprintParser parser = new BlueprintParser();

  static byte[] resource(String path) {
    try (InputStream in = BlueprintParserTest.class.getResourceAsStream("/cases/" + path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void contractExampleInYamlAndJsonIsTheSameBlueprint() {
    Blueprint yaml = parser.parse(resource("blueprint-contract-example-yaml/input.yaml"), "yaml");
    Blueprint json = parser.parse(resource("blueprint-contract-example-json/input.json"), "json");

    assertEquals(yaml.contentHash(), json.contentHash());
    assertEquals(yaml.config(), json.config());
    assertEquals(yaml.config().values().keySet(), json.config().values().keySet());
    assertEquals("0.8", yaml.config().get("guardrails.toxicity.threshold"));
    assertEquals("0.3", yaml.config().get("llm.temperature"));
    assertEquals("0.7", yaml.expectedFor("credit-model-dev").get("llm.temperature"));
    assertEquals("0.3", yaml.expectedFor("credit-model-prod").get("llm.temperature"));
  }

  @Test
  void contractExampleMetadata() {
    Blueprint blueprint =
        parser.parse(resource("blueprint-contract-example-yaml/input.yaml"), null);

    assertEquals("credit-model", blueprint.bundle());
    assertEquals("2.3.0", blueprint.version());
    assertEquals(Tier.REGULATED, blueprint.environment("credit-model-prod").orElseThrow().tier());
    assertNull(blueprint.environment("credit-model-prod").orElseThrow().ttl());
    assertEquals(
        Duration.ofDays(14), blueprint.environment("credit-model-dev").orElseThrow().ttl());
    assertEquals(
        "credit-model-dev", blueprint.environment("credit-model-dev").orElseThrow().name());
    assertEquals("VAL-2026-031", blueprint.validated().evidence());
    assertEquals(3, blueprint.dependencies().size());
    assertEquals(true, blueprint.ignores("web.podName"));
  }

  @Test
  void hashIgnoresKeyOrderAndNumberSpellingButNotContent() {
    String a =
        "{\"bundle\":\"b\",\"version\":\"1.0.0\",\"environments\":[{\"id\":\"e\",\"tier\":\"DEV\"}],"
            + "\"config\":{\"x\":0.30,\"y\":true}}";
    String reordered =
        "{\"config\":{\"y\":true,\"x\":3e-1},\"version\":\"1.0.0\",\"bundle\":\"b\","
            + "\"environments\":[{\"tier\":\"DEV\",\"id\":\"e\",\"name\":\"e\"}]}";
    String changed = a.replace("0.30", "0.31");

    String hash = parser.parse(a.getBytes(UTF_8), null).contentHash();
    assertEquals(hash, parser.parse(reordered.getBytes(UTF_8), null).contentHash());
    assertNotEquals(hash, parser.parse(changed.getBytes(UTF_8), null).contentHash());
  }

  @ParameterizedTest
  @ValueSource(strings = {"yaml", "YML", "application/yaml", "application/x-yaml; charset=utf-8"})
  void yamlHints(String hint) {
    byte[] yaml = resource("blueprint-contract-example-yaml/input.yaml");
    assertEquals("credit-model", parser.parse(yaml, hint).bundle());
  }

  @Test
  void jsonHintRefusesYaml() {
    byte[] yaml = resource("blueprint-contract-example-yaml/input.yaml");
    PlumblineException e = assertThrows(PlumblineException.class, () -> parser.parse(yaml, "json"));
    assertEquals(LoaderError.INVALID_JSON, e.code());
  }

  @Test
  void unknownFormatIsRefused() {
    PlumblineException e =
        assertThrows(PlumblineException.class, () -> parser.parse(new byte[0], "toml"));
    assertEquals(LoaderError.UNSUPPORTED_FORMAT, e.code());
  }

  @Test
  void oversizedDocumentIsRefusedBeforeParsing() {
    BlueprintParser small = new BlueprintParser(ParseLimits.DEFAULT.withMaxDocumentBytes(100));
    PlumblineException e =
        assertThrows(
            PlumblineException.class,
            () -> small.parse(resource("blueprint-contract-example-yaml/input.yaml"), null));
    assertEquals(LoaderError.PAYLOAD_TOO_LARGE, e.code());
  }
}
