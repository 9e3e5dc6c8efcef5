package org.plumbline.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

  String graphql(PlumblineServer server, String query) {
    String body = "{\"query\":\"" + query + "\"}";
    HttpResponse<String> r =
        send(
            server,
            "/graphql",
            VIEWER,
            "application/json",
            body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (r.statusCode() != 200 || r.body().contains("\"errors\"")) {
      throw new IllegalStateException("GraphQL query failed: " + r.statusCode() + " " + r.body());
    }
    return r.body();
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
