package org.plumbline.ontology.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * A change of the ledger's signing key, as the ledger records it ({@value #ACTION}): the new public
 * key, both keys' fingerprints, the ledger's size when the old key signed the rotation, and the old
 * key's Ed25519 signature over those ({@link #statement}). It holds no private key, so a rebuild
 * replays it as it was. The old public key travels with it so that a rotation can be checked on its
 * own; an auditor checks a chain of them from a key they already trust ({@link KeyChain}).
 */
public record KeyRotation(
    String oldPublicKey,
    String newPublicKey,
    String oldFingerprint,
    String newFingerprint,
    long ledgerSize,
    String signature) {
  /** The audit action of a rotation. */
  public static final String ACTION = "audit.key.rotated";

  private static final String DOMAIN = "plumbline.key-rotation.v2";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The rotation from {@code oldKey} to {@code newKey} at {@code ledgerSize}, signed by the old.
   */
  public static KeyRotation sign(PrivateKey oldKey, PublicKey newKey, long ledgerSize)
      throws GeneralSecurityException {
    PublicKey oldPublic = LedgerKeys.publicOf(oldKey);
    KeyRotation unsigned =
        new KeyRotation(
            LedgerKeys.publicKeyPem(oldPublic),
            LedgerKeys.publicKeyPem(newKey),
            LedgerKeys.fingerprint(oldPublic),
            LedgerKeys.fingerprint(newKey),
            ledgerSize,
            null);
    return unsigned.withSignature(LedgerKeys.sign(oldKey, unsigned.statement()));
  }

  private KeyRotation withSignature(String s) {
    return new KeyRotation(
        oldPublicKey, newPublicKey, oldFingerprint, newFingerprint, ledgerSize, s);
  }

  /** The exact bytes the old key signs: one {@code name=value} line per field, then the new PEM. */
  public byte[] statement() {
    return (DOMAIN
            + "\nledgerSize="
            + ledgerSize
            + "\nold="
            + oldFingerprint
            + "\nnew="
            + newFingerprint
            + "\nnewKey=\n"
            + String.valueOf(newPublicKey).strip()
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether {@code key} signed this rotation and the new key is the one its fingerprint names: null
   * when so, else what is wrong.
   */
  public String problemUnder(PublicKey key) {
    if (!LedgerKeys.fingerprint(key).equals(oldFingerprint)) {
      return "it rotates from the key "
          + oldFingerprint
          + ", not from the key "
          + LedgerKeys.fingerprint(key);
    }
    try {
      if (!LedgerKeys.fingerprint(LedgerKeys.publicKey(newPublicKey)).equals(newFingerprint)) {
        return "its new key is not the key its fingerprint " + newFingerprint + " names";
      }
    } catch (GeneralSecurityException e) {
      return "its new key is not a PEM public key: " + e.getMessage();
    }
    if (!LedgerKeys.verifies(key, statement(), signature)) {
      return "it is not signed by the key it rotates from (" + oldFingerprint + ")";
    }
    return null;
  }

  /** Whether it is signed by the old public key it carries (a check of the record alone). */
  public String problem() {
    try {
      return problemUnder(LedgerKeys.publicKey(oldPublicKey));
    } catch (GeneralSecurityException e) {
      return "its old key is not a PEM public key: " + e.getMessage();
    }
  }

  public PublicKey newKey() throws GeneralSecurityException {
    return LedgerKeys.publicKey(newPublicKey);
  }

  /** The JSON object the audit record's detail and an export's key chain hold. */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("oldFingerprint", oldFingerprint)
        .put("newFingerprint", newFingerprint)
        .put("ledgerSize", ledgerSize)
        .put("oldPublicKey", oldPublicKey)
        .put("newPublicKey", newPublicKey)
        .put("signature", signature);
    return o;
  }

  public String toJsonText() {
    return toJson().toString();
  }

  public static KeyRotation fromJson(JsonNode o) {
    return new KeyRotation(
        text(o, "oldPublicKey"),
        text(o, "newPublicKey"),
        text(o, "oldFingerprint"),
        text(o, "newFingerprint"),
        o.path("ledgerSize").asLong(-1),
        text(o, "signature"));
  }

  public static KeyRotation fromJson(String text) throws IOException {
    return fromJson(JSON.readTree(text));
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
