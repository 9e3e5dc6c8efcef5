package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.Change;
import org.plumbline.ontology.GraphStore;
import org.plumbline.server.cli.Main;

/** {@code plumbline load} into a store: history imports, progress, fail-fast and usage. */
class LoadCommandTest {
  static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
  static final String BLUEPRINT =
      """
      bundle: b
      version: 1.0.0
      environments: [ { id: e-prod, tier: PROD, owner: o } ]
      config: { llm: { temperature: 0.3 }, model: { version: m-2024-08-06 } }
      """;

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** A monotonic clock that moves one second each time it is read. */
  final AtomicLong ticks = new AtomicLong();

  @TempDir Path dir;

  int run(boolean terminal, String... args) {
    out.reset();
    err.reset();
    return new Main(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.fixed(NOW, ZoneOffset.UTC),
            terminal,
            () -> ticks.addAndGet(1_000_000_000L))
        .run(args);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /**
   * {@code count} snapshot files of e-prod, one a day, whose names sort in another order than their
   * instants; the temperature moves every day, so each snapshot after the first is a change.
   */
  Path history(Path folder, int count) throws Exception {
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("blueprint.yaml"), BLUEPRINT);
    List<Integer> days = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      days.add(i);
    }
    Collections.shuffle(days, new Random(7));
    for (int n = 0; n < count; n++) {
      int day = days.get(n);
      Files.writeString(
          folder.resolve(String.format("snap-%03d.json", n)),
          "{\"environment\":\"e-prod\",\"observedAt\":\""
              + Instant.parse("2026-06-01T00:00:00Z").plusSeconds(86_400L * day)
              + "\",\"source\":\"collector\",\"config\":{\"llm\":{\"temperature\":"
              + (day % 2 == 0 ? "0.3" : "0.7")
              + "},\"model\":{\"version\":\"m-2024-08-06\"}}}");
    }
    return folder;
  }

  long ingested(Path data) {
    try (GraphStore store = GraphStore.openTdb2(data)) {
      return store.read(
          r ->
              r.audit("e-prod", null, null).stream()
                  .filter(a -> a.action().equals("snapshot.ingested"))
                  .count());
    }
  }

  List<Change> changes(Path data) {
    try (GraphStore store = GraphStore.openTdb2(data)) {
      return store.read(r -> r.changes("e-prod", null, null));
    }
  }

  @Test
  void historyStoresInTimeOrderInBatchesAndAResumedImportSkipsWhatIsStored() throws Exception {
    Path history = history(dir.resolve("history"), 30);
    Path data = dir.resolve("data");
    // An interrupted first run: only some files made it, in an order of their own.
    assertEquals(
        0,
        run(
            false,
            "load",
            history.resolve("blueprint.yaml").toString(),
            history.resolve("snap-004.json").toString(),
            history.resolve("snap-011.json").toString(),
            history.resolve("snap-017.json").toString(),
            "--data",
            data.toString(),
            "--rules",
            "../rules"),
        err());

    assertEquals(
        0,
        run(
            false,
            "load",
            "--history",
            history.toString(),
            "--batch",
            "7",
            "--data",
            data.toString(),
            "--rules",
            "../rules"),
        err());
    assertTrue(
        out().contains("history: 31 files, 30 snapshots: 27 stored, 3 already stored, 0 failed"),
        out());
    assertTrue(out().contains("blueprint.yaml: blueprint: b@1.0.0 unchanged"), out());
    assertEquals(30, ingested(data), "no snapshot stored twice");
    // As if every snapshot had arrived in order: a change each day, alternating.
    List<Change> changes = changes(data);
    assertEquals(29, changes.size());
    for (int i = 1; i < changes.size(); i++) {
      assertTrue(changes.get(i - 1).at().isBefore(changes.get(i).at()));
      assertEquals(changes.get(i - 1).to(), changes.get(i).from());
    }

    assertEquals(
        0,
        run(
            false,
            "load",
            "--history",
            history.toString(),
            "--data",
            data.toString(),
            "--rules",
            "../rules"),
        err());
    assertTrue(out().contains("30 snapshots: 0 stored, 30 already stored, 0 failed"), out());
    assertEquals(30, ingested(data));
  }

  @Test
  void aRefusedSnapshotFailsAloneAndTheRestOfItsBatchIsStored() throws Exception {
    Path history = history(dir.resolve("history"), 12);
    Files.writeString(
        history.resolve("snap-005.json"),
        "{\"environment\":\"nobody-declares-this\",\"observedAt\":\"2026-06-03T12:00:00Z\","
            + "\"config\":{\"a\":1}}");
    Path data = dir.resolve("data");
    assertEquals(
        1,
        run(
            false,
            "load",
            "--history",
            history.toString(),
            "--data",
            data.toString(),
            "--rules",
            "../rules"));
    assertTrue(err().contains("snap-005.json: UNKNOWN_ENVIRONMENT: "), err());
    assertEquals(1, err().lines().filter(l -> l.contains("UNKNOWN_ENVIRONMENT")).count(), err());
    assertTrue(out().contains("12 snapshots: 11 stored, 0 already stored, 1 failed"), out());
    assertEquals(11, ingested(data));
  }

  @Test
  void offATerminalProgressIsAPlainLineEveryFewSeconds() throws Exception {
    Path history = history(dir.resolve("history"), 40);
    assertEquals(
        0,
        run(
            false,
            "load",
            "--history",
            history.toString(),
            "--batch",
            "4",
            "--data",
            dir.resolve("data").toString(),
            "--rules",
            "../rules"));
    List<String> progress = err().lines().filter(l -> l.startsWith("history: ")).toList();
    assertTrue(progress.size() >= 1, err());
    assertTrue(
        progress
            .get(0)
            .matches("history: \\d+/40 files, \\d+/40 snapshots, \\d+ snapshots/s, ETA .*"),
        progress.get(0));
    assertTrue(err().lines().noneMatch(l -> l.contains("\r")), "no redrawing off a terminal");
    // The clock moves a second per reading, far more than ten a second: few lines, not 40.
    assertTrue(progress.size() < 20, err());
  }

  @Test
  void onATerminalProgressIsABarRedrawnInPlace() throws Exception {
    Path history = history(dir.resolve("history"), 10);
    assertEquals(
        0,
        run(
            true,
            "load",
            "--history",
            history.toString(),
            "--batch",
            "3",
            "--data",
            dir.resolve("data").toString(),
            "--rules",
            "../rules"));
    assertTrue(err().contains("\rhistory ["), err());
    assertTrue(err().contains("] 100% 10/10 files, 10/10 snapshots"), err());
    assertTrue(err().contains("ETA 0s"), err());
  }

  @Test
  void failFastStopsAtAMalformedFileBeforeAnythingIsStored() throws Exception {
    Path folder = dir.resolve("files");
    Files.createDirectories(folder.resolve("e-prod"));
    Files.writeString(folder.resolve("blueprint.yaml"), BLUEPRINT);
    Files.writeString(
        folder.resolve("e-prod/flags.json"), "{ \"flags\": { \"x\": { \"state\": \"ON\" } } }");
    Path data = dir.resolve("data");
    assertEquals(
        1,
        run(
            false,
            "load",
            folder.toString(),
            "--fail-fast",
            "--data",
            data.toString(),
            "--rules",
            "../rules"));
    assertTrue(err().contains("flags.json: INVALID_FLAGD: "), err());
    assertTrue(out().contains("nothing stored"), out());
    try (GraphStore store = GraphStore.openTdb2(data)) {
      boolean empty = store.read(r -> r.environments().isEmpty());
      assertTrue(empty, "nothing stored");
    }
    // Without --fail-fast the blueprint loads and the flag file fails alone.
    assertEquals(
        1, run(false, "load", folder.toString(), "--data", data.toString(), "--rules", "../rules"));
    assertTrue(out().contains("1 loaded, 1 failed"), out());
  }

  @Test
  void aFolderOfKubernetesManifestsIsOneSnapshotOfAllItsObjects() throws Exception {
    Path folder = dir.resolve("rendered");
    Files.createDirectories(folder.resolve("k-prod"));
    Files.writeString(
        folder.resolve("blueprint.yaml"),
        """
        bundle: k
        version: 1.0.0
        environments: [ { id: k-prod, tier: PROD, owner: o } ]
        config: {}
        """);
    for (String name : List.of("api", "worker")) {
      Files.writeString(
          folder.resolve("k-prod/" + name + ".yaml"),
          "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: "
              + name
              + ", namespace: ml }\ndata: { mode: "
              + name
              + " }\n");
    }
    Path data = dir.resolve("data");
    assertEquals(
        0,
        run(
            false,
            "load",
            folder.toString(),
            "--observed-at",
            "2026-11-20T00:00:00Z",
            "--data",
            data.toString(),
            "--rules",
            "../rules"),
        out() + err());
    assertTrue(out().contains("as kubectl apply -f"), out());
    assertTrue(out().contains("2 loaded, 0 failed"), out()); // the blueprint and one snapshot
    try (GraphStore store = GraphStore.openTdb2(data)) {
      long snapshots =
          store.read(
              r ->
                  r.audit("k-prod", null, null).stream()
                      .filter(a -> a.action().equals("snapshot.ingested"))
                      .count());
      assertEquals(1, snapshots, "one snapshot of the folder");
      java.util.Set<String> keys =
          store
              .read(r -> r.snapshotAtOrBefore("k-prod", Instant.MAX).orElseThrow())
              .config()
              .values()
              .keySet();
      assertTrue(
          keys.stream().anyMatch(k -> k.contains("api"))
              && keys.stream().anyMatch(k -> k.contains("worker")),
          keys.toString());
    }
  }

  @Test
  void promptExportsAndChangeRequestsLoadStraightIntoAStore() throws Exception {
    Path prompts = dir.resolve("prompts.json");
    Files.writeString(
        prompts, "[{\"name\":\"p\",\"version\":1,\"type\":\"text\",\"prompt\":\"Hello\"}]");
    Path data = dir.resolve("data");
    Path blueprint = dir.resolve("blueprint.yaml");
    Files.writeString(blueprint, BLUEPRINT);
    Path requests = dir.resolve("changes.json");
    Files.writeString(
        requests,
        "[{\"id\":\"CHG-1\",\"environment\":\"e-prod\",\"keys\":[\"llm.*\"],"
            + "\"from\":\"2026-11-01T00:00:00Z\",\"until\":\"2026-11-03T00:00:00Z\","
            + "\"approvedBy\":\"cab\"}]");
    assertEquals(
        0,
        run(
            false,
            "load",
            blueprint.toString(),
            prompts.toString(),
            requests.toString(),
            "--data",
            data.toString(),
            "--rules",
            "../rules"),
        err());
    try (GraphStore store = GraphStore.openTdb2(data)) {
      assertEquals(1, store.read(r -> r.promptVersions("p")).size());
      assertTrue(store.read(r -> r.changeRequest("CHG-1")).isPresent());
    }
    // journaled like every input, so a rebuild of the folder holds them too
    Path rebuilt = dir.resolve("rebuilt");
    assertEquals(
        0,
        run(
            false,
            "rebuild",
            "--from",
            data.toString(),
            "--data",
            rebuilt.toString(),
            "--rules",
            "../rules"),
        err());
    try (GraphStore store = GraphStore.openTdb2(rebuilt)) {
      assertEquals(1, store.read(r -> r.promptVersions("p")).size());
      assertTrue(store.read(r -> r.changeRequest("CHG-1")).isPresent());
    }
  }

  @Test
  void metricSamplesAndContractPromptsAreRecognisedByTheirContent() throws Exception {
    Path folder = dir.resolve("behaviour");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("0-blueprint.yaml"), BLUEPRINT);
    String values = "[412,388,455,401,397,420,433,379,402,415]";
    Files.writeString(
        folder.resolve("1-baseline.json"),
        "{\"environment\":\"e-prod\",\"metric\":\"output.length\",\"kind\":\"CONTINUOUS\","
            + "\"window\":\"w0\",\"baseline\":true,\"values\":"
            + values
            + "}");
    Files.writeString(
        folder.resolve("2-window.json"),
        "{\"environment\":\"e-prod\",\"metric\":\"output.length\",\"kind\":\"CONTINUOUS\","
            + "\"window\":\"w1\",\"values\":"
            + values
            + "}");
    Files.writeString(
        folder.resolve("3-bad-kind.json"),
        "{\"environment\":\"e-prod\",\"metric\":\"output.length\",\"kind\":\"GAUSSIAN\","
            + "\"window\":\"w2\",\"values\":"
            + values
            + "}");
    Path data = dir.resolve("data");
    assertEquals(
        1, run(false, "load", folder.toString(), "--data", data.toString(), "--rules", "../rules"));
    assertTrue(
        out().contains("1-baseline.json: metric: metric output.length baseline w0 stored"), out());
    assertTrue(
        out().contains("2-window.json: metric: metric output.length window w1 stored"), out());
    assertTrue(err().contains("3-bad-kind.json: INVALID_METRIC_SAMPLE"), err());
    try (GraphStore store = GraphStore.openTdb2(data)) {
      assertEquals(
          "w0",
          store.read(r -> r.metricSeries("e-prod", "output.length")).orElseThrow().baseline());
      assertEquals(
          List.of("w1"),
          store.read(r -> r.metricWindows("e-prod", "output.length")).stream()
              .map(w -> w.window())
              .toList());
    }

    // A contract prompt version is recognised too, and stored.
    Path prompt = dir.resolve("prompt.json");
    Files.writeString(
        prompt, "{\"id\":\"p\",\"version\":\"1.0.0\",\"text\":\"Hello\",\"evalScore\":0.9}");
    assertEquals(
        0, run(false, "load", prompt.toString(), "--data", data.toString(), "--rules", "../rules"));
    try (GraphStore store = GraphStore.openTdb2(data)) {
      assertEquals(1, store.read(r -> r.promptVersions("p")).size());
    }
  }

  @Test
  void badUsageExitsTwo() throws Exception {
    Path file = dir.resolve("f.json");
    Files.writeString(file, "{}");
    String data = dir.resolve("data").toString();
    assertEquals(
        2, run(false, "load", file.toString(), "--history", dir.toString(), "--data", data));
    assertEquals(2, run(false, "load", "--history", file.toString(), "--data", data));
    assertEquals(2, run(false, "load", file.toString(), "--format", "xml", "--data", data));
    assertTrue(err().contains("unknown format 'xml'"), err());
    assertEquals(2, run(false, "load", file.toString(), "--batch", "5", "--data", data));
    assertEquals(
        2, run(false, "load", "--history", dir.toString(), "--batch", "0", "--data", data));
    assertEquals(
        2, run(false, "load", file.toString(), "--observed-at", "yesterday", "--data", data));
    assertEquals(2, run(false, "load", file.toString(), "--server", "http://localhost:1"));
  }

  @Test
  void anUnreachableServerIsACodedFailurePerFile() throws Exception {
    Path file = dir.resolve("s.json");
    Files.writeString(
        file,
        "{\"environment\":\"e\",\"observedAt\":\"2026-11-01T00:00:00Z\",\"config\":{\"a\":1}}");
    assertEquals(
        1, run(false, "load", file.toString(), "--server", "http://localhost:1", "--token", "t"));
    assertTrue(
        err().contains("s.json: SERVER_UNREACHABLE: cannot reach http://localhost:1"), err());
  }
}
