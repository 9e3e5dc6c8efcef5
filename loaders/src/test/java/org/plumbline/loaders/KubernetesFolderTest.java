package org.plumbline.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;

/** One environment's folder of manifests is one snapshot of all its objects. */
class KubernetesFolderTest {
  private static final LoadContext CONTEXT =
      LoadContext.fallingBackTo(Instant.parse("2026-11-20T00:00:00Z"))
          .withFallbackEnvironment("credit-serving-prod");

  @Test
  void aFolderOfManifestsIsOneSnapshotOfAllItsObjects() throws Exception {
    Loaded loaded =
        new DocumentLoader(ParseLimits.DEFAULT, GoldenCasesTest.KEY)
            .loadKubernetesFolder("credit-serving-prod/", files("credit-serving-prod"), CONTEXT);

    List<Snapshot> snapshots = ((Loaded.SnapshotsLoaded) loaded).snapshots();
    assertEquals(1, snapshots.size());
    Snapshot snapshot = snapshots.get(0);
    assertEquals("credit-serving-prod", snapshot.environment());
    var keys = snapshot.config().values();
    assertEquals("3", keys.get("k8s.Deployment.credit-serving.credit-assistant.spec.replicas"));
    assertEquals(
        "\"0.3\"",
        keys.get(
            "k8s.Deployment.credit-serving.credit-assistant.spec.template.spec.containers[0]"
                + ".env[1].value"));
    assertEquals("80", keys.get("k8s.Service.credit-serving.credit-assistant.spec.ports[0].port"));
    assertEquals(
        "\"4.0.0\"",
        keys.get("k8s.ConfigMap.credit-serving.assistant-prompts.data.system-prompt-version"));
    assertEquals(
        "2", keys.get("k8s.PodDisruptionBudget.credit-serving.credit-assistant.spec.minAvailable"));
    assertEquals(
        "one snapshot of 3 files in credit-serving-prod/, as kubectl apply -f credit-serving-prod/"
            + " sees them",
        loaded.notes().get(0));
    assertTrue(loaded.notes().get(1).startsWith("4 objects"), loaded.notes().toString());
  }

  @Test
  void aBlueprintsMapTurnsTheFolderIntoGovernedKeysWithTheSourceAsProvenance() throws Exception {
    KeyMapping mapping =
        new BlueprintParser()
            .parseMapped(BlueprintParserTest.resource("blueprint-key-mapping/input.yaml"), null)
            .mapping();
    Loaded loaded =
        new DocumentLoader(ParseLimits.DEFAULT, GoldenCasesTest.KEY)
            .loadKubernetesFolder(
                "credit-serving-prod/", files("credit-serving-prod"), CONTEXT.withMapping(mapping));

    var keys = ((Loaded.SnapshotsLoaded) loaded).snapshots().get(0).config().values();
    assertEquals("0.3", keys.get("llm.temperature"));
    assertEquals("\"registry.example.org/credit/assistant:2.3.0\"", keys.get("container.image"));
    assertTrue(
        loaded.notes().stream()
            .anyMatch(
                n ->
                    n.contains(
                        "llm.temperature <- k8s.Deployment.credit-serving.credit-assistant.spec"
                            + ".template.spec.containers[0].env[1].value")),
        loaded.notes().toString());
  }

  @Test
  void theSameObjectInTwoFilesIsADuplicateThatNamesBothFiles() throws Exception {
    List<DocumentLoader.NamedContent> files = files("credit-serving-prod");
    List<DocumentLoader.NamedContent> twice =
        List.of(
            files.get(0),
            files.get(1),
            files.get(2),
            new DocumentLoader.NamedContent("copy.yaml", files.get(2).content()));
    PlumblineException e =
        assertThrows(
            PlumblineException.class,
            () -> new DocumentLoader().loadKubernetesFolder("prod/", twice, CONTEXT));
    assertEquals(LoaderError.INVALID_KUBERNETES, e.code());
    assertTrue(
        e.details()
            .contains(
                "copy.yaml: document 1 (line 1)/metadata: duplicate object Service"
                    + " credit-serving/credit-assistant, as at service.yaml: document 1 (line 1)"),
        e.details().toString());
  }

  @Test
  void aFolderWithOtherFilesIsRefusedNamingThem() throws Exception {
    PlumblineException e =
        assertThrows(
            PlumblineException.class,
            () ->
                new DocumentLoader()
                    .loadKubernetesFolder("mixed/", files("mixed-folder"), CONTEXT));
    assertEquals(LoaderError.INVALID_KUBERNETES, e.code());
    assertEquals(
        List.of(
            "litellm.yaml: holds a document that is not a Kubernetes object (apiVersion, kind)"),
        e.details());
  }

  @Test
  void aMalformedManifestIsRefusedWithItsFileAndPointer() throws Exception {
    List<DocumentLoader.NamedContent> files =
        files("mixed-folder").stream().filter(f -> !f.name().equals("litellm.yaml")).toList();
    PlumblineException e =
        assertThrows(
            PlumblineException.class,
            () -> new DocumentLoader().loadKubernetesFolder("mixed/", files, CONTEXT));
    assertEquals(LoaderError.INVALID_KUBERNETES, e.code());
    assertTrue(
        e.details().contains("broken.yaml: document 1 (line 1)/metadata/name: is required"),
        e.details().toString());
  }

  static List<DocumentLoader.NamedContent> files(String folder) throws IOException {
    Path dir;
    try {
      dir =
          Path.of(
              Objects.requireNonNull(KubernetesFolderTest.class.getResource("/folders/" + folder))
                  .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted()
          .map(
              f -> {
                try {
                  return new DocumentLoader.NamedContent(
                      f.getFileName().toString(), Files.readAllBytes(f));
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              })
          .toList();
    }
  }
}
