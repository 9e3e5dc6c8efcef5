package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.SettableClock;
import org.plumbline.server.cli.Main;
import org.plumbline.server.config.ServerConfig;

/**
 * Issue 17: the PDF evidence pack and the offline commands. A real server on port 0 is fed two
 * months of snapshots of {@code credit-model-prod} (a long ledger) at instants with nanoseconds;
 * the PDF comes from the REST endpoint, from {@code audit export --server} and, after the server
 * stopped, from {@code audit export --data} with no rules folder in reach. Every copy parses with
 * PDFBox, runs to more than one page, names the environment and the verification, shows timestamps
 * to the second, and embeds its fonts. Pages 1 and 2 are rendered to {@code target/evidence-pdf/}
 * for a person to look at.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvidencePdfTest {
  static final String LOADER = "pdf-loader-token-000001";
  static final String AUDITOR = "pdf-auditor-token-00001";
  static final String ENV = "credit-model-prod";
  static final Instant T0 = Instant.parse("2026-09-01T06:00:00.123456789Z");
  static final Pattern NANOS = Pattern.compile("\\d{2}:\\d{2}:\\d{2}\\.\\d+");
  static final Pattern HUMAN = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC");

  @TempDir static Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  final SettableClock clock = new SettableClock(T0);
  Path data;
  PlumblineServer server;

  @BeforeAll
  void fill() throws Exception {
    data = dir.resolve("data").toAbsolutePath();
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(data)
            .withRules(Path.of("../rules"))
            .withTokens(
                List.of(
                    new ServerConfig.Token(LOADER, null, "ci-loader", Set.of("loader"), null),
                    new ServerConfig.Token(AUDITOR, null, "dana", Set.of("auditor"), null)));
    server = PlumblineServer.start(config, clock);
    assertEquals(
        201,
        post(
                "/api/v1/blueprints",
                "application/yaml",
                "bundle: credit-model\nversion: 1.0.0\n"
                    + "environments: [ { id: "
                    + ENV
                    + ", name: Credit model (production), tier: REGULATED, owner: team-risk,"
                    + " system: credit-model } ]\n"
                    + "config: { llm: { temperature: 0.2 }, guardrails: { enabled: true } }\n")
            .statusCode());
    // two months, the temperature hot-patched and put back every few days: a long ledger
    for (int day = 0; day < 60; day++) {
      clock.set(T0.plus(Duration.ofDays(day)));
      String temperature = (day / 3) % 2 == 0 ? "0.2" : "0." + (3 + day % 6);
      String snapshot =
          "{\"environment\":\""
              + ENV
              + "\",\"observedAt\":\""
              + clock.instant()
              + "\",\"source\":\"collector/k8s\",\"config\":{\"llm\":{\"temperature\":"
              + temperature
              + "},\"guardrails\":{\"enabled\":true}}}";
      assertEquals(201, post("/api/v1/snapshots", "application/json", snapshot).statusCode());
    }
    clock.set(T0.plus(Duration.ofDays(61)));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void theEndpointAndTheCommandLineServeAPdfThatReadsWell() throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://localhost:"
                            + server.port()
                            + "/api/v1/environments/"
                            + ENV
                            + "/audit?format=pdf"))
                .header("Authorization", "Bearer " + AUDITOR)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    assertEquals("application/pdf", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals(
        "attachment; filename=\"plumbline-evidence-" + ENV + ".pdf\"",
        r.headers().firstValue("Content-Disposition").orElse(""));
    Path served = Files.write(dir.resolve("served.pdf"), r.body());
    checkPack(served, "served");

    // the evidence report is per environment, in PDF as in HTML
    HttpResponse<String> all =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://localhost:" + server.port() + "/api/v1/audit/export?format=pdf"))
                .header("Authorization", "Bearer " + AUDITOR)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, all.statusCode(), all.body());
    assertTrue(all.body().contains("per environment"), all.body());

    Path tokenFile = Files.writeString(dir.resolve("auditor.token"), AUDITOR + "\n");
    Path fetched = dir.resolve("fetched.pdf");
    assertEquals(
        0,
        main()
            .run(
                new String[] {
                  "audit",
                  "export",
                  "--environment",
                  ENV,
                  "--format",
                  "pdf",
                  "--server",
                  "http://localhost:" + server.port(),
                  "--token-file",
                  tokenFile.toString(),
                  "--out",
                  fetched.toString()
                }));
    checkPack(fetched, "fetched");
  }

  @Test
  @Order(2) // stops the server: an auditor's copy of a data folder
  void offlineCommandsNeedNoRulesFolder() throws Exception {
    server.close();
    server = null;
    // The tests run in the server module, where no rules folder is: as an auditor's folder.
    assertFalse(Files.exists(ServerConfig.DEFAULT_RULES), "the default rules folder is in reach");
    Path html = dir.resolve("offline.html");
    Path pdf = dir.resolve("offline.pdf");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Main main =
        new Main(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    for (String[] args :
        List.of(
            new String[] {"audit", "verify", "--data", data.toString()},
            new String[] {
              "audit",
              "export",
              "--environment",
              ENV,
              "--format",
              "html",
              "--data",
              data.toString(),
              "--out",
              html.toString()
            },
            new String[] {
              "audit",
              "export",
              "--environment",
              ENV,
              "--format",
              "pdf",
              "--data",
              data.toString(),
              "--out",
              pdf.toString()
            })) {
      assertEquals(
          0,
          main.run(args),
          String.join(" ", args)
              + ": "
              + out.toString(StandardCharsets.UTF_8)
              + err.toString(StandardCharsets.UTF_8));
    }
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"valid\":true"), out.toString());
    String report = Files.readString(html);
    assertTrue(report.contains("Evidence report: Credit model (production)"), report);
    assertTrue(report.contains("The ledger verifies"), report);
    // the pack recorded in the store is named, though none was loaded
    assertTrue(report.contains("Rule pack active when generated</th><td>"), report);
    assertFalse(report.contains("Rule pack active when generated</th><td>none"), report);
    assertFalse(NANOS.matcher(report).find(), "nanoseconds in the report");
    checkPack(pdf, "offline");
  }

  /** The pack parses, has pages, says what it must, in fonts it carries. */
  private static void checkPack(Path file, String name) throws Exception {
    try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
      assertTrue(pdf.getNumberOfPages() > 1, name + ": " + pdf.getNumberOfPages() + " page(s)");
      String text = new PDFTextStripper().getText(pdf);
      assertTrue(text.contains("Evidence report: " + ENV), name + ": running header");
      assertTrue(text.contains("Page 2 of " + pdf.getNumberOfPages()), name + ": page numbers");
      assertTrue(text.contains("The ledger verifies"), name + ": verification");
      assertTrue(text.contains("Signing key fingerprint"), name + ": key fingerprint field");
      assertFalse(text.contains("no signing key"), name + ": the ledger's key is named");
      assertTrue(HUMAN.matcher(text).find(), name + ": human timestamps");
      assertFalse(NANOS.matcher(text).find(), name + ": nanoseconds in the pack");
      List<String> fonts = new ArrayList<>();
      for (PDPage page : pdf.getPages()) {
        for (COSName f : page.getResources().getFontNames()) {
          PDFont font = page.getResources().getFont(f);
          assertTrue(font.isEmbedded(), name + ": font " + font.getName() + " is not embedded");
          fonts.add(font.getName());
        }
      }
      assertTrue(fonts.stream().anyMatch(f -> f.contains("DejaVuSans")), fonts.toString());
      Path pngs = Files.createDirectories(Path.of("target/evidence-pdf"));
      PDFRenderer renderer = new PDFRenderer(pdf);
      for (int page = 0; page < 2; page++) {
        BufferedImage image = renderer.renderImageWithDPI(page, 100);
        ImageIO.write(image, "png", pngs.resolve(name + "-page-" + (page + 1) + ".png").toFile());
      }
    }
  }

  private Main main() {
    return new Main(System.out, System.err);
  }

  private HttpResponse<String> post(String path, String type, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Authorization", "Bearer " + LOADER)
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
