package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.jena.graph.Graph;
import org.apache.jena.rdflink.RDFLink;
import org.apache.jena.rdflink.RDFLinkHTTP;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreError;
import org.plumbline.server.cli.StoreServer;

/**
 * {@code plumbline store-server} (CONTRACT section 7, "Shared store"): Apache Jena Fuseki with a
 * TDB2 dataset at {@code /plumbline}, answering the SPARQL 1.1 Query, Update and Graph Store
 * protocols; its data outlives it; a second one on the same folder fails fast.
 */
class StoreServerTest {
  private static final Pattern URL = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/plumbline)");

  @Test
  void theCommandServesATdb2DatasetOverTheSparqlProtocols(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("store");
    String url;
    Process p = startCommand(data);
    try {
      url = awaitUrl(p);
      try (RDFLink link = RDFLinkHTTP.service(url).build()) {
        link.update("INSERT DATA { <urn:plumbline:test> <urn:plumbline:says> \"hello\" }");
        assertEquals(
            "hello",
            link.query("SELECT ?o WHERE { <urn:plumbline:test> ?p ?o }")
                .select()
                .next()
                .get("o")
                .getLiteralLexicalForm());
        Graph whole = link.get(); // the graph store protocol: the default graph
        assertEquals(1, whole.size());
      }
      // The folder is this process's: a second store server on it fails fast.
      PlumblineException locked =
          assertThrows(PlumblineException.class, () -> StoreServer.start(data, 0, true, null));
      assertEquals(StoreError.STORE_LOCKED, locked.code());
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    // What was written is on disk: a store server started again answers it.
    try (StoreServer again = StoreServer.start(data, 0, true, null);
        RDFLink link = RDFLinkHTTP.service(again.url()).build()) {
      assertTrue(link.queryAsk("ASK { <urn:plumbline:test> ?p \"hello\" }"));
    }
  }

  @Test
  void withAPasswordFileEveryRequestMustAuthenticate(@TempDir Path dir) throws Exception {
    Path passwords = dir.resolve("passwords");
    Files.writeString(passwords, "plumbline: s3cret-store-password\n");
    try (StoreServer store = StoreServer.start(dir.resolve("store"), 0, true, passwords)) {
      try (RDFLink anonymous = RDFLinkHTTP.service(store.url()).build()) {
        org.apache.jena.sparql.engine.http.QueryExceptionHTTP e =
            assertThrows(
                org.apache.jena.sparql.engine.http.QueryExceptionHTTP.class,
                () -> anonymous.queryAsk("ASK {}"));
        assertEquals(401, e.getStatusCode(), e.getMessage());
      }
      java.net.http.HttpClient client =
          java.net.http.HttpClient.newBuilder()
              .authenticator(
                  new java.net.Authenticator() {
                    @Override
                    protected java.net.PasswordAuthentication getPasswordAuthentication() {
                      return new java.net.PasswordAuthentication(
                          "plumbline", "s3cret-store-password".toCharArray());
                    }
                  })
              .build();
      try (RDFLink link = RDFLinkHTTP.service(store.url()).httpClient(client).build()) {
        link.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }");
        assertTrue(link.queryAsk("ASK { <urn:a> <urn:b> <urn:c> }"));
      }
    }
  }

  private static Process startCommand(Path data) throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            "org.plumbline.server.cli.Main",
            "store-server",
            "--port",
            "0",
            "--data",
            data.toString());
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static String awaitUrl(Process p) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    StringBuilder seen = new StringBuilder();
    String line;
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher m = URL.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "drain");
        drain.setDaemon(true);
        drain.start();
        return m.group(1);
      }
    }
    p.destroyForcibly();
    throw new AssertionError("store server did not start:\n" + seen);
  }
}
