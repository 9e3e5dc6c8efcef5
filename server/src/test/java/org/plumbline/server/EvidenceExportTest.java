package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.Caller;
import org.plumbline.governance.Command;
import org.plumbline.governance.Governor;
import org.plumbline.governance.PromotionGates;
import org.plumbline.governance.SettableClock;
import org.plumbline.loaders.BlueprintParser;
import org.plumbline.loaders.SnapshotParser;
import org.plumbline.ontology.DispositionKind;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.GraphStore;
import org.plumbline.rules.ConformanceCheck;
import org.plumbline.rules.RulePack;
import org.plumbline.server.cli.Main;
import org.plumbline.server.export.AuditExport;
import org.plumbline.server.export.EvidencePdf;
import org.plumbline.server.export.EvidenceReport;

/**
 * Exports and time travel against a store filled through the real ingest path with a clock that
 * walks through history. Exports are compared with golden files; run with {@code
 * -Dgolden.update=true} to rewrite them after a deliberate change, and review the diff.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidenceExportTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  static final String V1 =
      """
      bundle: scoring
      version: 1.0.0
      environments: [ { id: scoring-prod, name: Scoring (production), tier: REGULATED, owner: team-risk, system: scoring } ]
      validated: { at: "2026-05-20T00:00:00Z", by: model-validation, evidence: VAL-1 }
      config: { model: { version: gpt-4o-2024-08-06 }, llm: { temperature: 0.2 }, guardrails: { enabled: true } }
      """;
  static final String V2 =
      V1.replace("version: 1.0.0", "version: 1.1.0")
          .replace("temperature: 0.2", "temperature: 0.25")
          .replace(
              "validated: { at: \"2026-05-20T00:00:00Z\", by: model-validation, evidence: VAL-1 }\n",
              "");

  @TempDir static Path data;
  GraphStore store;
  RulePack pack;
  SettableClock clock = new SettableClock(T0);
  String driftId;

  @BeforeAll
  void fill() {
    store = GraphStore.openTdb2(data);
    pack = RulePack.compile(Path.of("../rules/packs/default"));
    Governor governance = new Governor(store, () -> pack, clock);
    BlueprintParser blueprints = new BlueprintParser();
    SnapshotParser snapshots = new SnapshotParser();
    governance.ingestBlueprint(
        blueprints.parse(V1.getBytes(StandardCharsets.UTF_8), "yaml"), "governance");
    double[] temperatures = {0.2, 0.2, 0.2, 0.6, 0.6, 0.25};
    for (int day = 0; day < temperatures.length; day++) {
      clock.set(T0.plus(Duration.ofDays(day)).plus(Duration.ofHours(6)));
      if (day == 5) {
        governance.ingestBlueprint(
            blueprints.parse(V2.getBytes(StandardCharsets.UTF_8), "yaml"), "governance");
        // A version that changes a REGULATED environment is held until approved (four eyes).
        governance.execute(
            new Command.ApproveBlueprint(
                "scoring", "1.1.0", "approved", null, new Caller("carol", Set.of("approver"))));
        governance.execute(
            new Command.ApproveBlueprint(
                "scoring",
                "1.1.0",
                "approved as model-risk owner",
                null,
                new Caller("bob", Set.of("model-risk"))));
      }
      String s =
          "{\"environment\":\"scoring-prod\",\"observedAt\":\""
              + clock.instant()
              + "\",\"source\":\"collector/k8s\","
              + "\"config\":{\"model\":{\"version\":\"gpt-4o-2024-08-06\"},\"llm\":{\"temperature\":"
              + temperatures[day]
              + "},\"guardrails\":{\"enabled\":true}}}";
      governance.ingestSnapshot(snapshots.parse(s.getBytes(StandardCharsets.UTF_8)), "ci-loader");
      if (day == 3) {
        driftId = store.read(r -> r.drifts("scoring-prod")).get(0).id();
        clock.set(clock.instant().plus(Duration.ofHours(1)));
        var d =
            governance.execute(
                new Command.RequestDisposition(
                    driftId,
                    DispositionKind.REVERT,
                    "incident INC-9 <b>rollback</b>",
                    null,
                    new Caller("alice", Set.of())));
        governance.execute(
            new Command.ApproveDisposition(
                d.id(),
                "approved",
                "Reviewed the rollback plan",
                new Caller("carol", Set.of("approver"))));
        governance.execute(
            new Command.ApproveDisposition(
                d.id(),
                "approved as model-risk owner",
                "Model risk accepts the rollback",
                new Caller("bob", Set.of("approver", "model-risk"))));
      }
    }
    // A promotion gate denies 1.1.0 (not validated, no change window); an override approved by
    // an approver and model-risk turns the next answer into ALLOW.
    clock.set(T0.plus(Duration.ofDays(6)).plus(Duration.ofHours(7)));
    Caller ci = new Caller("ci-loader", Set.of("loader"));
    var gate =
        new Command.DecidePromotion(
            PromotionGates.Question.stored("scoring", "1.1.0", "scoring-prod"), ci);
    governance.execute(gate);
    var override =
        governance.execute(
            new Command.RequestGateOverride(
                "scoring-prod",
                "scoring",
                "1.1.0",
                "INC-12: <i>revalidation</i> booked, CAB by phone",
                clock.instant().plus(Duration.ofDays(3)),
                new Caller("alice", Set.of("operator"))));
    governance.execute(
        new Command.ApproveGateOverride(
            override.id(), "approved", null, new Caller("carol", Set.of("approver"))));
    governance.execute(
        new Command.ApproveGateOverride(
            override.id(),
            "approved as model-risk owner",
            "Validation scheduled",
            new Caller("bob", Set.of("model-risk"))));
    governance.execute(gate);
    clock.set(T0.plus(Duration.ofDays(7)));
  }

  @AfterAll
  void close() {
    store.close();
  }

  void golden(String name, String actual) throws Exception {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(file, actual);
    }
    assertEquals(Files.readString(file), actual, "differs from golden file " + file);
  }

  @Test
  void exportsMatchTheirGoldenFiles() throws Exception {
    Instant now = clock.instant();
    AuditExport.Scope env = new AuditExport.Scope("scoring-prod", null, null);
    AuditExport.Scope all = new AuditExport.Scope(null, null, null);
    store.read(
        r -> {
          try {
            golden("ledger.json", AuditExport.json(r, all, now));
            golden("scoring-prod.csv", AuditExport.csv(env.records(r)));
            golden("scoring-prod.jsonld", AuditExport.jsonLd("scoring-prod", env.records(r)));
            golden("scoring-prod.html", EvidenceReport.html(r, pack, "scoring-prod", T0, now, now));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return null;
        });
  }

  @Test
  void theEvidenceReportAnswersTheThreeQuestionsWithEscapedText() {
    String html =
        store.read(
            r ->
                EvidenceReport.html(r, pack, "scoring-prod", T0, clock.instant(), clock.instant()));
    assertTrue(html.contains("1. What changed in this window?"));
    assertTrue(html.contains("2. Was every drift governed?"));
    assertTrue(html.contains("3. Does it match the validated configuration?"));
    assertTrue(html.contains("Model risk accepts the rollback"));
    assertTrue(
        html.contains("incident INC-9 &lt;b&gt;rollback&lt;/b&gt;"),
        "justification must be escaped");
    assertFalse(html.contains("<b>rollback</b>"));
    // the gate's denial, the override with its signatures, and the ALLOW that names it
    assertTrue(html.contains("4. Which promotions did the gate allow or deny?"));
    assertTrue(html.contains("Overrides of gate denials"), html);
    assertTrue(html.contains("INC-12: &lt;i&gt;revalidation&lt;/i&gt;"), html);
    assertTrue(html.contains("Validation scheduled"), html);
    assertTrue(
        html.contains("</code> approved by carol, bob, overriding:<br/>NOT_VALIDATED"), html);
    assertTrue(html.contains("The ledger verifies"));
    // well-formed XHTML, so the PDF evidence pack is laid out from this very page
    assertDoesNotThrow(
        () ->
            javax.xml.parsers.DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8))));
    assertTrue(
        new String(EvidencePdf.render(html), 0, 8, StandardCharsets.ISO_8859_1)
            .startsWith("%PDF-"));
  }

  @Test
  void timeTravelAnswersFromTheFactsAsTheyStoodThen() {
    ConformanceCheck.Result before =
        store.read(r -> ConformanceCheck.at(r, pack, "scoring-prod", T0.plus(Duration.ofDays(2))));
    assertTrue(before.matchesBlueprint());
    assertEquals("1.0.0", before.bundleVersion());
    ConformanceCheck.Result during =
        store.read(r -> ConformanceCheck.at(r, pack, "scoring-prod", T0.plus(Duration.ofDays(4))));
    assertFalse(during.matchesBlueprint());
    assertEquals(
        List.of("llm.temperature"), during.differences().stream().map(Drift::key).toList());
    assertEquals("1.0.0", during.validatedVersion());
    ConformanceCheck.Result after =
        store.read(r -> ConformanceCheck.at(r, pack, "scoring-prod", T0.plus(Duration.ofDays(6))));
    assertEquals("1.1.0", after.bundleVersion());
    assertTrue(after.matchesBlueprint(), after.toString());
    assertFalse(
        after.matchesValidated()); // 0.25 is declared in 1.1.0, validated was 1.0.0 with 0.2
    assertEquals(
        "0.6",
        store
            .read(r -> r.snapshotAtOrBefore("scoring-prod", T0.plus(Duration.ofDays(4))))
            .orElseThrow()
            .config()
            .get("llm.temperature"));
    assertEquals(
        1,
        store
            .read(
                r ->
                    r.changes(
                        "scoring-prod", T0.plus(Duration.ofDays(3)), T0.plus(Duration.ofDays(4))))
            .size());
    assertEquals(
        2, store.read(r -> r.changes("scoring-prod", T0, null)).size()); // 0.2->0.6, 0.6->0.25
  }

  @Test
  void theCommandLineExportsAndVerifiesOfflineAndProvesExtension(@TempDir Path dir)
      throws Exception {
    store.close();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
      Path first = dir.resolve("first.json");
      assertEquals(
          0,
          main.run(
              new String[] {
                "audit",
                "export",
                "--data",
                data.toString(),
                "--rules",
                "../rules",
                "--out",
                first.toString()
              }));
      out.reset();
      assertEquals(0, main.run(new String[] {"audit", "verify", "--file", first.toString()}));
      String full = out.toString(StandardCharsets.UTF_8);
      assertTrue(full.contains("\"valid\":true,\"partial\":false"), full);
      assertTrue(full.contains("not checked: authenticity: no signature"), full);

      // A per-environment export proves it is complete: from the environment's first record to
      // its head when exported, nothing missing, reordered or from elsewhere.
      Path slice = dir.resolve("slice.json");
      assertEquals(
          0,
          main.run(
              new String[] {
                "audit",
                "export",
                "--environment",
                "scoring-prod",
                "--data",
                data.toString(),
                "--out",
                slice.toString()
              }));
      out.reset();
      assertEquals(0, main.run(new String[] {"audit", "verify", "--file", slice.toString()}));
      String complete = out.toString(StandardCharsets.UTF_8);
      assertTrue(complete.contains("\"valid\":true,\"partial\":false"), complete);
      assertTrue(complete.contains("none missing, reordered or from elsewhere"), complete);
      assertTrue(complete.contains("the head of environment scoring-prod"), complete);
      // Each tampering class makes the command exit 1.
      for (var tampering : EnvironmentExportTampering.values()) {
        Path tampered = dir.resolve("tampered-" + tampering + ".json");
        Files.writeString(tampered, tampering.apply(Files.readString(slice)));
        out.reset();
        assertEquals(
            1,
            main.run(
                new String[] {"audit", "verify", "--file", tampered.toString(), "--allow-partial"}),
            tampering + ": " + out.toString(StandardCharsets.UTF_8));
        assertTrue(
            out.toString(StandardCharsets.UTF_8).contains("NOT VALID"),
            tampering + ": " + out.toString(StandardCharsets.UTF_8));
      }
      // A window of the environment is bounded by the records around it.
      Path window = dir.resolve("window.json");
      assertEquals(
          0,
          main.run(
              new String[] {
                "audit",
                "export",
                "--environment",
                "scoring-prod",
                "--since",
                T0.plus(Duration.ofDays(2)).toString(),
                "--until",
                T0.plus(Duration.ofDays(4)).toString(),
                "--data",
                data.toString(),
                "--out",
                window.toString()
              }));
      out.reset();
      assertEquals(0, main.run(new String[] {"audit", "verify", "--file", window.toString()}));
      for (var tampering :
          List.of(
              EnvironmentExportTampering.REMOVE_MIDDLE,
              EnvironmentExportTampering.REMOVE_LAST,
              EnvironmentExportTampering.SWAP)) {
        Path tampered = dir.resolve("window-" + tampering + ".json");
        Files.writeString(tampered, tampering.apply(Files.readString(window)));
        assertEquals(
            1,
            main.run(
                new String[] {"audit", "verify", "--file", tampered.toString(), "--allow-partial"}),
            "window " + tampering);
      }
      try (GraphStore s = GraphStore.openTdb2(data)) {
        s.write(w -> w.appendAudit(clock.instant(), "dana", "note", null, "later", null));
      }
      Path second = dir.resolve("second.json");
      assertEquals(
          0,
          main.run(
              new String[] {
                "audit",
                "export",
                "--data",
                data.toString(),
                "--rules",
                "../rules",
                "--out",
                second.toString()
              }));
      out.reset();
      assertEquals(
          0,
          main.run(
              new String[] {
                "audit", "verify", "--file", second.toString(), "--extends", first.toString()
              }));
      assertTrue(
          out.toString(StandardCharsets.UTF_8).contains("\"extends\":true"),
          out.toString(StandardCharsets.UTF_8));
      // --extends refuses an earlier export whose records were rewritten (even with its root).
      Path rewrittenFirst = dir.resolve("rewritten-first.json");
      Files.writeString(
          rewrittenFirst,
          Files.readString(first).replace("\"actor\" : \"alice\"", "\"actor\" : \"mallory\""));
      out.reset();
      assertEquals(
          1,
          main.run(
              new String[] {
                "audit",
                "verify",
                "--file",
                second.toString(),
                "--extends",
                rewrittenFirst.toString()
              }));
      assertTrue(
          out.toString(StandardCharsets.UTF_8).contains("\"extends\":false"),
          out.toString(StandardCharsets.UTF_8));
      Files.writeString(
          second,
          Files.readString(second).replace("\"actor\" : \"alice\"", "\"actor\" : \"mallory\""));
      assertEquals(1, main.run(new String[] {"audit", "verify", "--file", second.toString()}));
      Path report = dir.resolve("report.html");
      assertEquals(
          0,
          main.run(
              new String[] {
                "audit",
                "export",
                "--environment",
                "scoring-prod",
                "--format",
                "html",
                "--since",
                T0.toString(),
                "--data",
                data.toString(),
                "--rules",
                "../rules",
                "--out",
                report.toString()
              }));
      assertTrue(Files.readString(report).contains("Evidence report"));
    } finally {
      store = GraphStore.openTdb2(data);
    }
  }
}
