package org.plumbline.ontology.ledger;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the ledger's key rotations from a key an auditor trusts: each rotation after that key
 * must be signed by the key before it, so the key a chain ends at is vouched for by the trusted
 * one. Rotations before the trusted key (it is a later key of the chain) are skipped.
 *
 * @param key the key the chain ends at (the trusted key itself when no rotation follows it)
 * @param fingerprints the keys followed, the trusted key first
 * @param problem null when every rotation followed is signed by its predecessor, else what broke
 */
public record KeyChain(PublicKey key, List<String> fingerprints, String problem) {
  public static KeyChain follow(PublicKey trusted, List<KeyRotation> rotations) {
    String fp = LedgerKeys.fingerprint(trusted);
    int start = 0;
    for (int i = 0; i < rotations.size(); i++) {
      if (fp.equals(rotations.get(i).newFingerprint())) {
        start = i + 1; // the trusted key is a later one: the rotations up to it need no check
      }
    }
    PublicKey current = trusted;
    List<String> path = new ArrayList<>(List.of(fp));
    for (int i = start; i < rotations.size(); i++) {
      KeyRotation r = rotations.get(i);
      String problem = r.problemUnder(current);
      if (problem != null) {
        return new KeyChain(
            current,
            path,
            "key rotation "
                + (i + 1)
                + " of the export's key chain (at ledger size "
                + r.ledgerSize()
                + ") does not follow from the key "
                + LedgerKeys.fingerprint(current)
                + ": "
                + problem);
      }
      try {
        current = r.newKey();
      } catch (GeneralSecurityException e) {
        return new KeyChain(current, path, "key rotation " + (i + 1) + ": " + e.getMessage());
      }
      path.add(r.newFingerprint());
    }
    return new KeyChain(current, List.copyOf(path), null);
  }

  public boolean valid() {
    return problem == null;
  }
}
