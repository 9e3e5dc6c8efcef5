package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.GraphStore;
import org.plumbline.server.cli.Main;

/**
 * Issue 18: {@code plumbline load --from URL [--from-token-env NAME]} pulls a document from an
 * HTTP(S) source (here a Terraform HTTP backend's raw state, served by a JDK HTTP server in the
 * test), sends the variable's token as a bearer token, detects the format like a file's, and
 * refuses with a coded error naming the URL, never the token: a 401, a 404, a source too slow, a
 * body too large.
 */
class LoadFromUrlTest {
  static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
  static final String TOKEN = "tf-backend-token-7f3a9c";
  static final String BLUEPRINT =
      """
      bundle: infra
      version: 1.0.0
      environments: [ { id: infra-dev, tier: DEV, owner: platform } ]
      config: { terraform: { aws_ssm_parameter: { temperature: { value: "0.3" } } } }
      """;
  static final String RAW_STATE =
      """
      {"version": 4, "terraform_version": "1.9.8", "serial": 7, "lineage": "l-1",
       "outputs": {},
       "resources": [{"mode": "managed", "type": "aws_ssm_parameter", "name": "temperature",
         "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
         "instances": [{"schema_version": 0, "attributes": {"value": "0.7"},
                        "sensitive_attributes": []}]}]}
      """;

  @TempDir Path dir;
  HttpServer source;
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

