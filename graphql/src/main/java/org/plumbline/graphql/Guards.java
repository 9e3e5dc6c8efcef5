package org.plumbline.graphql;

import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.validation.ValidationError;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * graphql-java's depth and complexity checks (the backstop of our own, see {@link
 * GraphQLApi.Limits}) and the execution deadline, as one instrumentation (issue 21). Chained, the
 * three cost a list of contexts for every field of every answer, about a fifth of a query's time;
 * here a field pays one clock read against the deadline its request was given. The depth and
 * complexity checks, which walk the whole query, run once per cached text and operation without
 * variables: for the same text, operation, schema and limits they answer the same.
 */
final class Guards extends SimplePerformantInstrumentation {
  /** The context key of the request's deadline, in {@link #ticker} nanoseconds. */
  static final Class<Guards> DEADLINE = Guards.class;

  /** The context key set (to true) when a request ran out of time. */
  static final String EXPIRED = Guards.class.getName() + ".expired";

  private final MaxQueryDepthInstrumentation depth;
  private final MaxQueryComplexityInstrumentation complexity;
  private final LongSupplier ticker;

  Guards(
      MaxQueryDepthInstrumentation depth,
      MaxQueryComplexityInstrumentation complexity,
      LongSupplier ticker) {
    this.depth = depth;
    this.complexity = complexity;
    this.ticker = ticker;
  }

  /**
   * One request's state: the complexity check's own, the deadline read once, and the cached text
   * whose guards it may skip or remember (null when it has variables, or is not cached).
   */
  private record State(
      InstrumentationState complexity,
      Long deadline,
      DocumentCache.Parsed remembered,
      String operationName)
      implements InstrumentationState {}

  @Override
  public CompletableFuture<InstrumentationState> createStateAsync(
      InstrumentationCreateStateParameters parameters) {
    graphql.ExecutionInput input = parameters.getExecutionInput();
    Long deadline = input.getGraphQLContext().get(DEADLINE);
    DocumentCache.Parsed parsed =
        input.getRawVariables().toMap().isEmpty()
            ? input.getGraphQLContext().get(DocumentCache.Parsed.class)
            : null;
    String op = input.getOperationName();
    CompletableFuture<InstrumentationState> inner = complexity.createStateAsync(parameters);
    return inner == null
        ? CompletableFuture.completedFuture(new State(null, deadline, parsed, op))
        : inner.thenApply(s -> new State(s, deadline, parsed, op));
  }

  @Override
  public InstrumentationContext<List<ValidationError>> beginValidation(
      InstrumentationValidationParameters parameters, InstrumentationState state) {
    complexity.beginValidation(parameters, ((State) state).complexity());
    return SimpleInstrumentationContext.noOp();
  }

  @Override
  public InstrumentationContext<graphql.ExecutionResult> beginExecuteOperation(
      InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
    State s = (State) state;
    if (s.remembered() != null && s.remembered().guardsPassed(s.operationName())) {
      return SimpleInstrumentationContext.noOp();
    }
    depth.beginExecuteOperation(parameters, null);
    complexity.beginExecuteOperation(parameters, s.complexity());
    if (s.remembered() != null) {
      s.remembered().guardsPass(s.operationName());
    }
    return SimpleInstrumentationContext.noOp();
  }

  /**
   * Stops a query whose time is up: checked before each field runs, it cancels the execution, which
   * graphql-java then aborts at its next step. A single slow store read is not interrupted.
   */
  @Override
  public InstrumentationContext<Object> beginFieldExecution(
      InstrumentationFieldParameters parameters, InstrumentationState state) {
    Long deadline = ((State) state).deadline();
    if (deadline != null && ticker.getAsLong() - deadline > 0) {
      ExecutionContext ctx = parameters.getExecutionContext();
      ctx.getGraphQLContext().put(EXPIRED, true);
      ctx.getExecutionInput().cancel();
    }
    return SimpleInstrumentationContext.noOp();
  }
}
