package org.plumbline.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.ServerError;
import org.plumbline.server.config.ServerConfig;

/** The secrets key: {@code secrets.hmacKey}, or the data folder's, created once and kept. */
class HmacKeyTest {
  @Test
  void theDataFoldersKeyIsCreatedOwnerOnlyAndKept(@TempDir Path data) throws Exception {
    String first = HmacKey.ofData(data).marker("hunter2");
    Path file = data.resolve(ServerConfig.HMAC_KEY_FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(Files.readString(file).strip().matches("[0-9a-f]{64}"));
    assertEquals(first, HmacKey.ofData(data).marker("hunter2"));
    assertEquals(first, HmacKey.of(ServerConfig.defaults().withData(data)).marker("hunter2"));
  }

  @Test
  void aConfiguredKeyIsReadAndNeverCreated(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("key.txt");
    ServerConfig config = ServerConfig.defaults().withData(dir.resolve("data")).withHmacKey(key);
    PlumblineException missing = assertThrows(PlumblineException.class, () -> HmacKey.of(config));
    assertEquals(ServerError.INVALID_CONFIG, missing.code());
    assertTrue(Files.notExists(key));

    Files.writeString(key, "too-short\n");
    PlumblineException shortKey = assertThrows(PlumblineException.class, () -> HmacKey.of(config));
    assertEquals(ServerError.INVALID_CONFIG, shortKey.code());
    assertTrue(shortKey.getMessage().contains("at least 32 bytes"), shortKey.getMessage());

    Files.writeString(key, "  a-configured-key-of-at-least-32-bytes  \n");
    String marker = HmacKey.of(config).marker("hunter2");
    assertTrue(marker.startsWith("secret:hmac-sha256:"), marker);
    assertNotEquals(marker, HmacKey.ofData(dir.resolve("data")).marker("hunter2"));
  }

  @Test
  void theSecretsBlockIsReadWithItsPathRelativeToTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("plumbline.yaml");
    Files.writeString(file, "data: ./store\nsecrets:\n  hmacKey: ./keys/hmac.key\n");
    ServerConfig c = ServerConfig.load(file);
    assertEquals(dir.resolve("./keys/hmac.key"), c.hmacKey());
    assertEquals(dir.resolve("./keys/hmac.key"), c.hmacKeyFile());
    Files.writeString(file, "data: ./store\n");
    assertNull(ServerConfig.load(file).hmacKey());
    assertEquals(
        dir.resolve("./store").resolve(ServerConfig.HMAC_KEY_FILE),
        ServerConfig.load(file).hmacKeyFile());
  }

  @Test
  void aBadSecretsBlockIsReportedWithItsPointer(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "secrets:\n  hmacKey: 5\n  hmacKeyFile: x\n");
    PlumblineException e = assertThrows(PlumblineException.class, () -> ServerConfig.load(file));
    assertEquals(ServerError.INVALID_CONFIG, e.code());
    assertTrue(
        e.details().stream().anyMatch(d -> d.startsWith("/secrets/hmacKey:")),
        e.details().toString());
    assertTrue(
        e.details().stream().anyMatch(d -> d.contains("hmacKeyFile")), e.details().toString());
  }
}
