package org.plumbline.server.export;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.ledger.LedgerKeys;
import org.plumbline.ontology.ledger.TreeHead;
import org.plumbline.server.ServerError;
import org.plumbline.server.config.OwnerOnlyFile;

/**
 * The ledger's Ed25519 signing key: from {@code audit.signingKey} (a PKCS#8 PEM file) when
 * configured, else {@value #KEY_FILE} in the data folder, which the first start creates (readable
 * by its owner only) and every later one keeps until it is rotated ({@link SigningKeyRotation}). It
 * signs every checkpoint and every export's tree head; {@code GET /api/v1/audit/public-key} serves
 * the public half.
 */
public final class LedgerSigner {
  /** The signing key's file in the data folder, when {@code audit.signingKey} names none. */
  public static final String KEY_FILE = "audit-signing.pem";

  private final PrivateKey key;
  private final PublicKey publicKey;

  private LedgerSigner(PrivateKey key, PublicKey publicKey) {
    this.key = key;
    this.publicKey = publicKey;
  }

  /**
   * The key in {@code file}.
   *
   * @param create whether a missing file is created with a new key
   */
  public static LedgerSigner read(Path file, boolean create) {
    try {
      if (!Files.exists(file)) {
        if (!create) {
          throw new PlumblineException(
              ServerError.INVALID_CONFIG,
              "audit.signingKey: " + file + " does not exist",
              List.of("/audit/signingKey: " + file));
        }
        createKey(file);
      }
      PrivateKey k = LedgerKeys.privateKey(Files.readString(file, StandardCharsets.UTF_8));
      return new LedgerSigner(k, LedgerKeys.publicOf(k));
    } catch (IOException | GeneralSecurityException e) {
      throw new PlumblineException(
          ServerError.INVALID_CONFIG,
          "cannot read the audit signing key "
              + file
              + " (an Ed25519 PKCS#8 PEM): "
              + e.getMessage(),
          List.of("/audit/signingKey: " + file));
    }
  }

  /** The key of a data folder, or null when it has none (an offline export is then unsigned). */
  public static LedgerSigner ofDataIfPresent(Path data) {
    Path f = data.resolve(KEY_FILE);
    return Files.exists(f) ? read(f, false) : null;
  }

  /** A key from its PKCS#8 PEM text. */
  static LedgerSigner ofPem(String pem) throws GeneralSecurityException {
    PrivateKey k = LedgerKeys.privateKey(pem);
    return new LedgerSigner(k, LedgerKeys.publicOf(k));
  }

  /** The rotation from this key to {@code next} at {@code ledgerSize}, signed by this key. */
  org.plumbline.ontology.ledger.KeyRotation rotationTo(LedgerSigner next, long ledgerSize)
      throws GeneralSecurityException {
    return org.plumbline.ontology.ledger.KeyRotation.sign(key, next.publicKey, ledgerSize);
  }

  public String publicKeyPem() {
    return LedgerKeys.publicKeyPem(publicKey);
  }

  public String fingerprint() {
    return LedgerKeys.fingerprint(publicKey);
  }

  /** The tree head with its signature: what an export or a checkpoint carries. */
  public JsonObject signed(TreeHead head) {
    JsonObject o =
        new JsonObject()
            .put("size", head.size())
            .put("root", head.root())
            .put("at", head.at().toString());
    if (head.environment() != null) {
      o.put("environment", head.environment())
          .put("position", head.position())
          .put("hash", head.headHash());
    }
    return o.put("keyFingerprint", fingerprint())
        .put("signature", LedgerKeys.sign(key, head.statement()));
  }

  /** A new key, owner-only from the first byte on (no window with wider modes). */
  private static void createKey(Path file) throws IOException {
    try {
      OwnerOnlyFile.create(file, LedgerKeys.newPrivateKeyPem());
    } catch (FileAlreadyExistsException e) {
      // another process created it first: use theirs
    }
  }
}
