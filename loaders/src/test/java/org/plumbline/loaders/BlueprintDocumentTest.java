package org.plumbline.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.FlatConfig;

/**
 * A stored version written as the document a team keeps in git ({@link BlueprintDocument}) parses
 * back to the same version, content hash and all, whatever its configuration holds.
 */
class BlueprintDocumentTest {
  private static final BlueprintParser PARSER = new BlueprintParser();

  static final String POSTED =
      """
      bundle: assistant
      version: 1.2.3
      environments:
        - { id: assistant-prod, name: Assistant (prod), tier: PROD, owner: ml-platform, ttl: P90D }
        - { id: assistant-dev, tier: DEV, observeEvery: PT6H }
      validated: { at: "2026-08-01T00:00:00Z", by: model-risk, evidence: "MRM-2026-114" }
      map:
        "k8s.Deployment.*.*.spec.template.spec.containers[*].env[name=LLM_TEMPERATURE].value": llm.temperature
        "terraform.aws_ssm_parameter.llm[*].value": llm.$1
      config:
        llm: { temperature: 0.30, top_p: 1.0, stop: ["\\n\\n", "END"] }
        model: { version: gpt-4o-2024-08-06 }
        flags: { rollout: "true", mode: "on", answer: "yes", nothing: "null", version: "1.0" }
        routing: { fallbacks: [ { gpt-4o: [claude-sonnet] } ], empty: {}, none: [] }
        "terraform.aws_elasticache_cluster.this[\\"eu-west-1\\"].node_type": cache.r7g.large
        "a.b": 1
        a: { c: 2 }
        big: 123456789012345678901234567890.000000001
      overrides:
        assistant-dev: { llm: { temperature: 0.7 } }
      dependencies:
        - { key: prompt.system, dependsOn: [model.version, "llm.*"] }
      ignore: [ "k8s.**", "*.resourceVersion" ]
      """;

  @Test
  void aVersionWrittenOutParsesBackToTheSameVersion() {
    Blueprint posted = PARSER.parse(POSTED.getBytes(StandardCharsets.UTF_8), "yaml");
    String yaml = BlueprintDocument.yaml(posted);
    Blueprint back = PARSER.parse(yaml.getBytes(StandardCharsets.UTF_8), "yaml");
    assertEquals(posted, back, yaml);
    assertEquals(posted.contentHash(), back.contentHash());
    // nested again, and strings that read as something else stay strings
    assertTrue(yaml.contains("  llm:\n    stop:\n"), yaml);
    assertTrue(yaml.contains("    temperature: 0.3\n"), yaml);
    assertTrue(yaml.contains("rollout: \"true\""), yaml);
    assertEquals(
        "{\"temperature\":0.7}",
        BlueprintDocument.tree(posted).at("/overrides/assistant-dev/llm").toString());
  }

  @Test
  void aConfigurationThatCannotBeNestedIsWrittenWithLiteralKeys() {
    // a key that is both a value and a section cannot be nested
    FlatConfig both = FlatConfig.of(Map.of("a", "1", "a.b", "2", "c[0]", "true"));
    assertEquals("{\"a\":1,\"a.b\":2,\"c[0]\":true}", BlueprintDocument.nested(both).toString());
    // a list with a gap can: a null item flattens to nothing and keeps the indexes
    FlatConfig gap = FlatConfig.of(Map.of("a[0]", "1", "a[2]", "3", "b.c", "true"));
    assertEquals("{\"a\":[1,null,3],\"b\":{\"c\":true}}", BlueprintDocument.nested(gap).toString());
  }

  @Provide
  Arbitrary<Map<String, String>> configs() {
    Arbitrary<String> keys =
        Arbitraries.of(
            "a",
            "a.b",
            "a.b.c",
            "a[0]",
            "a[1]",
            "a[0].x",
            "b[0][0]",
            "b[0][1]",
            "c.d[0].e",
            "c.d[1].e",
            "x[\"k\"].v",
            "e.f",
            "e.g",
            "h");
    Arbitrary<String> values =
        Arbitraries.of(
            "1",
            "0.3",
            "-2.5",
            "true",
            "false",
            "\"0.3\"",
            "\"true\"",
            "\"yes\"",
            "\"\"",
            "\"null\"",
            "\"a: b\"",
            "\"- x\"",
            "\"#c\"",
            "{}",
            "[]",
            "\"q\\\"x\"",
            "\"2026-01-01T00:00:00Z\"");
    return Arbitraries.maps(keys, values).ofMaxSize(8);
  }

  /** Any configuration: written out and parsed back, the same flattened keys and values. */
  @Property
  void anyConfigurationRoundTrips(@ForAll("configs") Map<String, String> config) {
    Blueprint bp =
        new Blueprint(
            "b",
            "1.0.0",
            List.of(
                new org.plumbline.ontology.EnvironmentSpec(
                    "e", "e", org.plumbline.ontology.Tier.DEV, null, null, null)),
            null,
            FlatConfig.of(config),
            Map.of(),
            List.of(),
            List.of(),
            "");
    Blueprint back =
        PARSER.parse(BlueprintDocument.yaml(bp).getBytes(StandardCharsets.UTF_8), "yaml");
    assertEquals(bp.config(), back.config(), BlueprintDocument.yaml(bp));
    assertEquals(BlueprintParser.contentHash(bp), back.contentHash());
  }
}
