package org.plumbline.server.auth;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.plumbline.graphql.SignerVerifier;

/**
 * Re-authentication at signing through the server's own authenticator: the credential a signer
 * enters again is checked exactly as a bearer token would be (static tokens, JWT), and the user it
 * stands for is compared with the request's by the GraphQL layer. Runs on a worker thread.
 */
public final class SignerAuth implements SignerVerifier {
  private final Auth auth;

  public SignerAuth(Auth auth) {
    this.auth = auth;
  }

  @Override
  public Optional<String> userOf(String credential) {
    if (credential == null || credential.isBlank() || credential.strip().contains(" ")) {
      return Optional.empty();
    }
    try {
      Auth.Identity id =
          auth.authenticate("Bearer " + credential.strip())
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      return Optional.of(id.caller().user());
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
