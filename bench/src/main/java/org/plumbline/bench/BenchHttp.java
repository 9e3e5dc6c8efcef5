package org.plumbline.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.plumbline.server.PlumblineServer;

/** The bench's HTTP client: GraphQL as the viewer, ingest as the loader, refusals logged. */
final class BenchHttp {
  static final String VIEWER = "bench-viewer-token-0001";
  static final String LOADER = "bench-loader-token-0001";

  private final HttpClient http = HttpClient.newHttpClient();
  private final PrintStream log;

  BenchHttp(PrintStream log) {
    this.log = log;
  }

  /**
   * One GraphQL query as the viewer, over a blocking keep-alive connection on the calling thread
   * (issue 21), as the JDBC baseline reads its socket: {@link HttpClient} hands every request to
   * its selector and executor threads, and on a loaded machine those hand-offs cost more than the
   * query (about half of its p50 in a probe at load 20 on 2 cores).
   */
  String graphql(PlumblineServer server, String query) {
    byte[] body = ("{\"query\":\"" + query + "\"}").getBytes(StandardCharsets.UTF_8);
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + server.port() + "/graphql").toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Authorization", "Bearer " + VIEWER);
      c.setRequestProperty("Content-Type", "application/json");
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int status = c.getResponseCode();
      String answer;
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (status != 200 || answer.contains("\"errors\"")) {
        throw new IllegalStateException("GraphQL query failed: " + status + " " + answer);
      }
      return answer;
    } catch (IOException e) {
      throw new IllegalStateException("POST /graphql failed: " + e.getMessage(), e);
    }
  }

  int post(PlumblineServer server, String path, byte[] body) {
    HttpResponse<String> r = send(server, path, LOADER, "application/json", body);
    if (r.statusCode() >= 300) {
      log.println("     refused: " + r.statusCode() + " " + r.body());
    }
    return r.statusCode();
  }

  void get(PlumblineServer server, String path) {
    try {
      http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private HttpResponse<String> send(
      PlumblineServer server, String path, String token, String type, byte[] body) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", type)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("POST " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
