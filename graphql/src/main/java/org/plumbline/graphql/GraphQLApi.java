package org.plumbline.graphql;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.introspection.Introspection;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.schema.GraphQLSchema;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.plumbline.graphql.internal.SchemaWiring;
import org.plumbline.graphql.internal.SignerCredentials;
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

  /**
   * What one request may cost. Depth bounds nesting; complexity counts every field a query would
   * resolve (aliases and fragments included; {@code verifyAudit}, which walks the whole ledger,
   * counts {@value #VERIFY_AUDIT_COST}); aliases are counted in the request text; the parser stops
   * at {@code maxTokens}.
   *
   * @param introspection false refuses {@code __schema} and {@code __type}
   */
  public record Limits(
      int maxDepth, int maxComplexity, int maxAliases, int maxTokens, boolean introspection) {
    /** Depth 15, complexity 1000, 50 aliases, 10,000 tokens, introspection on. */
    public static final Limits DEFAULT = new Limits(DEFAULT_MAX_DEPTH, 1000, 50, 10_000, true);

    /**
     * For replaying journaled mutations, which passed the server's limits when they were accepted:
     * only the parser's token bound, which the server does not let anyone configure.
     */
    public static final Limits REPLAY =
        new Limits(
            Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, DEFAULT.maxTokens(), true);
  }

  /**
   * One answer: the GraphQL-over-HTTP body, and the code of the error that stopped the request
   * before execution (syntax, validation, limits), or null when it ran (its field errors, if any,
   * are in the body). A transport answers the former with a 4xx status.
   */
  public record Response(Map<String, Object> body, ApiError requestError) {}

  static final int VERIFY_AUDIT_COST = 200;

  private final GraphQL graphQL;
  private final GraphStore store;
  private final Limits limits;
  private final ParserOptions parserOptions;
  private final SignerVerifier signers;

  private GraphQLApi(GraphQL graphQL, GraphStore store, Limits limits, SignerVerifier signers) {
    this.graphQL = graphQL;
    this.signers = signers;
    this.store = store;
    this.limits = limits;
    this.parserOptions =
        ParserOptions.getDefaultOperationParserOptions()
            .transform(
                b ->
                    b.maxTokens(limits.maxTokens())
                        .maxCharacters(limits.maxTokens() * 16)
                        .maxWhitespaceTokens(limits.maxTokens() * 20));
  }

  public static GraphQLApi create(
      GraphStore store, Clock clock, Supplier<RulePack> rulePack, Dispositions dispositions) {
    return create(store, clock, rulePack, dispositions, Limits.DEFAULT);
  }

  public static GraphQLApi create(
      GraphStore store,
      Clock clock,
      Supplier<RulePack> rulePack,
      Dispositions dispositions,
      Limits limits) {
    return create(store, clock, rulePack, dispositions, limits, SignerVerifier.NOT_REQUIRED);
  }

  /**
   * The API whose signatures re-authenticate through {@code signers}; the other factories require
   * no re-authentication (embeddings and journal replay).
   */
  public static GraphQLApi create(
      GraphStore store,
      Clock clock,
      Supplier<RulePack> rulePack,
      Dispositions dispositions,
      Limits limits,
      SignerVerifier signers) {
    GraphQLSchema schema = SchemaWiring.schema(store, clock, rulePack, dispositions);
    FieldComplexityCalculator cost =
        (env, children) ->
            (env.getField().getName().equals("verifyAudit") ? VERIFY_AUDIT_COST : 1) + children;
    GraphQL graphQL =
        GraphQL.newGraphQL(schema)
            .instrumentation(
                new ChainedInstrumentation(
                    List.of(
                        new MaxQueryDepthInstrumentation(limits.maxDepth()),
                        new MaxQueryComplexityInstrumentation(limits.maxComplexity(), cost))))
            .defaultDataFetcherExceptionHandler(new CodedErrors())
            .build();
    return new GraphQLApi(graphQL, store, limits, signers);
  }

  /** Executes one request; returns the GraphQL-over-HTTP response body as a map. */
  public Map<String, Object> execute(
      String query, Map<String, Object> variables, String operationName, Caller caller) {
    return run(query, variables, operationName, caller).body();
  }

  /** Executes one request within the limits. */
  public Response run(
      String query, Map<String, Object> variables, String operationName, Caller caller) {
    return run(check(query, operationName), variables, caller);
  }

  /**
   * Parses one request within the parser limits and checks it against the others, running nothing.
   * A request that does not parse is left to {@link #run(Checked, Map, Caller)}, where graphql-java
   * reports the syntax error.
   */
  public Checked check(String query, String operationName) {
    Document doc = parse(query);
    return new Checked(
        query,
        operationName,
        doc,
        doc == null ? null : overLimits(doc),
        signers,
        graphQL.getGraphQLSchema());
  }

  /**
   * Runs a checked request: a refused one answers its refusal; a query runs in one read
   * transaction, a mutation in its own write transactions.
   */
  public Response run(Checked request, Map<String, Object> variables, Caller caller) {
    if (request.refusal != null) {
      return request.refusal;
    }
    Response unsigned = request.signatureRefusal(variables, caller);
    if (unsigned != null) {
      return unsigned;
    }
    Map<Object, Object> context = new HashMap<>();
    context.put(Caller.class, caller);
    context.put(ParserOptions.class, parserOptions);
    if (!limits.introspection()) {
      context.put(Introspection.INTROSPECTION_DISABLED, true);
    }
    ExecutionInput input =
        ExecutionInput.newExecutionInput()
            .query(request.query)
            .variables(variables == null ? Map.of() : variables)
            .operationName(request.operationName)
            .graphQLContext(context)
            .build();
    ExecutionResult result =
        isQuery(request.doc, request.operationName)
            ? store.read(r -> graphQL.execute(input))
            : graphQL.execute(input);
    Map<String, Object> body = withCodes(result.toSpecification());
    return new Response(body, result.isDataPresent() ? null : firstCode(body));
  }

  /**
   * One request, parsed and checked against the limits, not yet run. The server journals a mutation
   * only once it passed these checks, so a rebuild (which replays without limits) never runs one
   * that the server refused.
   */
  public static final class Checked {
    private final String query;
    private final String operationName;
    private final Document doc;
    private final Response refusal;
    private final SignerVerifier signers;
    private final GraphQLSchema schema;

    private Checked(
        String query,
        String operationName,
        Document doc,
        Response refusal,
        SignerVerifier signers,
        GraphQLSchema schema) {
      this.schema = schema;
      this.query = query;
      this.operationName = operationName;
      this.doc = doc;
      this.refusal = refusal;
      this.signers = signers;
    }

    /**
     * The answer when a signature's credential does not authenticate as the caller (as a field
     * error, with no data), else null; checked before a mutation is journaled, so a refused
     * signature never reaches the journal.
     */
    public Response signatureRefusal(Map<String, Object> variables, Caller caller) {
      if (refusal != null
          || doc == null
          || !signers.required()
          || !isMutation()
          || !SignerCredentials.signs(doc)
          || !graphql.ParseAndValidate.validate(schema, doc).isEmpty()) {
        return null; // an invalid request is answered by its validation errors first
      }
      PlumblineException e = SignerCredentials.refusal(doc, variables, caller, signers);
      if (e == null) {
        return null;
      }
      Map<String, Object> error = new java.util.LinkedHashMap<>();
      error.put("message", e.getMessage());
      error.put("extensions", Map.of("code", e.code().name()));
      Map<String, Object> body = new java.util.LinkedHashMap<>();
      body.put("errors", List.of(error));
      body.put("data", null);
      return new Response(body, null);
    }

    /** The request as it may be journaled: every signer's credential replaced. */
    public Map<String, Object> journalForm(Map<String, Object> variables) {
      return SignerCredentials.journalForm(doc, query, variables, operationName);
    }

    /** The answer if a limit refused the request before anything ran, else null. */
    public Response refusal() {
      return refusal;
    }

    /** Whether running it would run a mutation (false for a refused or unparsable request). */
    public boolean isMutation() {
      return refusal == null && doc != null && !isQuery(doc, operationName);
    }
  }

  /**
   * The refusal of a parsed request beyond the alias, depth or complexity limits, or null.
   * graphql-java's own depth and complexity checks walk the query with every fragment spread
   * expanded, which a fragment bomb makes exponential: these count each fragment once, in linear
   * time, and count at least what graphql-java would, so its checks never refuse a request that
   * passed these (they stay as a backstop).
   */
  private Response overLimits(Document doc) {
    int aliases = aliases(doc);
    if (aliases > limits.maxAliases()) {
      return refused(
          ApiError.QUERY_TOO_COMPLEX,
          "the request uses " + aliases + " aliases; at most " + limits.maxAliases());
    }
    Shape shape = shape(doc);
    if (shape.depth() > limits.maxDepth()) {
      return refused(
          ApiError.QUERY_TOO_COMPLEX,
          "the request nests fields " + shape.depth() + " deep; at most " + limits.maxDepth());
    }
    if (shape.cost() > limits.maxComplexity()) {
      return refused(
          ApiError.QUERY_TOO_COMPLEX,
          "the request expands to "
              + (shape.cost() >= CAP ? "more than " + CAP : shape.cost())
              + " fields (verifyAudit counts "
              + VERIFY_AUDIT_COST
              + "); at most "
              + limits.maxComplexity());
    }
    return null;
  }

  private static Response refused(ApiError code, String message) {
    Map<String, Object> error = new java.util.LinkedHashMap<>();
    error.put("message", message);
    error.put("extensions", Map.of("code", code.name()));
    return new Response(Map.of("errors", List.of(error)), code);
  }

  @SuppressWarnings("unchecked")
  private static ApiError firstCode(Map<String, Object> body) {
    if (body.get("errors") instanceof List<?> errors && !errors.isEmpty()) {
      Object code = ((Map<String, Object>) errors.get(0)).get("extensions");
      if (code instanceof Map<?, ?> ext) {
        for (ApiError e : ApiError.values()) {
          if (e.name().equals(ext.get("code"))) {
            return e;
          }
        }
      }
    }
    return ApiError.INVALID_QUERY;
  }

  /** The parsed request within the parser limits, or null if it does not parse. */
  private Document parse(String query) {
    try {
      return new Parser()
          .parseDocument(
              ParserEnvironment.newParserEnvironment()
                  .document(query)
                  .parserOptions(parserOptions)
                  .build());
    } catch (InvalidSyntaxException e) {
      return null; // graphql-java reports the syntax error itself
    }
  }

  private static final long CAP = 1_000_000_000L;

  /**
   * What a selection costs with every fragment spread expanded: fields (verifyAudit counting
   * {@value #VERIFY_AUDIT_COST}, capped at {@link #CAP}) and nesting depth in fields.
   */
  private record Shape(long cost, int depth) {
    static final Shape EMPTY = new Shape(0, 0);
  }

  /** The shape of the costliest and of the deepest operation. */
  private static Shape shape(Document doc) {
    Map<String, FragmentDefinition> fragments = new HashMap<>();
    doc.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
    Map<String, Shape> memo = new HashMap<>();
    long cost = 0;
    int depth = 0;
    for (OperationDefinition op : doc.getDefinitionsOfType(OperationDefinition.class)) {
      Shape s = shape(op.getSelectionSet(), fragments, memo);
      cost = Math.max(cost, s.cost());
      depth = Math.max(depth, s.depth());
    }
    return new Shape(cost, depth);
  }

  private static Shape shape(
      SelectionSet set, Map<String, FragmentDefinition> fragments, Map<String, Shape> memo) {
    if (set == null) {
      return Shape.EMPTY;
    }
    long cost = 0;
    int depth = 0;
    for (Selection<?> s : set.getSelections()) {
      if (s instanceof Field f) {
        Shape children = shape(f.getSelectionSet(), fragments, memo);
        cost += (f.getName().equals("verifyAudit") ? VERIFY_AUDIT_COST : 1) + children.cost();
        depth = Math.max(depth, 1 + children.depth());
      } else if (s instanceof InlineFragment i) {
        Shape inner = shape(i.getSelectionSet(), fragments, memo);
        cost += inner.cost();
        depth = Math.max(depth, inner.depth());
      } else if (s instanceof FragmentSpread spread) {
        Shape known = memo.get(spread.getName());
        if (known == null) {
          FragmentDefinition f = fragments.get(spread.getName());
          memo.put(spread.getName(), Shape.EMPTY); // a cycle counts nothing; validation refuses it
          known = f == null ? Shape.EMPTY : shape(f.getSelectionSet(), fragments, memo);
          memo.put(spread.getName(), known);
        }
        cost += known.cost();
        depth = Math.max(depth, known.depth());
      }
      if (cost >= CAP) {
        return new Shape(CAP, depth);
      }
    }
    return new Shape(cost, depth);
  }

  /** Aliases written in the request, in every operation and fragment. */
  private static int aliases(Document doc) {
    int n = 0;
    for (OperationDefinition op : doc.getDefinitionsOfType(OperationDefinition.class)) {
      n += aliases(op.getSelectionSet());
    }
    for (FragmentDefinition f : doc.getDefinitionsOfType(FragmentDefinition.class)) {
      n += aliases(f.getSelectionSet());
    }
    return n;
  }

  private static int aliases(SelectionSet set) {
    if (set == null) {
      return 0;
    }
    int n = 0;
    for (Selection<?> s : set.getSelections()) {
      if (s instanceof Field f) {
        n += (f.getAlias() == null ? 0 : 1) + aliases(f.getSelectionSet());
      } else if (s instanceof InlineFragment i) {
        n += aliases(i.getSelectionSet());
      }
    }
    return n;
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
        ext.put("code", codeOf(String.valueOf(error.get("message"))).name());
        error.put("extensions", ext);
      }
      coded.add(error);
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>(spec);
    out.put("errors", coded);
    return out;
  }

  /** The code of one of graphql-java's own errors, which carry none. */
  private static ApiError codeOf(String message) {
    if (message.contains("maximum query depth")
        || message.contains("maximum query complexity")
        || message.contains("good faith")
        || message.contains("parser has")
        || message.contains("parsing has been cancelled")) {
      return ApiError.QUERY_TOO_COMPLEX;
    }
    if (message.contains("Introspection has been disabled")) {
      return ApiError.INTROSPECTION_DISABLED;
    }
    return ApiError.INVALID_QUERY;
  }

  /** Queries share one read transaction; mutations open their own write transactions. */
  private static boolean isQuery(Document doc, String operationName) {
    if (doc == null) {
      return true;
    }
    return doc.getDefinitionsOfType(OperationDefinition.class).stream()
        .filter(o -> operationName == null || operationName.equals(o.getName()))
        .findFirst()
        .map(o -> o.getOperation() == OperationDefinition.Operation.QUERY)
        .orElse(true);
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
