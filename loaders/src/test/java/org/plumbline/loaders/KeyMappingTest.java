package org.plumbline.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.PlumblineException;

/** Source keys to governed keys: Kubernetes, LiteLLM and Terraform shapes, conflicts, bad rules. */
class KeyMappingTest {
  private static final String CONTAINER =
      "k8s.Deployment.credit-serving.credit-assistant.spec.template.spec.containers[0]";

  private static FlatConfig kubernetes() {
    Map<String, String> keys = new TreeMap<>();
    keys.put(CONTAINER + ".name", "\"assistant\"");
    keys.put(CONTAINER + ".image", "\"registry.example.org/credit/assistant:2.3.0\"");
    keys.put(CONTAINER + ".env[0].name", "\"LLM_MODEL\"");
    keys.put(CONTAINER + ".env[0].value", "\"gpt-4o-2024-08-06\"");
    keys.put(CONTAINER + ".env[1].name", "\"LLM_TEMPERATURE\"");
    keys.put(CONTAINER + ".env[1].value", "\"0.30\"");
    keys.put("k8s.Deployment.credit-serving.credit-assistant.spec.replicas", "3");
    return FlatConfig.of(keys);
  }

  private static KeyMapping rules(String... patternThenTarget) {
    Map<String, String> rules = new LinkedHashMap<>();
    for (int i = 0; i < patternThenTarget.length; i += 2) {
      rules.put(patternThenTarget[i], patternThenTarget[i + 1]);
    }
    return KeyMapping.of(rules);
  }

  @Test
  void anEnvironmentVariableByNameAndAnImageBecomeGovernedKeys() {
    KeyMapping mapping =
        rules(
            "k8s.Deployment.*.*.spec.template.spec.containers[*].env[name=LLM_TEMPERATURE].value",
            "llm.temperature",
            "k8s.Deployment.*.*.spec.template.spec.containers[*].env[name=LLM_MODEL].value",
            "model.version",
            "k8s.Deployment.*.*.spec.template.spec.containers[*].image",
            "container.image");

    KeyMapping.Mapped mapped = mapping.apply(kubernetes());

    assertEquals(
        Map.of(
            "llm.temperature",
            "0.3",
            "model.version",
            "\"gpt-4o-2024-08-06\"",
            "container.image",
            "\"registry.example.org/credit/assistant:2.3.0\"",
            CONTAINER + ".name",
            "\"assistant\"",
            "k8s.Deployment.credit-serving.credit-assistant.spec.replicas",
            "3"),
        mapped.config().values());
    assertEquals(CONTAINER + ".env[1].value", mapped.provenance().get("llm.temperature"));
    assertEquals(CONTAINER + ".image", mapped.provenance().get("container.image"));
  }

  @Test
  void capturesNameTheGovernedKey() {
    KeyMapping mapping =
        rules("k8s.Deployment.*.*.spec.template.spec.containers[*].image", "container.$2.$3.image");
    assertEquals(
        "\"registry.example.org/credit/assistant:2.3.0\"",
        mapping.apply(kubernetes()).config().get("container.credit-assistant.0.image"));
  }

  @Test
  void liteLlmAndTerraformShapes() {
    FlatConfig source =
        FlatConfig.of(
            Map.of(
                "models.gpt-4o[0].model", "\"openai/gpt-4o-2024-08-06\"",
                "models.gpt-4o[0].temperature", "0.2",
                "terraform.aws_ssm_parameter.llm[\"temperature\"].value", "\"0.3\"",
                "terraform.aws_ssm_parameter.llm[\"top_p\"].value", "\"0.9\""));
    KeyMapping mapping =
        rules(
            "models.gpt-4o[0].model", "model.version",
            "terraform.aws_ssm_parameter.llm[*].value", "llm.$1",
            "models.*[*].temperature", "gateway.$1.temperature");
    assertEquals(
        Map.of(
            "model.version", "\"openai/gpt-4o-2024-08-06\"",
            "llm.temperature", "0.3",
            "llm.top_p", "0.9",
            "gateway.gpt-4o.temperature", "0.2"),
        mapping.apply(source).config().values());
  }

