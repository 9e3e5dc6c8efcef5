package org.plumbline.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code plumbline store-server} (Apache Jena Fuseki on TDB2) as a separate JVM, for tests that
 * kill the shared store with SIGKILL. Started on a fixed port, so that the servers' configuration
 * names it across restarts.
 */
final class StoreProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private StoreProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** A port free now, for a store that must keep its address across restarts. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static StoreProcess start(Path data, int port) throws IOException {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            "org.plumbline.server.cli.Main",
            "store-server",
            "--port",
            Integer.toString(port),
            "--data",
            data.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    StringBuilder seen = new StringBuilder();
    String line;
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.contains("servers use it with")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "drain-store");
        drain.setDaemon(true);
        drain.start();
        return new StoreProcess(p, port);
      }
    }
    p.destroyForcibly();
    throw new AssertionError("store server did not start:\n" + seen);
  }

  String url() {
    return "http://127.0.0.1:" + port + "/plumbline";
  }

  /** SIGKILL, and wait until the process is gone (and its port and folder lock with it). */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
  }
}
