package org.plumbline.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import org.plumbline.server.cli.Main.Options;
import org.plumbline.server.config.ServerConfig;

/** {@code plumbline hash-token [TOKEN]}: prints a token's {@code tokenSha256}. */
final class HashTokenCommand {
  private final PrintStream out;

  HashTokenCommand(PrintStream out) {
    this.out = out;
  }

  /**
   * Prints the {@code tokenSha256} of a token, so config files need not hold tokens in plain text.
   * Reading it from stdin keeps it out of the shell history and the process list.
   */
  int run(Options o) {
    o.allow();
    String token;
    if (o.words().size() == 1) {
      token = o.words().get(0);
    } else if (o.words().isEmpty()) {
      try {
        token =
            new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new Main.UsageException("cannot read the token from stdin: " + e.getMessage());
      }
    } else {
      throw new Main.UsageException("usage: plumbline hash-token [TOKEN]");
    }
    if (token.length() < 16) {
      throw new Main.UsageException("a token needs at least 16 characters");
    }
    out.println(ServerConfig.sha256Hex(token));
    return 0;
  }
}
