package org.plumbline.server.http.resources;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Ontology;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.SparqlAnswer;
import org.plumbline.ontology.SparqlLimits;
import org.plumbline.ontology.StoreError;
import org.plumbline.server.ServerError;
import org.plumbline.server.auth.Auth;

/**
 * The graph, open to analysts: {@code GET|POST /sparql} answers read-only SPARQL 1.1 queries (the
 * SPARQL 1.1 Protocol's query operation: {@code ?query=}, a form post, or a body of type {@code
 * application/sparql-query}); {@code GET /ontology} serves the vocabulary and shapes.
 */
public final class SparqlResource {
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String SPARQL_QUERY = "application/sparql-query";
  private static final String SPARQL_UPDATE = "application/sparql-update";

  private final GraphStore store;
  private final SparqlLimits limits;

  public SparqlResource(GraphStore store, SparqlLimits limits) {
    this.store = store;
    this.limits = limits;
  }

  /** The query operation; updates are refused whichever way they come. */
  public Reply query(RoutingContext ctx) {
    SparqlAnswer answer = store.sparql(queryText(ctx), limits);
    return new Reply(
        200,
        answer.contentType() + "; charset=utf-8",
        new String(answer.body(), StandardCharsets.UTF_8));
  }

  private static String queryText(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method != HttpMethod.GET && method != HttpMethod.POST) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "SPARQL queries are sent with GET or POST",
          List.of(method.name()));
    }
    MultiMap params = ctx.request().params(); // the URL's and, for a form post, the form's
    if (params.contains("update") || params.contains("using-graph-uri")) {
      throw refusedUpdate();
    }
    for (String dataset : List.of("default-graph-uri", "named-graph-uri")) {
      if (params.contains(dataset)) {
        throw new PlumblineException(
            ServerError.INVALID_REQUEST,
            dataset + " is not supported: queries run over the governance graph",
            List.of(dataset));
      }
    }
    if (ctx.request().method() == HttpMethod.POST) {
      String type = ctx.request().getHeader("Content-Type");
      String base = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      switch (base) {
        case SPARQL_UPDATE -> throw refusedUpdate();
        case SPARQL_QUERY -> {
          if (params.contains("query")) {
            throw new PlumblineException(
                ServerError.INVALID_REQUEST,
                "a query posted as application/sparql-query takes no query parameter",
                List.of("query"));
          }
          return ctx.body() == null ? "" : ctx.body().asString(StandardCharsets.UTF_8.name());
        }
        case FORM -> {
          // the form's fields are among the parameters
        }
        default ->
            throw new PlumblineException(
                ServerError.UNSUPPORTED_MEDIA_TYPE,
                "SPARQL queries are posted as " + FORM + " (a query field) or as " + SPARQL_QUERY,
                List.of("Content-Type: " + (type == null ? "(none)" : Auth.clean(type))));
      }
    }
    List<String> queries = params.getAll("query");
    if (queries.size() != 1) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          queries.isEmpty() ? "no query parameter" : "the query parameter is given more than once",
          List.of("query"));
    }
    return queries.get(0);
  }

  private static PlumblineException refusedUpdate() {
    return new PlumblineException(
        StoreError.SPARQL_UPDATE_REFUSED,
        "this endpoint answers queries only; SPARQL updates are refused and nothing changed");
  }

  /** The vocabulary and the SHACL shapes, as Turtle. */
  public Reply ontology() {
    return new Reply(200, "text/turtle; charset=utf-8", Ontology.turtle());
  }
}
