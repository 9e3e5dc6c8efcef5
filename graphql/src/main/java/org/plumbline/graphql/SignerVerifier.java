package org.plumbline.graphql;

import java.util.Optional;

/**
 * Re-authentication at signing (21 CFR 11.200): the signer enters their credential again with each
 * {@code approveDisposition} and {@code rejectDisposition}, and the signature is refused unless it
 * authenticates as the same user as the request. The server implements this with its authenticator;
 * the GraphQL layer only compares users.
 */
public interface SignerVerifier {
  /**
   * No re-authentication: for replaying journaled mutations (each passed it when journaled) and for
   * servers configured with {@code approvals.reauthenticate: false}.
   */
  SignerVerifier NOT_REQUIRED =
      new SignerVerifier() {
        @Override
        public Optional<String> userOf(String credential) {
          return Optional.empty();
        }

        @Override
        public boolean required() {
          return false;
        }
      };

  /**
   * The user id the credential (a bearer token, entered again) authenticates as, in the same form
   * as {@link Caller#user()}; empty when it authenticates no one.
   */
  Optional<String> userOf(String credential);

  /** Whether a signature needs a credential at all. */
  default boolean required() {
    return true;
  }
}
