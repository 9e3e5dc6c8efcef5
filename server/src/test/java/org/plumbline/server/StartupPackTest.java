package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.RulePackActivation;
import org.plumbline.server.config.ServerConfig;

/**
 * A server starting on a pack other than the recorded one activates it only if its golden cases
 * pass, and records the activation; a broken edit made while it was down keeps it from starting.
 */
class StartupPackTest {

  @Test
  void aPackEditedWhileTheServerWasDownIsTestedBeforeItIsActivated(@TempDir Path dir)
      throws Exception {
    Path pack = dir.resolve("pack");
    CrashDuringMaintenanceIT.copy(Path.of("../rules/packs/default"), pack);
    ServerConfig config =
        ServerConfig.defaults().withPort(0).withData(dir.resolve("data")).withRules(pack);

    String first;
    try (PlumblineServer server = PlumblineServer.start(config, Clock.systemUTC())) {
      first = server.rulePack().version();
      AuditRecord a = server.store().read(r -> RulePackActivation.active(r)).orElseThrow();
      assertEquals(first, a.subject());
      assertEquals("system", a.actor());
      assertTrue(a.detail().contains("\"trigger\":\"startup\""), a.detail());
    }

    // A golden case that now expects the wrong severity: the pack compiles, its cases fail.
    Path cases = pack.resolve("tests/severity.json");
    String good = Files.readString(cases);
    String broken = good.replaceFirst("\"severity\": *\"HIGH\"", "\"severity\": \"LOW\"");
    assertNotEquals(good, broken, "the edit must change a case");
    Files.writeString(cases, broken);
    CrashDuringMaintenanceIT.marker(pack, 1); // and a new version
    PlumblineException e =
        assertThrows(
            PlumblineException.class, () -> PlumblineServer.start(config, Clock.systemUTC()));
    assertEquals(RuleError.PACK_TEST_FAILED, e.code());

    // Repaired: the new pack starts, and the ledger names it with the cases it passed.
    Files.writeString(cases, good);
    try (PlumblineServer server = PlumblineServer.start(config, Clock.systemUTC())) {
      String second = server.rulePack().version();
      assertNotEquals(first, second);
      List<AuditRecord> activations =
          server.store().read(r -> r.audit(null, null, null)).stream()
              .filter(r -> r.action().equals(RulePackActivation.ACTION))
              .toList();
      assertEquals(List.of(first, second), activations.stream().map(AuditRecord::subject).toList());
      assertTrue(
          activations.get(1).detail().contains("\"testsPassed\":"), activations.get(1).detail());
      assertTrue(
          activations.get(1).detail().contains("\"previous\":\"" + first + "\""),
          activations.get(1).detail());
    }
  }
}
