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
import graphql.execution.ResultNodesInfo;
import graphql.introspection.Introspection;
import graphql.language.Document;
import graphql.language.NodeUtil;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.schema.GraphQLSchema;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.plumbline.governance.Caller;
import org.plumbline.governance.Governor;
import org.plumbline.graphql.internal.CostModel;
import org.plumbline.graphql.internal.SchemaWiring;
import org.plumbline.graphql.internal.SignerCredentials;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
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
   * at {@code maxTokens}. Cost counts list sizes too (see {@link CostModel}): it is checked before
   * anything runs; result nodes and execution time bound what a request that passed it may still
   * do, since estimates of nested lists are defaults, not counts.
   *
   * @param introspection false refuses {@code __schema} and {@code __type}
   * @param maxCost most values a request is estimated to resolve, list sizes multiplied in
   * @param maxResultNodes most values an answer may hold while it runs
   * @param maxListItems most items of an unpaged list, and largest {@code first}
   * @param maxExecution longest a query may run before it is stopped
   */
  public record Limits(
      int maxDepth,
      int maxComplexity,
      int maxAliases,
      int maxTokens,
      boolean introspection,
      long maxCost,
      int maxResultNodes,
      int maxListItems,
      Duration maxExecution) {
    /** Default cost budget: estimated values, list sizes multiplied in. */
    public static final long DEFAULT_MAX_COST = 250_000;

    /** Default bound on the values an answer holds while it runs. */
    public static final int DEFAULT_MAX_RESULT_NODES = 500_000;

    /** Default largest unpaged list and page (CONTRACT section 7: at least 10,000). */
    public static final int DEFAULT_MAX_LIST_ITEMS = 10_000;

    /** Default longest execution. */
    public static final Duration DEFAULT_MAX_EXECUTION = Duration.ofSeconds(30);

    /**
     * Depth 15, complexity 1000, 50 aliases, 10,000 tokens, introspection on, cost 250,000, result
     * nodes 500,000, lists of 10,000, 30 seconds.
     */
    public static final Limits DEFAULT = new Limits(DEFAULT_MAX_DEPTH, 1000, 50, 10_000, true);

    /**
     * For replaying GraphQL mutations journaled by servers before commands were journaled as such
     * (each passed the server's limits when it was accepted): only the parser's token bound, which
     * the server does not let anyone configure.
     */
    public static final Limits REPLAY =
        new Limits(
            Integer.MAX_VALUE,
            Integer.MAX_VALUE,
            Integer.MAX_VALUE,
            DEFAULT.maxTokens(),
            true,
            Long.MAX_VALUE,
            Integer.MAX_VALUE,
            Integer.MAX_VALUE,
            Duration.ofDays(1));

    /** The given limits with the default cost, result-node, list and time bounds. */
    public Limits(
        int maxDepth, int maxComplexity, int maxAliases, int maxTokens, boolean introspection) {
      this(
          maxDepth,
          maxComplexity,
          maxAliases,
          maxTokens,
          introspection,
          DEFAULT_MAX_COST,
          DEFAULT_MAX_RESULT_NODES,
          DEFAULT_MAX_LIST_ITEMS,
          DEFAULT_MAX_EXECUTION);
    }

    /** These limits with other cost, result-node, list and time bounds. */
    public Limits withCost(
        long maxCost, int maxResultNodes, int maxListItems, Duration maxExecution) {
      return new Limits(
          maxDepth,
          maxComplexity,
          maxAliases,
          maxTokens,
          introspection,
          maxCost,
          maxResultNodes,
          maxListItems,
          maxExecution);
    }
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
  private final Clock clock;
  private final LongSupplier ticker;
  private final ParserOptions parserOptions;
  private final SignerVerifier signers;
  private final DocumentCache documents;

  private GraphQLApi(
      GraphQL graphQL,
      DocumentCache documents,
      GraphStore store,
      Limits limits,
      Clock clock,
      LongSupplier ticker,
      SignerVerifier signers) {
    this.graphQL = graphQL;
    this.documents = documents;
    this.signers = signers;
    this.store = store;
    this.limits = limits;
    this.clock = clock;
    this.ticker = ticker;
    this.parserOptions =
        ParserOptions.getDefaultOperationParserOptions()
            .transform(
                b ->
                    b.maxTokens(limits.maxTokens())
                        .maxCharacters(limits.maxTokens() * 16)
                        .maxWhitespaceTokens(limits.maxTokens() * 20));
  }

  public static GraphQLApi create(
      GraphStore store, Clock clock, Supplier<RulePack> rulePack, Governor governor) {
    return create(store, clock, rulePack, governor, Limits.DEFAULT);
  }

  public static GraphQLApi create(
      GraphStore store,
      Clock clock,
      Supplier<RulePack> rulePack,
      Governor governor,
      Limits limits) {
    return create(store, clock, rulePack, governor, limits, System::nanoTime);
  }

  /**
   * As {@link #create(GraphStore, Clock, Supplier, Governor, Limits)}, with the monotonic
   * nanosecond ticker that times execution (tests pass their own).
   */
  public static GraphQLApi create(
      GraphStore store,
      Clock clock,
      Supplier<RulePack> rulePack,
      Governor governor,
      Limits limits,
      LongSupplier ticker) {
    return create(store, clock, rulePack, governor, limits, ticker, SignerVerifier.NOT_REQUIRED);
  }

  /**
   * The API whose signatures re-authenticate through {@code signers}; the other factories require
   * no re-authentication (embeddings and journal replay).
   */
  public static GraphQLApi create(
      GraphStore store,
      Clock clock,
      Supplier<RulePack> rulePack,
      Governor governor,
      Limits limits,
      SignerVerifier signers) {
    return create(store, clock, rulePack, governor, limits, System::nanoTime, signers);
  }

  /** The API with its ticker and its signature re-authentication. */
  public static GraphQLApi create(
      GraphStore store,
      Clock clock,
      Supplier<RulePack> rulePack,
      Governor governor,
      Limits limits,
      LongSupplier ticker,
      SignerVerifier signers) {
    GraphQLSchema schema = SchemaWiring.schema(store, clock, rulePack, governor);
    FieldComplexityCalculator cost =
        (env, children) ->
            (env.getField().getName().equals("verifyAudit") ? VERIFY_AUDIT_COST : 1) + children;
    DocumentCache documents = new DocumentCache(DocumentCache.MAX_CHARACTERS);
    GraphQL graphQL =
        GraphQL.newGraphQL(schema)
            .preparsedDocumentProvider(documents)
            .instrumentation(
                new Guards(
                    new MaxQueryDepthInstrumentation(limits.maxDepth()),
                    new MaxQueryComplexityInstrumentation(limits.maxComplexity(), cost),
                    ticker))
            .defaultDataFetcherExceptionHandler(new CodedErrors())
            .build();
    return new GraphQLApi(graphQL, documents, store, limits, clock, ticker, signers);
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
    DocumentCache.Parsed parsed = documents.parsed(query, this::measured);
    return new Checked(
        query,
        operationName,
        parsed,
        parsed.doc == null ? null : overLimits(parsed),
        signers,
        graphQL.getGraphQLSchema());
  }

  /** A request text parsed within the parser limits (null if it does not), with its shape. */
  private DocumentCache.Parsed measured(String query) {
    Document doc = parse(query);
    return doc == null
        ? new DocumentCache.Parsed(null, 0, DocumentShape.EMPTY, 0)
        : new DocumentCache.Parsed(
            doc,
            DocumentShape.aliases(doc),
            DocumentShape.of(doc, VERIFY_AUDIT_COST),
            CostModel.ceiling(doc, graphQL.getGraphQLSchema(), limits.maxListItems()));
  }

  /**
   * Runs a checked request: a refused one answers its refusal; a query runs in one read
   * transaction, a mutation in its own write transactions.
   */
  public Response run(Checked request, Map<String, Object> variables, Caller caller) {
    return run(request, variables, caller, false);
  }

  /**
   * As {@link #run(Checked, Map, Caller)}; {@code credentialOnRequest}: the caller's own credential
   * came with this request (a bearer token on {@code /graphql}), so a signature without {@code
   * credential} is signed with it (CONTRACT section 5: {@code approveDisposition(disposition,
   * meaning)}). A credential given is checked all the same. Where a session stands in for the
   * credential (the console), the signer's token must be entered again.
   */
  public Response run(
      Checked request, Map<String, Object> variables, Caller caller, boolean credentialOnRequest) {
    if (request.refusal != null) {
      return request.refusal;
    }
    Response unsigned = request.signatureRefusal(variables, caller, credentialOnRequest);
    if (unsigned != null) {
      return unsigned;
    }
    Map<Object, Object> context = new HashMap<>();
    context.put(Caller.class, caller);
    context.put(ParserOptions.class, parserOptions);
    context.put(Limits.class, limits);
    context.put(ResultNodesInfo.MAX_RESULT_NODES, limits.maxResultNodes());
    long maxNanos =
        limits.maxExecution().compareTo(Duration.ofDays(1)) >= 0
            ? Long.MAX_VALUE / 2
            : limits.maxExecution().toNanos();
    context.put(Guards.DEADLINE, ticker.getAsLong() + maxNanos);
    context.put(DocumentCache.Parsed.class, request.parsed);
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
    Response stopped = stopped(input);
    if (stopped != null) {
      return stopped;
    }
    Map<String, Object> body = withCodes(result.toSpecification());
    return new Response(body, result.isDataPresent() ? null : firstCode(body));
  }

  /**
   * The answer of a request stopped while it ran, by the result-node or time bound: one coded
   * error, no partial data (a partial answer would look complete). It ran, so a transport answers
   * 200, as for other field errors.
   */
  private Response stopped(ExecutionInput input) {
    graphql.GraphQLContext context = input.getGraphQLContext();
    ResultNodesInfo nodes = context.get(ResultNodesInfo.RESULT_NODES_INFO);
    String why = null;
    if (Boolean.TRUE.equals(context.get(Guards.EXPIRED))) {
      why =
          "the query ran longer than "
              + limits.maxExecution()
              + " and was stopped: narrow it, page its lists (first/after) or select fewer fields";
    } else if (nodes != null && nodes.isMaxResultNodesExceeded()) {
      why =
          "the answer grew beyond "
              + limits.maxResultNodes()
              + " values and was stopped: page its lists (first/after) or select fewer fields";
    }
    if (why == null) {
      return null;
    }
    Map<String, Object> error = new java.util.LinkedHashMap<>();
    error.put("message", why);
    error.put("extensions", Map.of("code", ApiError.QUERY_TOO_COSTLY.name()));
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("errors", List.of(error));
    body.put("data", null);
    return new Response(body, null);
  }

  /**
   * One request, parsed and checked against the limits, not yet run. A mutation runs (and issues
   * its commands, which the governor journals) only once it passed these checks.
   */
  public static final class Checked {
    private final String query;
    private final String operationName;
    private final Document doc;
    private final DocumentCache.Parsed parsed;
    private final Response refusal;
    private final SignerVerifier signers;
    private final GraphQLSchema schema;

    private Checked(
        String query,
        String operationName,
        DocumentCache.Parsed parsed,
        Response refusal,
        SignerVerifier signers,
        GraphQLSchema schema) {
      this.schema = schema;
      this.query = query;
      this.operationName = operationName;
      this.parsed = parsed;
      this.doc = parsed.doc;
      this.refusal = refusal;
      this.signers = signers;
    }

    /**
     * The answer when a signature's credential does not authenticate as the caller (as a field
     * error, with no data), else null; checked before a mutation runs, so a refused signature never
     * issues a command.
     */
    public Response signatureRefusal(
        Map<String, Object> variables, Caller caller, boolean credentialOnRequest) {
      if (refusal != null
          || doc == null
          || !signers.required()
          || !isMutation()
          || !SignerCredentials.signs(doc)
          || !graphql.ParseAndValidate.validate(schema, doc).isEmpty()) {
        return null; // an invalid request is answered by its validation errors first
      }
      PlumblineException e =
          SignerCredentials.refusal(doc, variables, caller, signers, credentialOnRequest);
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
  private Response overLimits(DocumentCache.Parsed parsed) {
    Document doc = parsed.doc;
    int aliases = parsed.aliases;
    if (aliases > limits.maxAliases()) {
      return refused(
          ApiError.QUERY_TOO_COMPLEX,
          "the request uses " + aliases + " aliases; at most " + limits.maxAliases());
    }
    DocumentShape shape = parsed.shape;
    if (shape.depth() > limits.maxDepth()) {
      return refused(
          ApiError.QUERY_TOO_COMPLEX,
          "the request nests fields " + shape.depth() + " deep; at most " + limits.maxDepth());
    }
    // The store's counts can only lower the estimate: a request within the budget at its ceiling
    // passes without a read (the same answer, one read transaction fewer).
    if (shape.cost() <= limits.maxComplexity()
        && limits.maxCost() < Long.MAX_VALUE
        && parsed.costCeiling > limits.maxCost()) {
      CostModel.Estimate estimate =
          store.read(
              r ->
                  CostModel.estimate(
                      doc, graphQL.getGraphQLSchema(), r, clock, limits.maxListItems()));
      if (estimate.total() > limits.maxCost()) {
        return refused(
            ApiError.QUERY_TOO_COSTLY,
            "the request would resolve about "
                + (estimate.total() >= 1_000_000_000_000L
                    ? "more than 10^12"
                    : String.valueOf(estimate.total()))
                + " values, counting each list's expected size (first, a stored count, or the"
                + " field's default): at most "
                + limits.maxCost()
                + ". Page the lists with first/after, nest fewer lists, or use fewer aliases."
                + " Sizes assumed: "
                + largest(estimate.lists()));
      }
    }
    if (shape.cost() > limits.maxComplexity()) {
      return refused(
          ApiError.QUERY_TOO_COMPLEX,
          "the request expands to "
              + (shape.cost() >= DocumentShape.CAP
                  ? "more than " + DocumentShape.CAP
                  : shape.cost())
              + " fields (verifyAudit counts "
              + VERIFY_AUDIT_COST
              + "); at most "
              + limits.maxComplexity());
    }
    return null;
  }

  /** The five largest list sizes assumed, for the refusal's message. */
  private static String largest(Map<String, String> lists) {
    return lists.entrySet().stream()
        .sorted(
            java.util.Comparator.comparingLong(
                    (Map.Entry<String, String> e) ->
                        Long.parseLong(e.getValue().substring(0, e.getValue().indexOf(' '))))
                .reversed())
        .limit(5)
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(java.util.stream.Collectors.joining(", "));
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

  /**
   * Queries share one read transaction; mutations open their own write transactions. The operation
   * is the one graphql-java will run, chosen from the parsed document the same way ({@code
   * operationName} "" or null picks the only operation), never guessed from the name's text.
   */
  private static boolean isQuery(Document doc, String operationName) {
    if (doc == null) {
      return true;
    }
    OperationDefinition op;
    try {
      op = NodeUtil.getOperation(doc, operationName).operationDefinition;
    } catch (RuntimeException e) {
      return true; // no such operation, or several without a name: graphql-java refuses it
    }
    return op == null || op.getOperation() == OperationDefinition.Operation.QUERY;
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
