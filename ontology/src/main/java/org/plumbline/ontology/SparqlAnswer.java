package org.plumbline.ontology;

/**
 * The answer to a read-only SPARQL query, serialized: SPARQL 1.1 JSON results for {@code SELECT}
 * and {@code ASK}, Turtle for {@code CONSTRUCT} and {@code DESCRIBE}.
 *
 * @param contentType the media type of {@code body}
 * @param body the serialized answer
 * @param rows solutions (SELECT), triples (CONSTRUCT, DESCRIBE) or 1 (ASK)
 */
public record SparqlAnswer(String contentType, byte[] body, long rows) {
  public static final String JSON_RESULTS = "application/sparql-results+json";
  public static final String TURTLE = "text/turtle";
}
