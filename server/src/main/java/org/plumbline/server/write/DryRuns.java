package org.plumbline.server.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plumbline.governance.Caller;
import org.plumbline.governance.Command;
import org.plumbline.governance.DryRun;
import org.plumbline.governance.Governance;
import org.plumbline.governance.Governor;
import org.plumbline.governance.Inputs;
import org.plumbline.loaders.ChangeRequestParser;
import org.plumbline.loaders.DocumentLoader;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.PromptVersionDocument;
import org.plumbline.loaders.SnapshotParser;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;
import org.plumbline.server.ServerError;

/**
 * {@code plumbline load --dry-run} and {@code POST /api/v1/load/dry-run}: the documents a load
 * would post, file by file, parsed into commands by the same {@link Inputs} as the ingest endpoints
 * and rehearsed by the {@link Governor} ({@link Governor#dryRun}). The answer says what each file
 * would store, which environments would be registered and which drifts would open and close;
 * nothing is stored. A data folder ({@code --data}) and a server answer in the same JSON.
 */
public final class DryRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The kinds of document a dry run takes: those of the ingest endpoints (and the journal). */
  public static final List<String> KINDS =
      List.of("blueprint", "snapshot", "change-request", "prompt", "metric");

  private DryRuns() {}

  /** One document as an ingest endpoint takes it. */
  public record Document(String kind, String contentType, byte[] body) {}

  /** The documents of one file of a load, which stand or fall together. */
  public record FileDocuments(String name, List<Document> documents) {}

  /** The documents a load posts for what a file held, in the order it posts them. */
  public static List<Document> documents(Loaded loaded, byte[] content) {
    List<Document> out = new ArrayList<>();
    if (loaded instanceof Loaded.BlueprintLoaded) {
      String type = DocumentLoader.looksLikeJson(content) ? "application/json" : "application/yaml";
      out.add(new Document("blueprint", type, content));
    } else if (loaded instanceof Loaded.SnapshotsLoaded s) {
      for (Snapshot snapshot : s.snapshots()) {
        out.add(json("snapshot", SnapshotParser.toJson(snapshot)));
      }
    } else if (loaded instanceof Loaded.ChangeRequestsLoaded c) {
      int max = ChangeRequestParser.MAX_REQUESTS;
      for (int from = 0; from < c.requests().size(); from += max) {
        out.add(
            json(
                "change-request",
                ChangeRequestParser.toJson(
                    c.requests().subList(from, Math.min(c.requests().size(), from + max)))));
      }
    } else if (loaded instanceof Loaded.MetricSampleLoaded) {
      out.add(new Document("metric", "application/json", content));
    } else if (loaded instanceof Loaded.PromptsLoaded p) {
      for (PromptVersionDocument version : p.versions()) {
        out.add(json("prompt", version.toJson()));
      }
    }
    return out;
  }

  private static Document json(String kind, String body) {
    return new Document(kind, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Rehearses the files' documents: each file parsed into commands (a file that does not parse is
   * refused alone), then all of them applied and rolled back by the governor.
   */
  public static ObjectNode run(
      Governor governor, Inputs inputs, List<FileDocuments> files, Caller caller) {
    List<List<Command<?>>> units = new ArrayList<>();
    Map<Integer, PlumblineException> unparsed = new LinkedHashMap<>();
    List<Integer> unitOf = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      try {
        List<Command<?>> commands = new ArrayList<>();
        for (Document d : files.get(i).documents()) {
          commands.add(command(inputs, d, caller));
        }
        unitOf.add(units.size());
        units.add(commands);
      } catch (PlumblineException e) {
        unparsed.put(i, e);
        unitOf.add(-1);
      }
    }
    DryRun.Outcome outcome = governor.dryRun(units);
    ObjectNode answer = JSON.createObjectNode().put("dryRun", true);
    ArrayNode out = answer.putArray("files");
    for (int i = 0; i < files.size(); i++) {
      ObjectNode file = out.addObject().put("name", files.get(i).name());
      PlumblineException refusal =
          unparsed.containsKey(i) ? unparsed.get(i) : outcome.units().get(unitOf.get(i)).refusal();
      if (refusal != null) {
        file.put("status", "refused");
        ObjectNode error = file.putObject("error");
        error.put("code", refusal.code().name()).put("message", refusal.getMessage());
        refusal.details().forEach(error.putArray("details")::add);
        continue;
      }
      file.put("status", "ok");
      ArrayNode results = file.putArray("results");
      for (Object r : outcome.units().get(unitOf.get(i)).results()) {
        Governance.IngestResult result = (Governance.IngestResult) r;
        ObjectNode summary = results.addObject();
        summary.setAll((ObjectNode) JSON.valueToTree(result.summary()));
        summary.put("status", status(result));
      }
    }
    outcome.environmentsRegistered().forEach(answer.putArray("environmentsRegistered")::add);
    drifts(answer.putArray("driftsOpened"), outcome.driftsOpened());
    drifts(answer.putArray("driftsClosed"), outcome.driftsClosed());
    return answer;
  }

  /**
   * What an ingest answers for a result: {@code unchanged} (an identical replay), {@code pending}
   * (a bundle version held for approval) or {@code created}.
   */
  public static String status(Governance.IngestResult r) {
    boolean held = !r.replay() && "PENDING_APPROVAL".equals(r.summary().get("publication"));
    return r.replay() ? "unchanged" : held ? "pending" : "created";
  }

  private static Command<?> command(Inputs inputs, Document d, Caller caller) {
    return switch (d.kind()) {
      case "blueprint" -> inputs.blueprint(d.body(), d.contentType(), caller);
      case "snapshot" -> inputs.snapshot(d.body(), caller);
      case "change-request" -> inputs.changeRequests(d.body(), caller);
      case "prompt" -> inputs.prompt(d.body(), caller);
      case "metric" -> inputs.metric(d.body(), caller);
      default ->
          throw new PlumblineException(
              ServerError.INVALID_REQUEST,
              "a dry run takes documents of kind " + String.join(", ", KINDS),
              List.of("/kind: " + d.kind()));
    };
  }

  private static void drifts(ArrayNode out, List<Drift> drifts) {
    for (Drift d : drifts) {
      ObjectNode drift = out.addObject();
      drift.put("environment", d.environment()).put("key", d.key());
      drift.set("expected", value(d.expected()));
      drift.set("actual", value(d.actual()));
      drift.put("kind", d.kind().name());
      if (d.assessment() != null) {
        drift.put("severity", d.assessment().severity().name());
        d.assessment().findings().forEach(drift.putArray("findings")::add);
      }
    }
  }

  /** A canonical JSON text as JSON (null when absent). */
  private static JsonNode value(String canonical) {
    if (canonical == null) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(canonical);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(canonical);
    }
  }

  // ---- the request of POST /api/v1/load/dry-run ----

  /**
   * The request body a client posts: {@code {files: [{name, documents: [{kind, contentType,
   * body}]}]}}.
   */
  public static byte[] request(List<FileDocuments> files) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode out = root.putArray("files");
    for (FileDocuments f : files) {
      ObjectNode file = out.addObject().put("name", f.name());
      ArrayNode docs = file.putArray("documents");
      for (Document d : f.documents()) {
        docs.addObject()
            .put("kind", d.kind())
            .put("contentType", d.contentType())
            .put("body", new String(d.body(), StandardCharsets.UTF_8));
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The files of a posted request; a malformed one is refused with every problem's place. */
  public static List<FileDocuments> parseRequest(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "a dry run's body is JSON: "
              + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                  ? j.getOriginalMessage()
                  : e.getMessage()));
    }
    List<String> problems = new ArrayList<>();
    List<FileDocuments> files = new ArrayList<>();
    JsonNode list = root == null ? null : root.get("files");
    if (list == null || !list.isArray()) {
      problems.add("/files: must be a list of {name, documents}");
    } else {
      for (int i = 0; i < list.size(); i++) {
        JsonNode f = list.get(i);
        String at = "/files/" + i;
        if (!f.path("name").isTextual()) {
          problems.add(at + "/name: must be a string");
        }
        if (!f.path("documents").isArray()) {
          problems.add(at + "/documents: must be a list of {kind, contentType, body}");
          continue;
        }
        List<Document> docs = new ArrayList<>();
        for (int j = 0; j < f.get("documents").size(); j++) {
          JsonNode d = f.get("documents").get(j);
          String where = at + "/documents/" + j;
          if (!KINDS.contains(d.path("kind").asText())) {
            problems.add(where + "/kind: must be one of " + String.join(", ", KINDS));
          }
          if (!d.path("body").isTextual()) {
            problems.add(where + "/body: must be the document as a string");
          }
          docs.add(
              new Document(
                  d.path("kind").asText(),
                  d.path("contentType").asText("application/json"),
                  d.path("body").asText().getBytes(StandardCharsets.UTF_8)));
        }
        files.add(new FileDocuments(f.path("name").asText(), docs));
      }
    }
    if (!problems.isEmpty()) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST, "invalid dry run request", problems);
    }
    return files;
  }
}
