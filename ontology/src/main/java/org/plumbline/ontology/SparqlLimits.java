package org.plumbline.ontology;

import java.time.Duration;

/**
 * The bounds of one read-only SPARQL query.
 *
 * @param timeout how long the query may run before it is cancelled ({@code SPARQL_TIMEOUT})
 * @param maxResults most solutions (or triples) an answer may hold; a query that would give more is
 *     refused with {@code SPARQL_TOO_MANY_RESULTS}, never cut short silently
 * @param maxQueryChars the longest query text accepted
 */
public record SparqlLimits(Duration timeout, long maxResults, int maxQueryChars) {
  /** 30 seconds, 10,000 results, 64 KiB of query text. */
  public static final SparqlLimits DEFAULT =
      new SparqlLimits(Duration.ofSeconds(30), 10_000, 65_536);

  public SparqlLimits {
    if (timeout.isNegative() || timeout.isZero() || maxResults < 1 || maxQueryChars < 1) {
      throw new IllegalArgumentException("SPARQL limits must be positive");
    }
  }
}
