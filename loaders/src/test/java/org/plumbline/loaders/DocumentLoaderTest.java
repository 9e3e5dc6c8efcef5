package org.plumbline.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.plumbline.loaders.internal.Redaction;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;

/** Detection, options against what files imply, and the documents the CLI sends on. */
class DocumentLoaderTest {
  static final Instant FALLBACK = Instant.parse("2026-11-20T00:00:00Z");
  final DocumentLoader loader = new DocumentLoader();

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFileOfNoKnownFormatIsRefusedWithTheKnownNames() {
    PlumblineException e =
        assertThrows(
            PlumblineException.class,
            () ->
                loader.load(
                    bytes("{\"hello\": 1, \"world\": 2}"),
                    null,
                    LoadContext.fallingBackTo(FALLBACK)));
    assertEquals(LoaderError.UNKNOWN_FORMAT, e.code());
    assertTrue(e.details().get(0).contains("'hello', 'world'"), e.details().toString());
    assertTrue(e.details().get(0).contains("terraform, kubernetes"), e.details().toString());
  }

  @Test
  void formatNamesAndAliases() {
    assertEquals(Format.KUBERNETES, Format.named("k8s"));
    assertEquals(Format.OTLP, Format.named("OTel"));
    assertEquals(Format.LAUNCHDARKLY, Format.named("ld"));
    assertEquals(Format.CHANGE_REQUESTS, Format.named("change-requests"));
    PlumblineException e = assertThrows(PlumblineException.class, () -> Format.named("xml"));
    assertEquals(LoaderError.UNKNOWN_FORMAT, e.code());
  }

  @Test
  void contractFormatsAreDetectedAndParsedByTheirOwnParsers() {
    byte[] snapshot = BlueprintParserTest.resource("snapshot-contract-example/input.json");
    Loaded loaded = loader.load(snapshot, null, LoadContext.fallingBackTo(FALLBACK));
    assertEquals(Format.SNAPSHOT, loaded.format());
    assertEquals(
        new SnapshotParser().parse(snapshot), ((Loaded.SnapshotsLoaded) loaded).snapshots().get(0));

    Loaded blueprint =
        loader.load(
            BlueprintParserTest.resource("blueprint-contract-example-yaml/input.yaml"),
            null,
            LoadContext.fallingBackTo(FALLBACK));
    assertInstanceOf(Loaded.BlueprintLoaded.class, blueprint);

    Loaded requests =
        loader.load(
            BlueprintParserTest.resource("change-requests-contract-example/input.json"),
            null,
            LoadContext.fallingBackTo(FALLBACK));
    assertEquals(Format.CHANGE_REQUESTS, requests.format());
  }

  @Test
  void aContractSnapshotKeepsItsOwnEnvironmentAndInstantWhateverTheOptions() {
    byte[] snapshot = BlueprintParserTest.resource("snapshot-contract-example/input.json");
    LoadContext options =
        LoadContext.fallingBackTo(FALLBACK)
            .withEnvironment("other")
            .withObservedAt(Instant.parse("2030-01-01T00:00:00Z"));
    Snapshot s = ((Loaded.SnapshotsLoaded) loader.load(snapshot, null, options)).snapshots().get(0);
    assertEquals("credit-model-prod", s.environment());
    assertEquals(Instant.parse("2026-11-20T10:00:00Z"), s.observedAt());
  }

  @Test
  void optionsOverrideWhatAKubernetesDumpImplies() {
    byte[] dump = BlueprintParserTest.resource("kubernetes-kubectl-list-noisy/input.json");
    Snapshot implied =
        only(loader.load(dump, null, LoadContext.fallingBackTo(FALLBACK).withEnvironment("e")));
    assertEquals(Instant.parse("2026-11-19T22:41:07Z"), implied.observedAt());
    assertEquals("k8s/kubectl-edit", implied.source());

    Instant given = Instant.parse("2026-11-20T12:00:00Z");
    Snapshot explicit =
        only(
            loader.load(
                dump,
                null,
                LoadContext.fallingBackTo(FALLBACK).withEnvironment("e").withObservedAt(given)));
    assertEquals(given, explicit.observedAt());
    assertEquals("k8s/kubectl-edit", explicit.source(), "the actor is kept");
  }