  @Test
  void twoSourcesWithDifferentValuesForOneGovernedKeyAreAConflict() {
    FlatConfig source =
        FlatConfig.of(
            Map.of(
                "a.containers[0].env[0].name", "\"LLM_TEMPERATURE\"",
                "a.containers[0].env[0].value", "\"0.3\"",
                "a.containers[1].env[0].name", "\"LLM_TEMPERATURE\"",
                "a.containers[1].env[0].value", "\"0.7\""));
    PlumblineException e =
        assertThrows(
            PlumblineException.class,
            () ->
                rules("a.containers[*].env[name=LLM_TEMPERATURE].value", "llm.temperature")
                    .apply(source));
    assertEquals(LoaderError.KEY_MAPPING_CONFLICT, e.code());
    assertEquals(
        List.of(
            "llm.temperature: from a.containers[0].env[0].value and from"
                + " a.containers[1].env[0].value, with different values"),
        e.details());
  }

  @Test
  void aMappedKeyTakingTheNameOfAnUnmappedOneIsAConflict() {
    FlatConfig source = FlatConfig.of(Map.of("x.temp", "1", "llm.temperature", "2"));
    PlumblineException e =
        assertThrows(
            PlumblineException.class, () -> rules("x.temp", "llm.temperature").apply(source));
    assertEquals(LoaderError.KEY_MAPPING_CONFLICT, e.code());
  }

  @Test
  void badRulesAreRefusedTogether() {
    PlumblineException e =
        assertThrows(
            PlumblineException.class, () -> rules("a.*", "b.$2", "", "x", "c", "has space"));
    assertEquals(LoaderError.INVALID_KEY_MAPPING, e.code());
    assertEquals(3, e.details().size(), e.details().toString());
    assertTrue(e.details().get(0).startsWith("/a.*: the target uses $2"), e.details().toString());
  }

  @Test
  void numbersAndBooleansInStringsBecomeNumbersAndBooleans() {
    assertEquals("0.3", KeyMapping.coerce("\"0.30\""));
    assertEquals("true", KeyMapping.coerce("\"true\""));
    assertEquals("800", KeyMapping.coerce("\"800\""));
    assertEquals("\"0.3x\"", KeyMapping.coerce("\"0.3x\""));
    assertEquals("\"\"", KeyMapping.coerce("\"\""));
  }

  @Provide
  Arbitrary<Map<String, String>> configs() {
    Arbitrary<String> keys =
        Arbitraries.of(
            "a.b",
            "a.c[0].name",
            "a.c[0].value",
            "a.c[1].name",
            "a.c[1].value",
            "x[\"k\"].v",
            "llm.temperature",
            "a.b.c");
    Arbitrary<String> values = Arbitraries.of("1", "\"0.3\"", "\"X\"", "true", "\"a.b\"");
    return Arbitraries.maps(keys, values).ofMaxSize(8);
  }

  @Provide
  Arbitrary<Map<String, String>> ruleSets() {
    Arbitrary<String> patterns =
        Arbitraries.of(
            "a.*", "**", "a.c[*].value", "a.c[name=X].value", "x[*].v", "*.b", "a.**", "[*]", "*");
    Arbitrary<String> targets = Arbitraries.of("llm.temperature", "t.$1", "t", "a.b", "k.$1.$1");
    return Arbitraries.maps(patterns, targets).ofMaxSize(4);
  }

  /** Any rules over any keys: a mapping whose every governed key is accounted for, or a code. */
  @Property
  void anyRulesMapAnyKeysOrFailWithACode(
      @ForAll("configs") Map<String, String> config,
      @ForAll("ruleSets") Map<String, String> ruleSet) {
    KeyMapping mapping;
    try {
      mapping = KeyMapping.of(ruleSet);
    } catch (PlumblineException e) {
      assertInstanceOf(LoaderError.class, e.code());
      return;
    }
    try {
      KeyMapping.Mapped mapped = mapping.apply(FlatConfig.of(config));
      for (var e : mapped.provenance().entrySet()) {
        assertTrue(mapped.config().values().containsKey(e.getKey()));
        assertTrue(config.containsKey(e.getValue()));
      }
      for (String governed : mapped.config().values().keySet()) {
        assertTrue(mapped.provenance().containsKey(governed) || config.containsKey(governed));
      }
    } catch (PlumblineException e) {
      assertEquals(LoaderError.KEY_MAPPING_CONFLICT, e.code());
    }
  }
}
