package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.config.ServerConfig;

/**
 * Issue 14, low: no idle or header timeout (500 half-sent requests were held 70 s). Raw sockets
 * send half a request and must be closed within the configured timeouts; the defaults are
 * documented in {@link ServerConfig.HttpSettings} and tested here.
 */
class TimeoutsIT {
  @Test
  void theDefaultsAreAMinuteIdleTenSecondsForHeadersAMinuteForABody(@TempDir Path dir)
      throws Exception {
    ServerConfig.HttpSettings d = ServerConfig.defaults().http();
    assertEquals(Duration.ofSeconds(60), d.idleTimeout());
    assertEquals(Duration.ofSeconds(10), d.headerTimeout());
    assertEquals(Duration.ofSeconds(60), d.bodyTimeout());
    Path file = dir.resolve("plumbline.yaml");
    Files.writeString(file, "http: { headerTimeout: PT2S }\n");
    ServerConfig.HttpSettings some = ServerConfig.load(file).http();
    assertEquals(Duration.ofSeconds(2), some.headerTimeout());
    assertEquals(Duration.ofSeconds(60), some.idleTimeout());
    Files.writeString(
        file, "http: { idleTimeout: soon, headerTimeout: PT0S, bodyTimeout: PT1S, other: 1 }\n");
    PlumblineException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            PlumblineException.class, () -> ServerConfig.load(file));
    assertEquals(ServerError.INVALID_CONFIG, e.code());
    String all = String.join("\n", e.details());
    assertTrue(all.contains("/http/idleTimeout"), all);
    assertTrue(all.contains("/http/headerTimeout"), all);
    assertTrue(all.contains("/http/other"), all);
  }

  /** Whether the server closed the socket within the deadline (read end of stream or reset). */
  static boolean closedWithin(Socket s, Duration deadline, byte[] trickle) throws IOException {
    long end = System.nanoTime() + deadline.toNanos();
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    s.setSoTimeout(200);
    int i = 0;
    while (System.nanoTime() < end) {
      try {
        int b = in.read();
        if (b == -1) {
          return true;
        }
        // an answer (a 4xx) is not a close: keep reading until the server closes
      } catch (SocketTimeoutException e) {
        if (trickle != null && i < trickle.length) {
          try {
            out.write(trickle[i++]);
            out.flush();
          } catch (IOException closed) {
            return true;
          }
        }
      } catch (IOException reset) {
        return true;
      }
    }
    return false;
  }

  @Test
  void halfSentRequestsAreClosedWithinTheConfiguredTimeouts(@TempDir Path data) throws Exception {
    try (SecurityWorld w =
        new SecurityWorld(
            data,
            c ->
                c.withHttp(
                    new ServerConfig.HttpSettings(
                        Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1))))) {
      int port = w.server.port();
      List<Socket> silent = new ArrayList<>();
      List<Socket> trickling = new ArrayList<>();
      List<Socket> halfBody = new ArrayList<>();
      String head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
      String post =
          "POST /api/v1/snapshots HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
              + SecurityWorld.TOKENS.get("loader")
              + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"environment\":";
      for (int i = 0; i < 10; i++) {
        silent.add(new Socket("127.0.0.1", port));
        Socket t = new Socket("127.0.0.1", port);
        t.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        trickling.add(t);
        Socket b = new Socket("127.0.0.1", port);
        b.getOutputStream().write(post.getBytes(StandardCharsets.US_ASCII));
        halfBody.add(b);
      }
      // Each closes within its timeout (1 s) plus slack for a loaded machine; a byte every
      // 200 ms keeps the trickling ones from ever being idle.
      byte[] trickle = "a".repeat(100).getBytes(StandardCharsets.US_ASCII);
      for (Socket s : trickling) {
        assertTrue(closedWithin(s, Duration.ofSeconds(8), trickle), "trickled headers held");
      }
      for (Socket s : silent) {
        assertTrue(closedWithin(s, Duration.ofSeconds(8), null), "a silent connection held");
      }
      for (Socket s : halfBody) {
        assertTrue(closedWithin(s, Duration.ofSeconds(8), null), "a half-sent body held");
      }
      // A whole request on a kept-alive connection is answered; then the quiet connection closes.
      try (Socket ok = new Socket("127.0.0.1", port)) {
        ok.getOutputStream()
            .write(
                "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        ok.setSoTimeout(5000);
        byte[] buf = new byte[12];
        int n = ok.getInputStream().readNBytes(buf, 0, 12);
        assertEquals("HTTP/1.1 200", new String(buf, 0, n, StandardCharsets.US_ASCII));
        assertTrue(
            closedWithin(ok, Duration.ofSeconds(8), null), "a kept-alive quiet connection held");
      }
      for (List<Socket> l : List.of(silent, trickling, halfBody)) {
        for (Socket s : l) {
          s.close();
        }
      }
      // The server still serves.
      assertEquals(200, w.send("GET", "/health", null, null, null).statusCode());
    }
  }
}
