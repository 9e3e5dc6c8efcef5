package org.plumbline.loaders;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.plumbline.ontology.PlumblineException;

/**
 * The one property of every parser, over generated documents rather than mutated bytes: any input
 * gives records or a {@link LoaderError}, nothing else. The documents are built from the member
 * names and values the formats look for ({@code resources}, {@code index_key}, {@code flagValues},
 * {@code result}, {@code template}, ...), so they reach deep into each reader instead of failing at
 * the first member; each is tried with every format forced, and with detection.
 */
class ParserPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DocumentLoader LOADER = new DocumentLoader();
  private static final Instant AT = Instant.parse("2026-11-20T00:00:00Z");

  private static final List<String> NAMES =
      List.of(
          // Terraform
          "version",
          "lineage",
          "resources",
          "mode",
          "type",
          "name",
          "module",
          "instances",
          "index_key",
          "attributes",
          "sensitive_attributes",
          "outputs",
          "value",
          "sensitive",
          "format_version",
          "values",
          "root_module",
          "child_modules",
          "address",
          "index",
          "sensitive_values",
          "prior_state",
          "resource_drift",
          "change",
          "actions",
          "after",
          // Kubernetes
          "apiVersion",
          "kind",
          "metadata",
          "namespace",
          "labels",
          "spec",
          "items",
          "env",
          "containers",
          "image",
          "managedFields",
          // LiteLLM
          "model_list",
          "model_name",
          "litellm_params",
          "model",
          "guardrails",
          "guardrail_name",
          "guardrail",
          "router_settings",
          "litellm_settings",
          "general_settings",
          // flags
          "flags",
          "flagValues",
          "path",
          "data",
          "segments",
          "key",
          "on",
          "variations",
          "fallthrough",
          "variation",
          "offVariation",
          "rollout",
          "weight",
          "deleted",
          "state",
          "variants",
          "defaultVariant",
          "targeting",
          "environments",
          // ServiceNow
          "result",
          "records",
          "number",
          "approval",
          "cmdb_ci",
          "start_date",
          "end_date",
          "work_start",
          "work_end",
          "display_value",
          "u_plumbline_keys",
          "sys_class_name",
          // prompts
          "prompt",
          "config",
          "labels",
          "versions",
          "meta",
          "page",
          "totalPages",
          "template",
          "tags",
          "aliases",
          "alias",
          "model_config",
          "prompt_versions",
          "model_versions",
          "role",
          "content",
          // contract
          "bundle",
          "environment",
          "observedAt",
          "id",
          "text",
          "metric");

  private static final List<String> TEXTS =
      List.of(
          "",
          "managed",
          "data",
          "approved",
          "requested",
          "ENABLED",
          "DISABLED",
          "get_attr",
          "index",
          "2026-11-01 09:00:00",
          "2026-11-01T09:00:00Z",
          "not a date",
          "/",
          "on",
          "off",
          "system",
          "chat",
          "text",
          "0c43b2a1db3f1010a1b2c3d4e5f60718",
          "prod",
          "4",
          "-1",
          "aws_instance",
          "Deployment",
          "v1",
          "apps/v1",
          "sk-live-0123456789abcdef",
          "x[0]");

  @Property
  void anyDocumentLoadsOrIsRefusedWithALoaderError(@ForAll("documents") JsonNode document)
      throws Exception {
    byte[] input = JSON.writeValueAsBytes(document);
    LoadContext context = LoadContext.fallingBackTo(AT).withEnvironment("property-env");
    loadsOrRefuses(input, null, context);
    loadsOrRefuses(input, null, LoadContext.fallingBackTo(AT));
    for (Format format : Format.values()) {
      loadsOrRefuses(input, format, context);
    }
    folderLoadsOrRefuses(input, context);
  }

  @Property
  void anyJsonLinesLoadOrAreRefusedWithALoaderError(
      @ForAll("documents") JsonNode first, @ForAll("documents") JsonNode second) throws Exception {
    byte[] input =
        (JSON.writeValueAsString(first) + "\n" + JSON.writeValueAsString(second) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    LoadContext context = LoadContext.fallingBackTo(AT).withEnvironment("property-env");
    loadsOrRefuses(input, null, context);
    for (Format format : Format.values()) {
      loadsOrRefuses(input, format, context);
    }
  }

  private static void loadsOrRefuses(byte[] input, Format format, LoadContext context) {
    try {
      LOADER.load(input, format, context);
    } catch (PlumblineException e) {
      assertInstanceOf(LoaderError.class, e.code(), e::getMessage);
    }
  }

  private static void folderLoadsOrRefuses(byte[] input, LoadContext context) {
    try {
      LOADER.loadKubernetesFolder(
          "dir",
          List.of(
              new DocumentLoader.NamedContent("a.json", input),
              new DocumentLoader.NamedContent("b.json", input)),
          context);
    } catch (PlumblineException e) {
      assertInstanceOf(LoaderError.class, e.code(), e::getMessage);
    }
  }

  @Provide
  Arbitrary<JsonNode> documents() {
    return Arbitraries.oneOf(object(3), list(3));
  }

  private Arbitrary<JsonNode> value(int depth) {
    Arbitrary<JsonNode> scalar =
        Arbitraries.oneOf(
            Arbitraries.of(TEXTS).map(NODES::textNode),
            Arbitraries.integers().between(-2, 100_001).map(NODES::numberNode),
            Arbitraries.doubles().between(-1, 2).map(NODES::numberNode),
            Arbitraries.of(true, false).map(NODES::booleanNode),
            Arbitraries.just(NODES.nullNode()));
    if (depth == 0) {
      return scalar;
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, scalar),
        net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> object(depth - 1))),
        net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> list(depth - 1))));
  }

  private Arbitrary<JsonNode> object(int depth) {
    Arbitrary<String> names = Arbitraries.of(NAMES);
    return Combinators.combine(names, value(depth))
        .as(List::of)
        .list()
        .ofMaxSize(6)
        .map(
            members -> {
              ObjectNode object = NODES.objectNode();
              for (List<Object> member : members) {
                object.set((String) member.get(0), (JsonNode) member.get(1));
              }
              return object;
            });
  }

  private Arbitrary<JsonNode> list(int depth) {
    return value(depth)
        .list()
        .ofMaxSize(4)
        .map(
            items -> {
              ArrayNode list = NODES.arrayNode();
              items.forEach(list::add);
              return list;
            });
  }
}