  @Test
  void theEnvironmentLabelWinsOverTheFolderAndLosesToTheOption() {
    byte[] secret = BlueprintParserTest.resource("kubernetes-secret-by-label/input.yaml");
    LoadContext folder = LoadContext.fallingBackTo(FALLBACK).withFallbackEnvironment("folder");
    Loaded.SnapshotsLoaded byLabel = (Loaded.SnapshotsLoaded) loader.load(secret, null, folder);
    assertEquals(
        List.of("fraud-model-prod", "fraud-model-staging"),
        byLabel.snapshots().stream().map(Snapshot::environment).toList());
    PlumblineException duplicate =
        assertThrows(
            PlumblineException.class,
            () -> loader.load(secret, null, folder.withEnvironment("one-environment")));
    // Forced into one environment, the two ConfigMaps named router are the same object twice.
    assertEquals(LoaderError.INVALID_KUBERNETES, duplicate.code());
    assertTrue(
        duplicate.details().get(0).contains("duplicate object ConfigMap fraud-serving/router"));
  }

  @Test
  void theFolderGivesTheEnvironmentOfAFileThatNamesNone() {
    byte[] flags = BlueprintParserTest.resource("flagd-flags/input.json");
    Snapshot s =
        only(
            loader.load(
                flags,
                null,
                LoadContext.fallingBackTo(FALLBACK).withFallbackEnvironment("folder")));
    assertEquals("folder", s.environment());
    assertEquals(FALLBACK, s.observedAt());
  }

  /** The CLI posts snapshots of every format as contract JSON: it must mean the same snapshot. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "terraform-state-modules/input.json",
        "kubernetes-kubectl-list-noisy/input.json",
        "litellm-config-full/input.yaml",
        "otlp-alias-request/input.json",
        "flagd-flags/input.json",
        "launchdarkly-api-flags/input.json"
      })
  void snapshotsRoundTripThroughTheContractJson(String input) {
    Snapshot s =
        only(
            loader.load(
                BlueprintParserTest.resource(input),
                null,
                LoadContext.fallingBackTo(FALLBACK).withEnvironment("e")));
    Snapshot back = new SnapshotParser().parse(bytes(SnapshotParser.toJson(s)));
    assertEquals(s, back);
  }

  @Test
  void changeRequestsRoundTripThroughTheContractJson() {
    Loaded.ChangeRequestsLoaded loaded =
        (Loaded.ChangeRequestsLoaded)
            loader.load(
                BlueprintParserTest.resource("servicenow-table-api/input.json"),
                null,
                LoadContext.fallingBackTo(FALLBACK).withEnvironment("fraud-model-prod"));
    assertEquals(
        loaded.requests(),
        new ChangeRequestParser().parse(bytes(ChangeRequestParser.toJson(loaded.requests()))));
  }

  @Test
  void promptDocumentsLeaveOutWhatTheyLack() {
    assertEquals(
        "{\"id\":\"p\",\"version\":\"3\",\"text\":\"Hi\"}",
        new PromptVersionDocument("p", "3", "Hi", null, null, null, null).toJson());
    assertEquals(
        "{\"id\":\"p\",\"version\":\"3\",\"text\":\"Hi\",\"testedWithModel\":\"m\","
            + "\"evalScore\":0.93,\"evalSuite\":\"s\",\"verifiedAt\":\"2026-08-01T00:00:00Z\"}",
        new PromptVersionDocument(
                "p",
                "3",
                "Hi",
                "m",
                new BigDecimal("0.93"),
                "s",
                Instant.parse("2026-08-01T00:00:00Z"))
            .toJson());
  }

  @Test
  void secretNames() {
    for (String secret :
        List.of(
            "api_key",
            "apiKey",
            "master_key",
            "redis_password",
            "auth_token",
            "aws_secret_access_key",
            "database_url",
            "client-secret",
            "apikey")) {
      assertTrue(Redaction.isSecretName(secret), secret);
    }
    for (String plain :
        List.of("max_tokens", "key", "model", "tokens_per_minute", "monkey", "keyword")) {
      assertFalse(Redaction.isSecretName(plain), plain);
    }
  }

  @Test
  void anOtlpFileWithoutGenAiSpansLoadsNothing() {
    Loaded.SnapshotsLoaded loaded =
        (Loaded.SnapshotsLoaded)
            loader.load(
                BlueprintParserTest.resource("otlp-no-genai-spans/input.json"),
                null,
                LoadContext.fallingBackTo(FALLBACK).withEnvironment("e"));
    assertTrue(loaded.snapshots().isEmpty());
    assertTrue(
        loaded.notes().stream().anyMatch(n -> n.contains("nothing to load")),
        loaded.notes().toString());
  }

  private static Snapshot only(Loaded loaded) {
    List<Snapshot> snapshots = ((Loaded.SnapshotsLoaded) loaded).snapshots();
    assertEquals(1, snapshots.size());
    return snapshots.get(0);
  }
}
