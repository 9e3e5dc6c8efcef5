package org.plumbline.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.Snapshot;

/**
 * Issue 18, class 1: a raw {@code terraform.tfstate} (format version 4, as a backend stores it) is
 * read directly and gives exactly the keys and values that {@code terraform show -json} gives for
 * the same state: the count and for_each instances, the module paths, the redacted sensitive
 * attributes and outputs, with data sources and {@code tags_all} left out. Both documents are ours:
 * {@code cases/terraform-raw-state/input.json} and its {@code show -json} twin.
 */
class TerraformRawStateTest {
  private static final LoadContext CONTEXT =
      LoadContext.fallingBackTo(Instant.parse("2026-11-20T00:00:00Z"))
          .withEnvironment("credit-model-infra");

  @Test
  void aRawStateGivesTheKeysShowJsonGivesForTheSameState() throws Exception {
    DocumentLoader loader = new DocumentLoader(ParseLimits.DEFAULT, GoldenCasesTest.KEY);
    Snapshot raw =
        only(loader.load(resource("cases/terraform-raw-state/input.json"), null, CONTEXT));
    Snapshot shown =
        only(loader.load(resource("terraform/show-json-of-raw-state.json"), null, CONTEXT));

    assertEquals(shown.config().values(), raw.config().values());
    assertEquals(shown.contentHash(), raw.contentHash());
    Map<String, String> keys = raw.config().values();
    assertEquals("\"g5.xlarge\"", keys.get("terraform.aws_instance.inference[0].instance_type"));
    assertTrue(
        keys.get(
                "terraform.module.serving.module.cache.aws_elasticache_cluster.this[\"eu-west-1\"]"
                    + ".auth_token")
            .startsWith("\"secret:hmac-sha256:"));
    assertTrue(keys.get("terraform.outputs.db_password").startsWith("\"secret:hmac-sha256:"));
    assertFalse(
        keys.keySet().stream().anyMatch(k -> k.contains("tags_all") || k.contains("data.")));
    assertFalse(
        keys.values().stream().anyMatch(v -> v.contains("hunter2") || v.contains("s3cr3t")));
  }

  private static Snapshot only(Loaded loaded) {
    assertEquals(Format.TERRAFORM, loaded.format());
    var snapshots = ((Loaded.SnapshotsLoaded) loaded).snapshots();
    assertEquals(1, snapshots.size());
    return snapshots.get(0);
  }

  private static byte[] resource(String name) throws Exception {
    return Files.readAllBytes(
        Path.of(
            Objects.requireNonNull(TerraformRawStateTest.class.getResource("/" + name)).toURI()));
  }
}
