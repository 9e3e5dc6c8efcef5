package org.plumbline.server.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.plumbline.governance.Caller;
import org.plumbline.governance.Command;
import org.plumbline.governance.Governor;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.ledger.KeyRotation;
import org.plumbline.ontology.ledger.LedgerKeys;
import org.plumbline.server.ServerError;
import org.plumbline.server.config.OwnerOnlyFile;

/**
 * Rotates the ledger's signing key: a new Ed25519 key, and a {@value KeyRotation#ACTION} ledger
 * record (through the {@link Governor}, so journaled and replayed by a rebuild) holding the new
 * public key, both fingerprints, the ledger's size and the old key's signature over them. Exports
 * carry these records as their key chain, so an auditor holding the old public key can follow it to
 * the new one.
 *
 * <p>The data folder's key ({@value LedgerSigner#KEY_FILE}) is replaced: the new key is written to
 * {@value #NEXT_FILE} first, the rotation recorded, then the new file moved over the old one. The
 * old private key is removed, not kept: a retired key that still exists could sign a rival
 * rotation, and verification needs only its public half, which the rotation record keeps. A
 * rotation interrupted between its record and the move is finished at the next start ({@link
 * #finishInterrupted}).
 */
public final class SigningKeyRotation {
  /** Where the new key waits while its rotation is being recorded. */
  public static final String NEXT_FILE = "audit-signing.next.pem";

  private SigningKeyRotation() {}

  /** What a rotation did: the key now signing, and the ledger's length after the record. */
  public record Rotated(LedgerSigner signer, KeyRotation rotation, long ledgerSize) {}

  /**
   * Rotates the key in {@code keyFile} (the data folder's): the new key replaces it once the
   * rotation is recorded.
   */
  public static Rotated rotateFile(Path keyFile, Governor governor, Caller caller) {
    LedgerSigner old = LedgerSigner.read(keyFile, false);
    Path next = keyFile.resolveSibling(NEXT_FILE);
    try {
      Files.deleteIfExists(next);
      String pem = LedgerKeys.newPrivateKeyPem();
      OwnerOnlyFile.create(next, pem);
      Rotated r;
      try {
        r = record(old, LedgerSigner.ofPem(pem), governor, caller);
      } catch (RuntimeException e) {
        Files.deleteIfExists(next);
        throw e;
      }
      Files.move(
          next, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return r;
    } catch (IOException | GeneralSecurityException e) {
      throw new PlumblineException(
          ServerError.INTERNAL, "cannot rotate the audit signing key: " + e.getMessage());
    }
  }

  /**
   * Records the rotation from the key in {@code oldFile} to the one in {@code newFile}, both kept
   * by the operator (an {@code audit.signingKey} in their own secret store); no file is touched.
   */
  public static Rotated rotateTo(Path oldFile, Path newFile, Governor governor, Caller caller) {
    LedgerSigner old = LedgerSigner.read(oldFile, false);
    LedgerSigner next = LedgerSigner.read(newFile, false);
    if (old.fingerprint().equals(next.fingerprint())) {
      throw new PlumblineException(
          StoreError.KEY_ROTATION_INVALID,
          "the new key is the old key",
          List.of("--new-key: " + newFile));
    }
    try {
      return record(old, next, governor, caller);
    } catch (GeneralSecurityException e) {
      throw new PlumblineException(
          ServerError.INTERNAL, "cannot sign the key rotation: " + e.getMessage());
    }
  }

  private static Rotated record(
      LedgerSigner old, LedgerSigner next, Governor governor, Caller caller)
      throws GeneralSecurityException {
    long size = governor.store().read(StoreReader::auditCount);
    KeyRotation rotation = old.rotationTo(next, size);
    long after = governor.execute(new Command.RotateSigningKey(rotation, caller));
    return new Rotated(next, rotation, after);
  }

  /**
   * A rotation interrupted after its record and before its key file moved: the waiting key is the
   * one the ledger's last rotation names, so it is moved in; any other waiting key is dropped (its
   * rotation was never recorded).
   */
  public static void finishInterrupted(Path keyFile, StoreReader r) {
    Path next = keyFile.resolveSibling(NEXT_FILE);
    if (!Files.exists(next)) {
      return;
    }
    try {
      LedgerSigner waiting = LedgerSigner.ofPem(Files.readString(next, StandardCharsets.UTF_8));
      List<KeyRotation> chain = chain(r);
      if (!chain.isEmpty()
          && chain.get(chain.size() - 1).newFingerprint().equals(waiting.fingerprint())) {
        Files.move(
            next, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.delete(next);
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new PlumblineException(
          ServerError.INVALID_CONFIG,
          "cannot finish the interrupted key rotation in " + next + ": " + e.getMessage(),
          List.of(next.toString()));
    }
  }

  /**
   * Installs {@code keyFile} as the signing key of a restored data folder, once it is checked to be
   * the ledger's key: the one its last rotation names (any key when the ledger has no rotation).
   */
  public static LedgerSigner install(Path keyFile, Path data, StoreReader r) {
    LedgerSigner key = LedgerSigner.read(keyFile, false);
    List<KeyRotation> chain = chain(r);
    String expected = chain.isEmpty() ? null : chain.get(chain.size() - 1).newFingerprint();
    if (expected != null && !expected.equals(key.fingerprint())) {
      throw new PlumblineException(
          StoreError.KEY_ROTATION_INVALID,
          "the key "
              + keyFile
              + " ("
              + key.fingerprint()
              + ") is not the ledger's signing key: its last rotation names "
              + expected,
          List.of("--signing-key: " + keyFile));
    }
    try {
      Path target = data.resolve(LedgerSigner.KEY_FILE);
      Files.deleteIfExists(target);
      OwnerOnlyFile.create(target, Files.readString(keyFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new PlumblineException(
          ServerError.INTERNAL, "cannot install the signing key: " + e.getMessage());
    }
    return key;
  }

  /** The ledger's key rotations, oldest first. */
  public static List<KeyRotation> chain(StoreReader r) {
    List<KeyRotation> out = new ArrayList<>();
    for (AuditRecord a : r.auditOfAction(KeyRotation.ACTION)) {
      try {
        out.add(KeyRotation.fromJson(a.detail()));
      } catch (IOException e) {
        throw new IllegalStateException("key rotation record " + a.seq() + " is not JSON", e);
      }
    }
    return out;
  }
}
