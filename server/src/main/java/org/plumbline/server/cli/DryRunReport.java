package org.plumbline.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.plumbline.loaders.Loaded;
import org.plumbline.server.write.LoadTarget;

/**
 * The lines of {@code plumbline load --dry-run}: one per file, as a load prints them but saying
 * what it would store, then the environments that would be registered and the drifts that would
 * open and close. Built from the answer of {@code POST /api/v1/load/dry-run}, which a data folder
 * gives too.
 */
final class DryRunReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final PrintStream err;

  DryRunReport(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Prints the report; 0 when every file would load, else 1. */
  int print(List<LoadCommand.Read> reads, JsonNode answer) {
    JsonNode files = answer.path("files");
    int next = 0;
    int loaded = 0;
    int failed = 0;
    for (LoadCommand.Read read : reads) {
      String name = read.input().name();
      if (read.failed()) {
        err.println(name + ": " + read.failure().code().name() + ": " + line(read.failure()));
        failed++;
        continue;
      }
      JsonNode file = files.path(next++);
      if (!"ok".equals(file.path("status").asText())) {
        JsonNode e = file.path("error");
        List<String> details = new ArrayList<>();
        e.path("details").forEach(d -> details.add(d.asText()));
        err.println(
            name
                + ": would be refused: "
                + e.path("code").asText()
                + ": "
                + e.path("message").asText()
                + (details.isEmpty() ? "" : " [" + String.join("; ", details) + "]"));
        failed++;
        continue;
      }
      String what = describe(read.loaded(), stored(file.path("results")));
      out.println(
          name
              + ": "
              + read.loaded().format().id()
              + ": "
              + (read.loaded().notes().isEmpty()
                  ? what
                  : what + " | " + String.join("; ", read.loaded().notes())));
      loaded++;
    }
    out.println("dry run: nothing was stored");
    List<String> registered = new ArrayList<>();
    answer.path("environmentsRegistered").forEach(e -> registered.add(e.asText()));
    out.println(
        "would register "
            + LoadCommand.plural(registered.size(), "environment")
            + (registered.isEmpty() ? "" : ": " + String.join(", ", registered)));
    drifts("would open ", answer.path("driftsOpened"));
    drifts("would close ", answer.path("driftsClosed"));
    out.println(loaded + " would load, " + failed + " would fail");
    return failed == 0 ? 0 : 1;
  }

  private void drifts(String verb, JsonNode drifts) {
    out.println(verb + LoadCommand.plural(drifts.size(), "drift") + (drifts.isEmpty() ? "" : ":"));
    for (JsonNode d : drifts) {
      out.println(
          "  "
              + d.path("environment").asText()
              + " "
              + d.path("key").asText()
              + ": "
              + d.path("expected")
              + " -> "
              + d.path("actual")
              + (d.hasNonNull("severity") ? " (" + d.path("severity").asText() + ")" : ""));
    }
  }

  private static List<LoadTarget.Stored> stored(JsonNode results) {
    List<LoadTarget.Stored> stored = new ArrayList<>();
    for (JsonNode r : results) {
      @SuppressWarnings("unchecked")
      Map<String, Object> summary = JSON.convertValue(r, Map.class);
      stored.add(
          new LoadTarget.Stored(
              "unchanged".equals(r.path("status").asText()),
              r.path("snapshot").asText(""),
              summary));
    }
    return stored;
  }

  private static String describe(Loaded loaded, List<LoadTarget.Stored> stored) {
    boolean fresh = stored.stream().anyMatch(s -> !s.replay());
    if (loaded instanceof Loaded.BlueprintLoaded b) {
      boolean pending = stored.stream().anyMatch(s -> "pending".equals(s.summary().get("status")));
      return b.blueprint().bundle()
          + "@"
          + b.blueprint().version()
          + (pending
              ? " would be stored, held for approval"
              : fresh ? " would be stored" : " unchanged")
          + " ("
          + LoadCommand.plural(b.blueprint().environments().size(), "environment")
          + ")";
    }
    if (loaded instanceof Loaded.SnapshotsLoaded s) {
      return s.snapshots().isEmpty()
          ? "nothing to load"
          : LoadCommand.snapshots(s.snapshots(), stored, "would be stored");
    }
    if (loaded instanceof Loaded.ChangeRequestsLoaded c) {
      return c.requests().isEmpty()
          ? "nothing to load"
          : c.requests().size() + " change requests " + (fresh ? "would be stored" : "unchanged");
    }
    if (loaded instanceof Loaded.MetricSampleLoaded m) {
      return "metric "
          + m.sample().metric()
          + (m.sample().baseline() ? " baseline " : " window ")
          + m.sample().window()
          + (fresh ? " would be stored" : " unchanged");
    }
    Loaded.PromptsLoaded p = (Loaded.PromptsLoaded) loaded;
    long created = stored.stream().filter(s -> !s.replay()).count();
    return p.versions().isEmpty()
        ? "nothing to load"
        : p.versions().size()
            + " prompt versions: "
            + created
            + " would be stored, "
            + (stored.size() - created)
            + " unchanged";
  }

  private static String line(org.plumbline.ontology.PlumblineException e) {
    return e.getMessage()
        + (e.details().isEmpty() ? "" : " [" + String.join("; ", e.details()) + "]");
  }
}
