package org.plumbline.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.ServerError;

class ServerConfigTest {
  @Test
  void defaultsAreTheContractsDefaults() {
    ServerConfig d = ServerConfig.defaults();
    assertEquals(8080, d.port());
    assertEquals(Path.of("data"), d.data());
    assertEquals(Path.of("rules"), d.rules());
    assertEquals(Duration.ofMinutes(1), d.schedulerInterval());
    assertEquals(16L * 1024 * 1024, d.bodyLimitBytes());
    assertEquals(Duration.ofDays(1), d.compactionInterval());
    assertEquals(2.25, d.compactionGrowth());
    assertTrue(d.tokens().isEmpty());
  }

  @Test
  void aFileIsReadWithPathsRelativeToIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("plumbline.yaml");
    Files.writeString(
        file,
        """
        port: 9090
        data: ./store
        auth:
          tokens:
            - { token: "0123456789abcdef-bob", user: bob, roles: [approver, model-risk] }
        scheduler:
          interval: PT30S
          compaction: PT6H
          compactionGrowth: 1.8
        webhooks:
          - url: http://127.0.0.1:9/hook
            secret: s3cret
            events: [drift.opened]
        """);
    ServerConfig c = ServerConfig.load(file);
    assertEquals(9090, c.port());
    assertEquals(dir.resolve("./store"), c.data());
    assertEquals(Set.of("approver", "model-risk"), c.tokens().get(0).roles());
    assertEquals(Duration.ofSeconds(30), c.schedulerInterval());
    assertEquals(Duration.ofHours(6), c.compactionInterval());
    assertEquals(1.8, c.compactionGrowth());
    assertEquals("drift.opened", c.webhooks().get(0).events().get(0));
  }

  @Test
  void everyProblemIsReportedAtOnce(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        port: 99999
        colour: blue
        auth:
          tokens:
            - { token: short, user: "", roles: [wizard] }
        scheduler: { interval: soon, compaction: PT0S, compactionGrowth: 0.9 }
        webhooks:
          - { url: "http://127.0.0.1:9/hook", events: [drift.opened, drift.reopened] }
        """);
    PlumblineException e = assertThrows(PlumblineException.class, () -> ServerConfig.load(file));
    assertEquals(ServerError.INVALID_CONFIG, e.code());
    String details = String.join("\n", e.details());
    for (String where :
        new String[] {
          "/port",
          "/colour",
          "/auth/tokens/0/token",
          "/auth/tokens/0/user",
          "/auth/tokens/0/roles",
          "/scheduler/interval",
          "/scheduler/compaction",
          "/scheduler/compactionGrowth",
          "/webhooks/0/events/1: unknown event 'drift.reopened'"
        }) {
      assertTrue(details.contains(where), where + " missing from " + details);
    }
  }

  @Test
  void aSharedStoreIsNamedByItsSparqlUrlWithItsCredentials(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("plumbline.yaml");
    Files.writeString(
        file,
        """
        store: { sparql: "http://store:3030/plumbline/", user: plumbline, password: s3cret }
        secrets: { hmacKey: ./shared.key }
        """);
    ServerConfig c = ServerConfig.load(file);
    assertTrue(c.sharedStore());
    assertEquals("http://store:3030/plumbline", c.store().url());
    assertTrue(c.store().authorization().startsWith("Basic "));
    assertTrue(!c.store().toString().contains("s3cret"), "the password stays out of messages");
    assertTrue(!ServerConfig.defaults().sharedStore());
  }

  @Test
  void aSharedStoreNeedsAUrlAndOneKeyFileForAllServers(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "store: { sparql: ftp://x, token: t, user: u, colour: blue }\n");
    PlumblineException e = assertThrows(PlumblineException.class, () -> ServerConfig.load(file));
    assertTrue(String.join("\n", e.details()).contains("/store/sparql"), e.details().toString());
    Files.writeString(file, "store: { sparql: http://store/plumbline, token: t, user: u }\n");
    String details =
        String.join(
            "\n", assertThrows(PlumblineException.class, () -> ServerConfig.load(file)).details());
    assertTrue(details.contains("not both"), details);
    assertTrue(details.contains("/secrets/hmacKey"), details);
  }
}
