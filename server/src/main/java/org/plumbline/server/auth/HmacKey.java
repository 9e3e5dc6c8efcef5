package org.plumbline.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.plumbline.loaders.Secrets;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.ServerError;
import org.plumbline.server.config.OwnerOnlyFile;
import org.plumbline.server.config.ServerConfig;

/**
 * The key secret values are hashed under ({@link Secrets}): one per store, because a marker
 * computed under another key never equals the stored one (every secret would look changed). It is
 * read from {@code secrets.hmacKey} when configured, else from {@value ServerConfig#HMAC_KEY_FILE}
 * in the data folder, which the first start (or the first {@code load --data}) creates, readable by
 * its owner only, and every later one keeps. Back it up with the data folder.
 */
public final class HmacKey {
  private HmacKey() {}

  /** The server's key: {@code config.hmacKeyFile()}, created when it is the data folder's. */
  public static Secrets of(ServerConfig config) {
    return read(config.hmacKeyFile(), config.hmacKey() == null);
  }

  /** The key of a data folder ({@code load --data}, {@code rebuild}), created when missing. */
  public static Secrets ofData(Path data) {
    return read(data.resolve(ServerConfig.HMAC_KEY_FILE), true);
  }

  /**
   * The key in {@code file}: its content without surrounding whitespace, at least {@value
   * Secrets#MIN_KEY_BYTES} bytes.
   *
   * @param create whether a missing file is created with a new random key
   */
  public static Secrets read(Path file, boolean create) {
    try {
      if (!Files.exists(file)) {
        if (!create) {
          throw new PlumblineException(
              ServerError.INVALID_CONFIG,
              "secrets.hmacKey: " + file + " does not exist",
              List.of("/secrets/hmacKey: " + file));
        }
        createKey(file);
      }
      byte[] key =
          new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
              .strip()
              .getBytes(StandardCharsets.UTF_8);
      if (key.length < Secrets.MIN_KEY_BYTES) {
        throw new PlumblineException(
            ServerError.INVALID_CONFIG,
            "the secrets key in " + file + " must be at least " + Secrets.MIN_KEY_BYTES + " bytes",
            List.of("/secrets/hmacKey: " + file));
      }
      return Secrets.withKey(key);
    } catch (IOException e) {
      throw new PlumblineException(
          ServerError.INVALID_CONFIG,
          "cannot read the secrets key " + file + ": " + e.getMessage(),
          List.of("/secrets/hmacKey: " + file));
    }
  }

  /** A new key as 64 hex digits, owner-only from the first byte on (no window with wider modes). */
  private static void createKey(Path file) throws IOException {
    try {
      OwnerOnlyFile.create(file, HexFormat.of().formatHex(Secrets.newKey()) + "\n");
    } catch (FileAlreadyExistsException e) {
      // another process created it first: use theirs
    }
  }
}
