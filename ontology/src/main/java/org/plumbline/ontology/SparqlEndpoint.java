package org.plumbline.ontology;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a shared store lives: a SPARQL 1.1 dataset URL (query at {@code URL/query}, update at
 * {@code URL/update}, graph store at {@code URL/data}, as Apache Jena Fuseki serves a dataset),
 * with HTTP Basic credentials ({@code user}, {@code password}) or a bearer {@code token}, or
 * neither.
 */
public record SparqlEndpoint(String url, String user, String password, String token) {
  public SparqlEndpoint {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("a shared store needs its SPARQL dataset URL");
    }
    url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** An endpoint that asks for no credentials. */
  public static SparqlEndpoint open(String url) {
    return new SparqlEndpoint(url, null, null, null);
  }

  /** The {@code Authorization} header every request carries, or null. */
  public String authorization() {
    if (token != null && !token.isEmpty()) {
      return "Bearer " + token;
    }
    if (user != null && !user.isEmpty()) {
      String pair = user + ":" + (password == null ? "" : password);
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  /** The password and token stay out of logs and messages. */
  @Override
  public String toString() {
    return "SparqlEndpoint[" + url + (user == null ? "" : ", user " + user) + "]";
  }
}
