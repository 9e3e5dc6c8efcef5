package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.server.cli.Main;

/**
 * Issue 14 (a token on the command line is visible in the process list) and issue 13 (usage and a
 * way forward): tokens from a file or PLUMBLINE_TOKEN, --token warns; every command answers --help;
 * an offline export of a folder a server holds says how to proceed, and exports through the server.
 */
class CommandLineTokensTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(Map<String, String> env, String... args) {
    out.reset();
    err.reset();
    return new Main(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .withEnvironment(env::get)
        .run(args);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyCommandAnswersHelpWithItsUsage() {
    for (String command :
        List.of(
            "serve",
            "load",
            "rules",
            "audit",
            "backup",
            "restore",
            "rebuild",
            "hash-token",
            "bench")) {
      assertEquals(0, run(Map.of(), command, "--help"), command + ": " + err());
      assertTrue(out().startsWith("usage: plumbline " + command), command + ": " + out());
      assertEquals("", err(), command);
    }
    assertEquals(0, run(Map.of(), "load", "--server", "http://x", "-h"));
    assertTrue(out().contains("--token-file F"), out());
    assertTrue(out().contains("PLUMBLINE_TOKEN"), out());
  }

  @Test
  void tokensComeFromAFileOrTheEnvironmentAndTokenOnTheCommandLineWarns(@TempDir Path dir)
      throws Exception {
    try (SecurityWorld w = new SecurityWorld(dir.resolve("data"), c -> c)) {
      String server = "http://127.0.0.1:" + w.server.port();
      String auditor = SecurityWorld.TOKENS.get("auditor");
      Path tokenFile = dir.resolve("token");
      Files.writeString(tokenFile, auditor + "\n");
      // Through the server: the REST export, with the token from a file, then from the env.
      assertEquals(
          0,
          run(
              Map.of(),
              "audit",
              "export",
              "--server",
              server,
              "--token-file",
              tokenFile.toString()),
          err());
      assertTrue(out().contains("\"records\""), out());
      assertEquals("", err());
      assertEquals(
          0,
          run(
              Map.of("PLUMBLINE_TOKEN", auditor),
              "audit",
              "export",
              "--server",
              server,
              "--environment",
              "credit-model-prod",
              "--format",
              "csv"));
      assertTrue(out().lines().count() > 1, out());
      assertEquals("", err());
      // --token still works, with one warning that names the safer ways.
      assertEquals(0, run(Map.of(), "audit", "export", "--server", server, "--token", auditor));
      assertEquals(1, err().lines().count(), err());
      assertTrue(err().contains("warning") && err().contains("--token-file"), err());
      assertFalse(err().contains(auditor));
      // No token at all: usage error.
      assertEquals(2, run(Map.of(), "audit", "export", "--server", server));
      assertTrue(err().contains("--token-file"), err());
    }
    // Offline against a folder another process holds (as a running server does): STORE_LOCKED,
    // and how to proceed.
    Path held = dir.resolve("held");
    Process holder = StoreHolder.hold(held);
    try {
      assertEquals(1, run(Map.of(), "audit", "export", "--data", held.toString()));
      assertTrue(err().contains("STORE_LOCKED"), err());
      assertTrue(err().contains("--server URL --token-file F"), err());
      assertTrue(err().contains("plumbline backup"), err());
      assertEquals(1, run(Map.of(), "audit", "verify", "--data", held.toString()));
      assertTrue(err().contains("STORE_LOCKED") && err().contains("/api/v1/audit/verify"), err());
    } finally {
      holder.getOutputStream().close();
      holder.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
      holder.destroyForcibly();
    }
  }
}
