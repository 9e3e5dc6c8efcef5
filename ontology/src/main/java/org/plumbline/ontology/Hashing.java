package org.plumbline.ontology;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as lowercase hex: the one digest Plumbline uses for content hashes, identities and the
 * audit chain. Public API: every module hashes through it, so a content hash computed in one module
 * matches the one another computes.
 */
public final class Hashing {
  private Hashing() {}

  /** The SHA-256 of the text's UTF-8 bytes, as 64 lowercase hex digits. */
  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The SHA-256 of {@code bytes}, as 64 lowercase hex digits. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
