package org.plumbline.server.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.plumbline.loaders.ChangeRequestParser;
import org.plumbline.loaders.DocumentLoader;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.ParsedMetricSample;
import org.plumbline.loaders.PromptVersionDocument;
import org.plumbline.loaders.Secrets;
import org.plumbline.loaders.SnapshotParser;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.ErrorCode;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;
import org.plumbline.server.ServerError;

/**
 * {@code --server URL --token T}: posts each record to the ingest endpoints of CONTRACT section 4,
 * as the contract's JSON, one request per record. A refusal comes back with the server's code.
 */
public final class ServerTarget implements LoadTarget {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A code the server answered with, kept as it is: the CLI has no enum of remote codes. */
  record RemoteError(String name, Kind kind) implements ErrorCode {}

  private final HttpClient http;
  private final String base;
  private final String token;

  public ServerTarget(String url, String token) {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.base = url.replaceAll("/+$", "");
    this.token = token;
  }

  @Override
  public Stored blueprint(Loaded.BlueprintLoaded blueprint, byte[] content) {
    String type = DocumentLoader.looksLikeJson(content) ? "application/json" : "application/yaml";
    return post("/api/v1/blueprints", type, content);
  }

  @Override
  public List<Stored> snapshots(List<Snapshot> snapshots) {
    return snapshotBatch(snapshots, n -> {});
  }

  @Override
  public Stored changeRequests(List<ChangeRequest> requests) {
    int max = ChangeRequestParser.MAX_REQUESTS;
    if (requests.size() <= max) {
      return post("/api/v1/change-requests", ChangeRequestParser.toJson(requests));
    }
    // A large export goes in lists the server takes: each one transaction of its own.
    boolean replay = true;
    int lists = 0;
    for (int from = 0; from < requests.size(); from += max) {
      List<ChangeRequest> part = requests.subList(from, Math.min(requests.size(), from + max));
      replay &= post("/api/v1/change-requests", ChangeRequestParser.toJson(part)).replay();
      lists++;
    }
    return new Stored(
        replay,
        requests.size() + " change requests",
        Map.of("requests", requests.size(), "lists", lists));
  }

  @Override
  public List<Stored> prompts(List<PromptVersionDocument> versions) {
    List<Stored> stored = new ArrayList<>();
    for (PromptVersionDocument version : versions) {
      stored.add(post("/api/v1/prompts", version.toJson()));
    }
    return stored;
  }

  @Override
  public Stored metricSample(ParsedMetricSample sample, byte[] content) {
    return post("/api/v1/metrics", "application/json", content);
  }

  /** None: the server redacts with its own key, which never leaves it. */
  @Override
  public Secrets secrets() {
    return Secrets.inTransit();
  }

  @Override
  public Set<String> alreadyStored(Collection<String> contentHashes) {
    return Set.of(); // the server recognises replays itself and answers 200
  }

  /** One request per snapshot, in order: the server has no batch endpoint. */
  @Override
  public List<Stored> snapshotBatch(List<Snapshot> batch, IntConsumer processed) {
    List<Stored> stored = new ArrayList<>();
    for (Snapshot snapshot : batch) {
      stored.add(post("/api/v1/snapshots", SnapshotParser.toJson(snapshot)));
      processed.accept(stored.size());
    }
    return stored;
  }

  private Stored post(String path, String json) {
    return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code POST /api/v1/load/dry-run}: the server rehearses the files and stores nothing. */
  @Override
  public JsonNode dryRun(List<DryRuns.FileDocuments> files) {
    return send("/api/v1/load/dry-run", "application/json", DryRuns.request(files)).body();
  }

  private Stored post(String path, String contentType, byte[] body) {
    Answer answer = send(path, contentType, body);
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = JSON.convertValue(answer.body(), Map.class);
    return new Stored(answer.status() == 200, answer.body().path("snapshot").asText(path), summary);
  }

  private record Answer(int status, JsonNode body) {}

  private Answer send(String path, String contentType, byte[] body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unreachable(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable("interrupted");
    }
    JsonNode answer = parse(response.body());
    if (response.statusCode() == 200 || response.statusCode() == 201) {
      return new Answer(response.statusCode(), answer);
    }
    throw refused(path, response.statusCode(), answer);
  }

  private PlumblineException unreachable(String why) {
    return new PlumblineException(
        ServerError.SERVER_UNREACHABLE, "cannot reach " + base + ": " + why, List.of(base));
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node == null ? JSON.createObjectNode() : node;
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static PlumblineException refused(String path, int status, JsonNode answer) {
    JsonNode error = answer.path("error");
    List<String> details = new ArrayList<>();
    error.path("details").forEach(d -> details.add(d.asText()));
    String code = error.path("code").asText("HTTP_" + status);
    String message = error.path("message").asText("HTTP " + status);
    if (status == 404 && code.equals("NOT_FOUND") && message.startsWith("no such endpoint")) {
      // The change-request and prompt endpoints are in the contract but not on every server yet.
      message = "this server has no " + path + " yet";
    }
    return new PlumblineException(new RemoteError(code, kind(status)), message, details);
  }

  private static ErrorCode.Kind kind(int status) {
    return switch (status) {
      case 400 -> ErrorCode.Kind.INVALID;
      case 401 -> ErrorCode.Kind.UNAUTHENTICATED;
      case 403 -> ErrorCode.Kind.FORBIDDEN;
      case 404 -> ErrorCode.Kind.NOT_FOUND;
      case 409 -> ErrorCode.Kind.CONFLICT;
      case 413 -> ErrorCode.Kind.TOO_LARGE;
      case 422 -> ErrorCode.Kind.UNPROCESSABLE;
      case 503 -> ErrorCode.Kind.UNAVAILABLE;
      default -> ErrorCode.Kind.INTERNAL;
    };
  }

  @Override
  public void close() {
    // HttpClient in Java 17 has nothing to close.
  }
}
