package org.plumbline.ontology.ledger;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.plumbline.ontology.Hashing;

/**
 * Ed25519 (RFC 8032, in the JDK) for the ledger's signatures: signing, verifying, and the PEM forms
 * of keys (PKCS#8 {@code PRIVATE KEY}, X.509 {@code PUBLIC KEY}). A public key is named by its
 * fingerprint, the SHA-256 of its DER encoding.
 */
public final class LedgerKeys {
  private static final String ALGORITHM = "Ed25519";

  private LedgerKeys() {}

  /** A new key pair, as PKCS#8 PEM of the private key. */
  public static String newPrivateKeyPem() {
    try {
      PrivateKey k = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair().getPrivate();
      return pem("PRIVATE KEY", k.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java 17 runtime has Ed25519", e);
    }
  }

  public static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    return KeyFactory.getInstance(ALGORITHM)
        .generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
  }

  public static PublicKey publicKey(String pem) throws GeneralSecurityException {
    return KeyFactory.getInstance(ALGORITHM)
        .generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY")));
  }

  /**
   * The public key of a private one. The JDK keeps no link between them, so the key pair is
   * generated again from the private key's seed (the generator's only random input).
   */
  public static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
    byte[] seed =
        KeyFactory.getInstance(ALGORITHM)
            .getKeySpec(key, java.security.spec.EdECPrivateKeySpec.class)
            .getBytes();
    KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
    g.initialize(
        java.security.spec.NamedParameterSpec.ED25519,
        new java.security.SecureRandom() {
          @Override
          public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
          }
        });
    return g.generateKeyPair().getPublic();
  }

  public static String publicKeyPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  /** The SHA-256 of the key's DER encoding, hex. */
  public static String fingerprint(PublicKey key) {
    return Hashing.sha256Hex(key.getEncoded());
  }

  public static String sign(PrivateKey key, byte[] message) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(message);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the ledger key", e);
    }
  }

  /** Whether {@code signature} (base64) is {@code key}'s over {@code message}; never throws. */
  public static boolean verifies(PublicKey key, byte[] message, String signature) {
    if (key == null || signature == null) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(message);
      return s.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] der(String pem, String type) throws GeneralSecurityException {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf(end);
    if (b < 0 || e < b) {
      throw new GeneralSecurityException("not a PEM " + type);
    }
    try {
      return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
    } catch (IllegalArgumentException ex) {
      throw new GeneralSecurityException("not a PEM " + type + ": " + ex.getMessage());
    }
  }
}
