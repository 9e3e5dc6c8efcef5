package org.plumbline.ontology.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.ARQ;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.query.ResultSet;
import org.apache.jena.query.Syntax;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.ResultSetMgr;
import org.apache.jena.riot.resultset.ResultSetLang;
import org.apache.jena.sparql.algebra.Algebra;
import org.apache.jena.sparql.algebra.OpVisitorBase;
import org.apache.jena.sparql.algebra.op.OpService;
import org.apache.jena.sparql.algebra.walker.Walker;
import org.apache.jena.sparql.engine.binding.Binding;
import org.apache.jena.sparql.exec.QueryExec;
import org.apache.jena.sparql.exec.QueryExecBuilder;
import org.apache.jena.sparql.exec.RowSet;
import org.apache.jena.sparql.exec.RowSetStream;
import org.apache.jena.sparql.expr.E_Function;
import org.apache.jena.sparql.expr.ExprFunctionN;
import org.apache.jena.sparql.expr.ExprVisitorBase;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.update.UpdateFactory;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.SparqlAnswer;
import org.plumbline.ontology.SparqlLimits;
import org.plumbline.ontology.StoreError;

/**
 * Read-only SPARQL 1.1 queries from outside (analysts, dashboards): parsed in strict SPARQL 1.1
 * syntax, refused when they are updates or reach outside the store ({@code SERVICE}, {@code FROM},
 * extension functions), run under a timeout, and answered whole or refused when the answer would
 * pass the result limit.
 */
public final class SparqlReads {
  private SparqlReads() {}

  /**
   * Parses and checks a query.
   *
   * @throws PlumblineException SPARQL_INVALID, SPARQL_UPDATE_REFUSED
   */
  public static Query parse(String text, SparqlLimits limits) {
    if (text == null || text.isBlank()) {
      throw new PlumblineException(StoreError.SPARQL_INVALID, "the SPARQL query is empty");
    }
    if (text.length() > limits.maxQueryChars()) {
      throw new PlumblineException(
          StoreError.SPARQL_INVALID,
          "the SPARQL query is longer than " + limits.maxQueryChars() + " characters",
          List.of("length: " + text.length()));
    }
    Query query;
    try {
      query = QueryFactory.create(text, Syntax.syntaxSPARQL_11);
    } catch (QueryParseException e) {
      if (isUpdate(text)) {
        throw new PlumblineException(
            StoreError.SPARQL_UPDATE_REFUSED,
            "this endpoint answers queries only; SPARQL updates are refused and nothing changed");
      }
      throw new PlumblineException(
          StoreError.SPARQL_INVALID,
          "not a SPARQL 1.1 query: " + e.getMessage(),
          List.of("line " + e.getLine() + ", column " + e.getColumn()));
    }
    if (query.hasDatasetDescription()) {
      throw new PlumblineException(
          StoreError.SPARQL_INVALID,
          "FROM and FROM NAMED are not supported: queries run over the governance graph");
    }
    List<String> outside = new ArrayList<>();
    Walker.walk(
        Algebra.compile(query),
        new OpVisitorBase() {
          @Override
          public void visit(OpService op) {
            outside.add("SERVICE " + op.getService());
          }
        },
        new ExprVisitorBase() {
          @Override
          public void visit(ExprFunctionN func) {
            if (func instanceof E_Function f
                && !f.getFunctionIRI().startsWith(XSDDatatype.XSD + "#")) {
              outside.add("function <" + f.getFunctionIRI() + ">");
            }
          }
        });
    if (!outside.isEmpty()) {
      throw new PlumblineException(
          StoreError.SPARQL_INVALID,
          "SERVICE and extension functions are not supported: queries read the governance graph"
              + " with standard SPARQL 1.1 only",
          outside);
    }
    return query;
  }

  private static boolean isUpdate(String text) {
    try {
      UpdateFactory.create(text, Syntax.syntaxSPARQL_11);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Runs a checked query and serializes its answer; the caller holds the read transaction.
   *
   * @param exec builds an execution of the query over the store
   */
  public static SparqlAnswer run(
      Query query, SparqlLimits limits, Function<Query, QueryExecBuilder> exec) {
    Query bounded = query.cloneQuery();
    if (bounded.isSelectType()
        && (!bounded.hasLimit() || bounded.getLimit() > limits.maxResults() + 1)) {
      bounded.setLimit(limits.maxResults() + 1); // one more, to tell "exactly the limit" from more
    }
    QueryExecBuilder builder =
        exec.apply(bounded)
            .set(ARQ.httpServiceAllowed, false)
            .timeout(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
    try (QueryExec qe = builder.build()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (query.isAskType()) {
        ResultSetMgr.write(out, qe.ask(), ResultSetLang.RS_JSON);
        return new SparqlAnswer(SparqlAnswer.JSON_RESULTS, out.toByteArray(), 1);
      }
      if (query.isSelectType()) {
        RowSet rows = qe.select();
        List<Binding> kept = new ArrayList<>();
        while (rows.hasNext()) {
          kept.add(rows.next());
          if (kept.size() > limits.maxResults()) {
            throw tooMany(limits);
          }
        }
        ResultSetMgr.write(
            out,
            ResultSet.adapt(RowSetStream.create(rows.getResultVars(), kept.iterator())),
            ResultSetLang.RS_JSON);
        return new SparqlAnswer(SparqlAnswer.JSON_RESULTS, out.toByteArray(), kept.size());
      }
      var triples = query.isConstructType() ? qe.constructTriples() : qe.describeTriples();
      Graph graph = GraphFactory.createDefaultGraph();
      while (triples.hasNext()) {
        Triple t = triples.next();
        graph.add(t);
        if (graph.size() > limits.maxResults()) {
          throw tooMany(limits);
        }
      }
      graph.getPrefixMapping().setNsPrefixes(query.getPrefixMapping());
      RDFDataMgr.write(out, graph, Lang.TURTLE);
      return new SparqlAnswer(SparqlAnswer.TURTLE, out.toByteArray(), graph.size());
    } catch (QueryCancelledException e) {
      throw new PlumblineException(
          StoreError.SPARQL_TIMEOUT,
          "the SPARQL query ran longer than " + limits.timeout() + " and was cancelled",
          List.of("timeout: " + limits.timeout()));
    }
  }

  private static PlumblineException tooMany(SparqlLimits limits) {
    return new PlumblineException(
        StoreError.SPARQL_TOO_MANY_RESULTS,
        "the answer holds more than "
            + limits.maxResults()
            + " results; narrow the query or page it with LIMIT and OFFSET",
        List.of("limit: " + limits.maxResults()));
  }
}
