package org.plumbline.graphql;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.plumbline.graphql.internal.SchemaWiring;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.rules.Dispositions;
import org.plumbline.rules.RulePack;

/**
 * Plumbline's GraphQL API over the knowledge graph. A query runs in one read transaction; the
 * caller must run {@link #execute} off any event loop, since store reads block.
 */
public final class GraphQLApi {
  /** Default maximum nesting depth of a query. */
  public static final int DEFAULT_MAX_DEPTH = 15;

  private final GraphQL graphQL;
  private final GraphStore store;

  private GraphQLApi(GraphQL graphQL, GraphStore store) {
    this.graphQL = graphQL;
    this.store = store;
  }

  public static GraphQLApi create(
      GraphStore store, Clock clock, Supplier<RulePack> rulePack, Dispositions dispositions) {
    GraphQLSchema schema = SchemaWiring.schema(store, clock, rulePack, dispositions);
    GraphQL graphQL =
        GraphQL.newGraphQL(schema)
            .instrumentation(new MaxQueryDepthInstrumentation(DEFAULT_MAX_DEPTH))
            .defaultDataFetcherExceptionHandler(new CodedErrors())
            .build();
    return new GraphQLApi(graphQL, store);
  }

  /** Executes one request; returns the GraphQL-over-HTTP response body as a map. */
  public Map<String, Object> execute(
      String query, Map<String, Object> variables, String operationName, Caller caller) {
    ExecutionInput input =
        ExecutionInput.newExecutionInput()
            .query(query)
            .variables(variables == null ? Map.of() : variables)
            .operationName(operationName)
            .graphQLContext(Map.of(Caller.class, caller))
            .build();
    ExecutionResult result =
        isQuery(query, operationName)
            ? store.read(r -> graphQL.execute(input))
            : graphQL.execute(input);
    return withCodes(result.toSpecification());
  }

  /**
   * Gives every error an {@code extensions.code}: graphql-java's own syntax and validation errors
   * become INVALID_QUERY, and an aborted over-deep query QUERY_TOO_COMPLEX.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withCodes(Map<String, Object> spec) {
    Object errors = spec.get("errors");
    if (!(errors instanceof java.util.List<?> list)) {
      return spec;
    }
    java.util.List<Object> coded = new java.util.ArrayList<>();
    for (Object e : list) {
      Map<String, Object> error = new java.util.LinkedHashMap<>((Map<String, Object>) e);
      Map<String, Object> ext =
          new java.util.LinkedHashMap<>(
              (Map<String, Object>) error.getOrDefault("extensions", Map.of()));
      if (!ext.containsKey("code")) {
        String message = String.valueOf(error.get("message"));
        ext.put(
            "code",
            message.contains("maximum query depth")
                ? ApiError.QUERY_TOO_COMPLEX.name()
                : ApiError.INVALID_QUERY.name());
        error.put("extensions", ext);
      }
      coded.add(error);
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>(spec);
    out.put("errors", coded);
    return out;
  }

  /** Whether a request would run a mutation (so the server journals it before it runs). */
  public static boolean isMutation(String query, String operationName) {
    return !isQuery(query, operationName);
  }

  /** Queries share one read transaction; mutations open their own write transactions. */
  private static boolean isQuery(String query, String operationName) {
    try {
      Document doc = Parser.parse(query);
      return doc.getDefinitionsOfType(OperationDefinition.class).stream()
          .filter(o -> operationName == null || operationName.equals(o.getName()))
          .findFirst()
          .map(o -> o.getOperation() == OperationDefinition.Operation.QUERY)
          .orElse(true);
    } catch (InvalidSyntaxException e) {
      return true; // graphql-java reports the syntax error itself
    }
  }

  /** Turns coded failures into GraphQL errors carrying {@code extensions.code}. */
  private static final class CodedErrors implements DataFetcherExceptionHandler {
    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(
        graphql.execution.DataFetcherExceptionHandlerParameters params) {
      Throwable t = params.getException();
      String code = "INTERNAL";
      String message = "internal error";
      Map<String, Object> extensions;
      if (t instanceof PlumblineException p) {
        code = p.code().name();
        message = p.getMessage();
        extensions = Map.of("code", code, "details", p.details());
      } else if (t instanceof graphql.schema.CoercingParseValueException
          || t instanceof IllegalArgumentException) {
        code = ApiError.INVALID_ARGUMENT.name();
        message = String.valueOf(t.getMessage());
        extensions = Map.of("code", code);
      } else {
        org.slf4j.LoggerFactory.getLogger(GraphQLApi.class).error("query failed", t);
        extensions = Map.of("code", code);
      }
      return CompletableFuture.completedFuture(
          DataFetcherExceptionHandlerResult.newResult()
              .error(
                  GraphqlErrorBuilder.newError(params.getDataFetchingEnvironment())
                      .message(message)
                      .extensions(extensions)
                      .build())
              .build());
    }
  }
}
