package org.plumbline.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plumbline.loaders.BlueprintParser;
import org.plumbline.loaders.LoaderError;
import org.plumbline.loaders.SnapshotParser;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.Disposition;
import org.plumbline.ontology.DispositionKind;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;
import org.plumbline.rules.RulePack;

/**
 * Issue 18: a blueprint's {@code map} is stored with its version and applied by the server's ingest
 * to every snapshot of the bundle before detection; drifts speak governed keys, the ledger keeps
 * the source keys, and a CODIFY writes the next version under the parser's canonical hash, map
 * included.
 */
class MappedIngestTest {
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  private static final String ENV_KEY =
      "k8s.Deployment.serving.assistant.spec.template.spec.containers[0].env[1]";
  private static final String IMAGE_KEY =
      "k8s.Deployment.serving.assistant.spec.template.spec.containers[0].image";
  static final String BLUEPRINT =
      """
      bundle: assistant
      version: 1.0.0
      environments: [ { id: assistant-dev, tier: DEV, owner: ml-platform } ]
      map:
        "k8s.Deployment.*.*.spec.template.spec.containers[*].env[name=LLM_TEMPERATURE].value": llm.temperature
        "k8s.Deployment.*.*.spec.template.spec.containers[0].image": container.image
      config:
        llm: { temperature: 0.3 }
        container: { image: "registry.example.org/assistant:2.3.0" }
      ignore: [ "k8s.**" ]
      """;

  private static RulePack shipped;
  private GraphStore store;
  private Governor governor;

  @BeforeAll
  static void compile() {
    shipped = RulePack.compile(Path.of("../rules/packs/default"));
  }

  @BeforeEach
  void open() {
    store = GraphStore.inMemory();
    governor = new Governor(store, () -> shipped, Clock.fixed(T0, ZoneOffset.UTC));
    governor.ingestBlueprint(parse(BLUEPRINT), "loader", false);
  }

  @AfterEach
  void close() {
    store.close();
  }

  static Blueprint parse(String yaml) {
    return new BlueprintParser().parse(yaml.getBytes(StandardCharsets.UTF_8), "yaml");
  }

  static Snapshot observed(Instant at, String temperature, String image) {
    return SnapshotParser.snapshot(
        "assistant-dev",
        at,
        "k8s/kubectl",
        FlatConfig.of(
            Map.of(
                ENV_KEY + ".name",
                "\"LLM_TEMPERATURE\"",
                ENV_KEY + ".value",
                "\"" + temperature + "\"",
                IMAGE_KEY,
                "\"" + image + "\"",
                "k8s.Deployment.serving.assistant.spec.replicas",
                "3")));
  }

  @Test
  void theStoredVersionCarriesItsMapAndTheMapIsPartOfItsHash() {
    Blueprint stored = store.read(r -> r.blueprint("assistant", "1.0.0")).orElseThrow();
    assertEquals(2, stored.map().size());
    assertEquals("llm.temperature", stored.map().get(0).target());
    assertEquals(parse(BLUEPRINT).contentHash(), stored.contentHash());
    assertEquals(stored.contentHash(), BlueprintParser.contentHash(stored));
    Blueprint unmapped = parse(BLUEPRINT.replaceAll("(?s)map:.*?config:", "config:"));
    assertNotEquals(unmapped.contentHash(), stored.contentHash());
    // the JSON the server journals parses back to the same version
    Blueprint back =
        new BlueprintParser()
            .parse(BlueprintParser.toJson(stored).getBytes(StandardCharsets.UTF_8), "json");
    assertEquals(stored, back);
  }

  @Test
  void aSnapshotIsStoredUnderGovernedKeysAndItsDriftsSpeakThem() {
    var result =
        governor.ingestSnapshot(
            observed(T0, "0.7", "registry.example.org/assistant:2.3.0"), "loader");
    assertEquals(
        Map.of("container.image", IMAGE_KEY, "llm.temperature", ENV_KEY + ".value"),
        result.summary().get("mapped"));
    Snapshot stored = store.read(r -> r.latestSnapshot("assistant-dev")).orElseThrow();
    assertEquals("0.7", stored.config().get("llm.temperature"));
    assertEquals(
        "\"registry.example.org/assistant:2.3.0\"", stored.config().get("container.image"));
    // the selected item's name went with the mapped value; unmapped keys keep their names
    assertEquals(
        List.of(
            "container.image", "k8s.Deployment.serving.assistant.spec.replicas", "llm.temperature"),
        List.copyOf(stored.config().values().keySet()));
    List<Drift> drifts = store.read(r -> r.drifts("assistant-dev"));
    assertEquals(1, drifts.size(), drifts.toString());
    assertEquals("llm.temperature", drifts.get(0).key());
    assertEquals("0.3", drifts.get(0).expected());
    assertEquals("0.7", drifts.get(0).actual());
    AuditRecord ingested =
        store.read(r -> r.audit("assistant-dev", Instant.EPOCH, Instant.MAX)).stream()
            .filter(a -> a.action().equals("snapshot.ingested"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        ingested.detail().contains("llm.temperature <- " + ENV_KEY + ".value"), ingested.detail());
    // the same observation posted again is a replay of the mapped snapshot
    assertTrue(
        governor
            .ingestSnapshot(observed(T0, "0.7", "registry.example.org/assistant:2.3.0"), "loader")
            .replay());
  }

  @Test
  void twoSourceKeysThatBecomeOneGovernedKeyAreRefusedWithBoth() {
    governor.ingestBlueprint(
        parse(
            BLUEPRINT
                .replace("1.0.0", "1.1.0")
                .replace(
                    "spec.template.spec.containers[0].image\": container.image",
                    "spec.replicas\": llm.temperature")),
        "loader",
        false);
    PlumblineException e =
        assertThrows(
            PlumblineException.class,
            () ->
                governor.ingestSnapshot(
                    observed(T0, "0.7", "registry.example.org/assistant:2.3.0"), "loader"));
    assertEquals(LoaderError.KEY_MAPPING_CONFLICT, e.code());
    assertTrue(e.details().get(0).contains("replicas"), e.details().toString());
    assertTrue(store.read(r -> r.latestSnapshot("assistant-dev")).isEmpty());
  }

  @Test
  void aCodifiedVersionKeepsTheMapAndHasTheParsersHash() {
    governor.ingestSnapshot(observed(T0, "0.7", "registry.example.org/assistant:2.3.0"), "loader");
    String drift = store.read(r -> r.drifts("assistant-dev")).get(0).id();
    Disposition d =
        governor.execute(
            new Command.RequestDisposition(
                drift,
                DispositionKind.CODIFY,
                "0.7 is the tuned value",
                null,
                new Caller("olga", java.util.Set.of("operator"))));
    assertEquals("APPROVED", d.status().name(), d.toString());
    Blueprint codified = store.read(r -> r.currentBlueprint("assistant")).orElseThrow();
    assertEquals("1.0.1", codified.version());
    assertEquals("0.7", codified.config().get("llm.temperature"));
    assertEquals(2, codified.map().size());
    assertEquals(BlueprintParser.contentHash(codified), codified.contentHash());
    // written out and posted again, it is the same version: a replay, not a conflict
    Blueprint posted =
        new BlueprintParser()
            .parse(BlueprintParser.toJson(codified).getBytes(StandardCharsets.UTF_8), "json");
    assertEquals(codified.contentHash(), posted.contentHash());
    assertTrue(governor.ingestBlueprint(posted, "loader", false).replay());
  }
}