  @BeforeEach
  void startSource() throws IOException {
    source = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    source.createContext(
        "/state",
        x -> {
          String auth = x.getRequestHeaders().getFirst("Authorization");
          authorizations.add(String.valueOf(auth));
          if (!("Bearer " + TOKEN).equals(auth)) {
            reply(
                x, 401, "{\"error\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8), Map.of());
            return;
          }
          reply(
              x,
              200,
              RAW_STATE.getBytes(StandardCharsets.UTF_8),
              Map.of("Last-Modified", "Thu, 19 Nov 2026 06:00:00 GMT"));
        });
    source.createContext(
        "/slow",
        x -> {
          try {
            released.await(30, java.util.concurrent.TimeUnit.SECONDS); // longer than any timeout
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          reply(x, 200, RAW_STATE.getBytes(StandardCharsets.UTF_8), Map.of());
        });
    source.createContext(
        "/huge",
        x -> {
          // no length declared: the client must stop reading at the limit by itself
          x.sendResponseHeaders(200, 0);
          byte[] chunk = new byte[1 << 20];
          java.util.Arrays.fill(chunk, (byte) ' ');
          try (OutputStream out = x.getResponseBody()) {
            for (int i = 0; i < 20; i++) {
              out.write(chunk);
            }
          } catch (IOException e) {
            // the client hung up at the limit, as it should
          }
        });
    source.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    source.start();
  }

  @AfterEach
  void stopSource() {
    released.countDown();
    source.stop(0);
  }

  static void reply(HttpExchange x, int status, byte[] body, Map<String, String> headers)
      throws IOException {
    headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + source.getAddress().getPort() + path;
  }

  @Test
  void aRawStateIsPulledWithTheBearerTokenAndLoadedLikeAFile() throws Exception {
    Path data = dir.resolve("data");
    Path blueprint = Files.writeString(dir.resolve("infra.yaml"), BLUEPRINT);
    Run run =
        main(
            Map.of("TF_HTTP_TOKEN", TOKEN),
            "load",
            blueprint.toString(),
            "--from",
            url("/state"),
            "--from-token-env",
            "TF_HTTP_TOKEN",
            "--environment",
            "infra-dev",
            "--data",
            data.toString(),
            "--rules",
            "../rules");
    assertEquals(0, run.status(), run.out() + run.err());
    assertEquals(List.of("Bearer " + TOKEN), authorizations);
    // detected as a raw state, instant from Last-Modified
    assertTrue(
        run.out()
            .contains(
                url("/state")
                    + ": terraform: snapshot infra-dev@2026-11-19T06:00:00Z stored (1 key,"),
        run.out());
    assertTrue(run.out().contains("raw state"), run.out());
    assertFalse((run.out() + run.err()).contains(TOKEN), run.out() + run.err());
    try (GraphStore store = GraphStore.openTdb2(data)) {
      assertEquals(
          "\"0.7\"",
          store
              .read(r -> r.latestSnapshot("infra-dev"))
              .orElseThrow()
              .config()
              .values()
              .get("terraform.aws_ssm_parameter.temperature.value"));
    }

    // the same source in a dry run: pulled, compared, nothing stored
    Run dry =
        main(
            Map.of("TF_HTTP_TOKEN", TOKEN),
            "load",
            "--from",
            url("/state"),
            "--from-token-env",
            "TF_HTTP_TOKEN",
            "--environment",
            "infra-dev",
            "--dry-run",
            "--data",
            data.toString(),
            "--rules",
            "../rules");
    assertEquals(0, dry.status(), dry.out() + dry.err());
    assertTrue(dry.out().contains("snapshot infra-dev@2026-11-19T06:00:00Z unchanged"), dry.out());
  }

  @Test
  void failuresAreCodedAndNameTheUrlNeverTheToken() throws Exception {
    Path data = dir.resolve("data");
    // no token, then a wrong one: 401 each time
    Run none =
        main(
            Map.of(),
            "load",
            "--from",
            url("/state"),
            "--data",
            data.toString(),
            "--rules",
            "../rules");
    assertEquals(1, none.status(), none.out() + none.err());
    assertTrue(
        none.err()
            .contains(
                url("/state") + ": SOURCE_HTTP_ERROR: " + url("/state") + " answered HTTP 401"),
        none.err());
    String wrong = "not-the-token-31337";
    Run bad =
        main(
            Map.of("TF_HTTP_TOKEN", wrong),
            "load",
            "--from",
            url("/state?api_key=query-secret-1"),
            "--from-token-env",
            "TF_HTTP_TOKEN",
            "--data",
            data.toString(),
            "--rules",
            "../rules");
    assertEquals(1, bad.status());
    assertTrue(bad.err().contains("SOURCE_HTTP_ERROR"), bad.err());
    assertTrue(bad.err().contains(url("/state") + "?…"), bad.err());
    for (String secret : List.of(wrong, "query-secret-1")) {
      assertFalse((bad.out() + bad.err()).contains(secret), bad.out() + bad.err());
    }
    assertEquals("Bearer " + wrong, authorizations.get(authorizations.size() - 1));

    Run missing =
        main(
            Map.of(),
            "load",
            "--from",
            url("/nothing-here"),
            "--data",
            data.toString(),
            "--rules",
            "../rules");
    assertTrue(
        missing.err().contains("SOURCE_HTTP_ERROR: " + url("/nothing-here") + " answered HTTP 404"),
        missing.err());

    long start = System.nanoTime();
    Run slow =
        main(
            Map.of(),
            "load",
            "--from",
            url("/slow"),
            "--from-timeout",
            "1",
            "--data",
            data.toString(),
            "--rules",
            "../rules");
    assertEquals(1, slow.status());
    assertTrue(
        slow.err()
            .contains("SOURCE_TIMEOUT: " + url("/slow") + " did not answer in full within 1 s"),
        slow.err());
    // the source would hold the answer for 30 s; the run (rule pack included) ends well before
    assertTrue(System.nanoTime() - start < 25_000_000_000L, "the timeout bounds the wait");

    Run huge =
        main(
            Map.of(),
            "load",
            "--from",
            url("/huge"),
            "--data",
            data.toString(),
            "--rules",
            "../rules");
    assertEquals(1, huge.status());
    assertTrue(
        huge.err().contains("PAYLOAD_TOO_LARGE: " + url("/huge") + " sent more than"), huge.err());

    Run unreachable =
        main(
            Map.of(),
            "load",
            "--from",
            "http://127.0.0.1:1/state",
            "--data",
            data.toString(),
            "--rules",
            "../rules");
    assertTrue(
        unreachable.err().contains("SOURCE_UNREACHABLE: cannot fetch http://127.0.0.1:1/state"),
        unreachable.err());

    Run unset =
        main(
            Map.of(),
            "load",
            "--from",
            url("/state"),
            "--from-token-env",
            "NOT_SET",
            "--data",
            data.toString());
    assertEquals(2, unset.status());
    assertTrue(
        unset.err().contains("--from-token-env NOT_SET: that environment variable is not set"),
        unset.err());
    Run ftp =
        main(Map.of(), "load", "--from", "ftp://example.org/state", "--data", data.toString());
    assertEquals(2, ftp.status());
  }

  record Run(int status, String out, String err) {}

  static Run main(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new Main(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.fixed(NOW, ZoneOffset.UTC),
                false,
                System::nanoTime)
            .withEnvironment(env::get)
            .run(args);
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
