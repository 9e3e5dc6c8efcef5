package org.plumbline.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * graphql-java's guards run once per cached text without variables, and always refuse (issue 21).
 */
class GuardsTest {
  private final AtomicInteger depthRuns = new AtomicInteger();
  private final GraphQL graphQL;

  GuardsTest() {
    GraphQLSchema schema =
        new SchemaGenerator()
            .makeExecutableSchema(
                new SchemaParser().parse("type Query { a: A } type A { b: A n: Int }"),
                RuntimeWiring.newRuntimeWiring().build());
    MaxQueryDepthInstrumentation depth =
        new MaxQueryDepthInstrumentation(2) {
          @Override
          public InstrumentationContext<ExecutionResult> beginExecuteOperation(
              InstrumentationExecuteOperationParameters p, InstrumentationState s) {
            depthRuns.incrementAndGet();
            return super.beginExecuteOperation(p, s);
          }
        };
    graphQL =
        GraphQL.newGraphQL(schema)
            .instrumentation(
                new Guards(depth, new MaxQueryComplexityInstrumentation(100), System::nanoTime))
            .build();
  }

  private ExecutionResult run(String query, Map<String, Object> vars, DocumentCache.Parsed p) {
    return graphQL.execute(
        ExecutionInput.newExecutionInput()
            .query(query)
            .variables(vars)
            .graphQLContext(Map.of(DocumentCache.Parsed.class, p))
            .build());
  }

  private static DocumentCache.Parsed entry() {
    return new DocumentCache.Parsed(null, 0, DocumentShape.EMPTY, 0);
  }

  @Test
  void aPassingTextWithoutVariablesIsCheckedOnce() {
    DocumentCache.Parsed p = entry();
    assertTrue(run("{ a { n } }", Map.of(), p).getErrors().isEmpty());
    assertTrue(run("{ a { n } }", Map.of(), p).getErrors().isEmpty());
    assertEquals(1, depthRuns.get());
  }

  @Test
  void withVariablesEveryRequestIsChecked() {
    DocumentCache.Parsed p = entry();
    String q = "query($x: Boolean!) { a { n @include(if: $x) } }";
    run(q, Map.of("x", true), p);
    run(q, Map.of("x", true), p);
    assertEquals(2, depthRuns.get());
  }

  @Test
  void aRefusedTextIsRefusedEveryTime() {
    DocumentCache.Parsed p = entry();
    for (int i = 0; i < 3; i++) {
      ExecutionResult r = run("{ a { b { b { n } } } }", Map.of(), p);
      assertFalse(r.getErrors().isEmpty(), "refused by the depth guard");
      assertTrue(r.getErrors().get(0).getMessage().contains("depth"), r.getErrors().toString());
    }
    assertEquals(3, depthRuns.get());
  }
}
