package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.jena.graph.Graph;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.sparql.graph.GraphFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graph, open to analysts (CONTRACT section 7, "The graph"): {@code /sparql} answers read-only
 * SPARQL 1.1 queries through the protocol's three ways in, refuses updates however they come and
 * changes nothing, refuses roles other than auditor and admin; {@code /ontology} serves Turtle.
 */
class SparqlEndpointTest {
  static final String DRIFTS =
      """
      PREFIX pl: <https://w3id.org/plumbline#>
      SELECT ?key ?severity WHERE {
        ?d a pl:Drift ; pl:environment ?e ; pl:key ?key ; pl:severity ?severity .
        ?e pl:id "credit-model-prod" .
      } ORDER BY ?key
      """;

  @Test
  void answersQueriesByGetFormAndBodyAndRefusesUpdatesAndOtherRoles(@TempDir Path data)
      throws Exception {
    try (SecurityWorld world = new SecurityWorld(data, c -> c)) {
      String digest = world.storeDigest();

      HttpResponse<String> get =
          world.send("GET", "/sparql?query=" + enc(DRIFTS), "auditor", null, null);
      assertEquals(200, get.statusCode(), get.body());
      assertTrue(
          get.headers()
              .firstValue("Content-Type")
              .orElse("")
              .startsWith("application/sparql-results+json"));
      JsonNode rows = SecurityWorld.JSON.readTree(get.body()).at("/results/bindings");
      assertTrue(rows.size() >= 1, get.body());
      assertEquals("llm.temperature", rows.get(0).at("/key/value").asText(), get.body());

      HttpResponse<String> form =
          world.send(
              "POST",
              "/sparql",
              "admin",
              "application/x-www-form-urlencoded",
              "query=" + enc(DRIFTS));
      assertEquals(200, form.statusCode(), form.body());
      assertEquals(get.body(), form.body());

      HttpResponse<String> body =
          world.send("POST", "/sparql", "auditor", "application/sparql-query", DRIFTS);
      assertEquals(200, body.statusCode(), body.body());
      assertEquals(get.body(), body.body());

      HttpResponse<String> ask =
          world.send("GET", "/sparql?query=" + enc("ASK { ?s ?p ?o }"), "auditor", null, null);
      assertEquals(
          true, SecurityWorld.JSON.readTree(ask.body()).path("boolean").asBoolean(), ask.body());

      HttpResponse<String> construct =
          world.send(
              "POST",
              "/sparql",
              "auditor",
              "application/sparql-query",
              "PREFIX pl: <https://w3id.org/plumbline#> CONSTRUCT { ?e pl:id ?id } WHERE { ?e a pl:Environment ; pl:id ?id }");
      assertEquals(200, construct.statusCode(), construct.body());
      Graph g = GraphFactory.createDefaultGraph();
      RDFParser.fromString(construct.body(), Lang.TURTLE).parse(g);
      assertTrue(g.size() >= 1, construct.body());

      // Updates are refused whichever way they come, and nothing changes.
      String insert = "INSERT DATA { <urn:x> <urn:y> \"z\" }";
      String delete = "DELETE WHERE { ?s ?p ?o }";
      assertRefused(
          world.send("GET", "/sparql?query=" + enc(insert), "admin", null, null),
          "SPARQL_UPDATE_REFUSED");
      assertRefused(
          world.send("GET", "/sparql?update=" + enc(delete), "admin", null, null),
          "SPARQL_UPDATE_REFUSED");
      assertRefused(
          world.send(
              "POST",
              "/sparql",
              "admin",
              "application/x-www-form-urlencoded",
              "update=" + enc(delete)),
          "SPARQL_UPDATE_REFUSED");
      assertRefused(
          world.send("POST", "/sparql", "admin", "application/sparql-update", delete),
          "SPARQL_UPDATE_REFUSED");
      assertRefused(
          world.send("POST", "/sparql", "admin", "application/sparql-query", delete),
          "SPARQL_UPDATE_REFUSED");
      // Nothing reaches outside the store.
      assertRefused(
          world.send(
              "POST",
              "/sparql",
              "admin",
              "application/sparql-query",
              "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"),
          "SPARQL_INVALID");
      assertRefused(
          world.send(
              "POST",
              "/sparql",
              "admin",
              "application/sparql-query",
              "SELECT * FROM <http://127.0.0.1:1/x.ttl> WHERE { ?s ?p ?o }"),
          "SPARQL_INVALID");
      assertRefused(
          world.send(
              "POST",
              "/sparql",
              "admin",
              "application/sparql-query",
              "SELECT * WHERE { ?s ?p ?o FILTER(<java:java.lang.System>(?o)) }"),
          "SPARQL_INVALID");
      assertRefused(
          world.send("POST", "/sparql", "admin", "application/sparql-query", "SELECT nonsense"),
          "SPARQL_INVALID");
      assertRefused(world.send("GET", "/sparql", "admin", null, null), "INVALID_REQUEST");
      assertEquals(415, world.send("POST", "/sparql", "admin", "text/plain", DRIFTS).statusCode());
      assertEquals(digest, world.storeDigest());

      // Auditor and admin only.
      for (String role : new String[] {"viewer", "loader", "operator", "approver", "model-risk"}) {
        HttpResponse<String> r =
            world.send("GET", "/sparql?query=" + enc(DRIFTS), role, null, null);
        assertEquals(403, r.statusCode(), role + ": " + r.body());
      }
      assertEquals(
          401, world.send("GET", "/sparql?query=" + enc(DRIFTS), null, null, null).statusCode());
    }
  }

  @Test
  void servesTheVocabularyAndShapesAsTurtle(@TempDir Path data) throws Exception {
    try (SecurityWorld world = new SecurityWorld(data, c -> c)) {
      HttpResponse<String> r = world.send("GET", "/ontology", "viewer", null, null);
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/turtle"));
      Graph g = GraphFactory.createDefaultGraph();
      RDFParser.fromString(r.body(), Lang.TURTLE).parse(g);
      String owl = "http://www.w3.org/2002/07/owl#";
      String sh = "http://www.w3.org/ns/shacl#";
      assertTrue(
          g.contains(
              org.apache.jena.graph.NodeFactory.createURI("https://w3id.org/plumbline#Drift"),
              org.apache.jena.vocabulary.RDF.type.asNode(),
              org.apache.jena.graph.NodeFactory.createURI(owl + "Class")));
      assertTrue(
          g.find(
                  null,
                  org.apache.jena.vocabulary.RDF.type.asNode(),
                  org.apache.jena.graph.NodeFactory.createURI(sh + "NodeShape"))
              .hasNext());
      assertEquals(401, world.send("GET", "/ontology", null, null, null).statusCode());
    }
  }

  private static void assertRefused(HttpResponse<String> r, String code) throws Exception {
    assertEquals(400, r.statusCode(), r.body());
    assertEquals(code, SecurityWorld.JSON.readTree(r.body()).at("/error/code").asText(), r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
