package org.plumbline.server.write;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.plumbline.governance.Caller;

/**
 * What the write path needs to know of a GraphQL mutation before it journals it: whether the caller
 * may run it at all, and which variables it uses. A request refused here is answered without
 * touching the journal, and an accepted one is journaled with its document and only the variables
 * its operation declares, so that nobody can grow the durable journal with data the command never
 * reads.
 */
final class MutationRequests {
  /**
   * The roles each mutation field needs (one of them; admin holds all). The data fetchers check the
   * same roles again as they run; a field not listed here needs one of {@link #ANY_MUTATION}.
   */
  static final Map<String, Set<String>> ROLES =
      Map.of(
          "requestDisposition", Set.of("operator"),
          "approveDisposition", Set.of("approver", "model-risk"),
          "rejectDisposition", Set.of("approver", "model-risk"),
          "extendEnvironment", Set.of("operator"),
          "recordValidation", Set.of("model-risk"),
          "approveBlueprint", Set.of("approver", "model-risk"),
          "rejectBlueprint", Set.of("approver", "model-risk"),
          "promotionGate", Set.of("loader", "operator"));

  /** Roles that may run some mutation: a caller with none of them may run none. */
  static final Set<String> ANY_MUTATION = Set.of("operator", "approver", "model-risk");

  private MutationRequests() {}

  /** The outcome: the first field the caller may not run (or null), and the variables used. */
  record Screened(String forbiddenField, Set<String> neededRoles, Map<String, Object> variables) {}

  /**
   * Screens a request that {@link org.plumbline.graphql.GraphQLApi#check} found to be a mutation
   * (so it parses, within the parser limits).
   */
  static Screened screen(
      String query, String operationName, Map<String, Object> variables, Caller caller) {
    Document doc;
    try {
      doc = Parser.parse(query);
    } catch (InvalidSyntaxException e) {
      // Cannot happen for a checked mutation; refuse rather than journal what we cannot read.
      return new Screened("(unparsable)", ANY_MUTATION, Map.of());
    }
    OperationDefinition op = operation(doc, operationName);
    if (op == null) {
      return new Screened(null, Set.of(), Map.of());
    }
    Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
    doc.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
    List<String> fields = new ArrayList<>();
    topFields(op.getSelectionSet(), fragments, new HashSet<>(), fields);
    for (String field : fields) {
      Set<String> roles = ROLES.getOrDefault(field, ANY_MUTATION);
      if (field.startsWith("__")) {
        continue; // __typename: no effect
      }
      if (!caller.hasAny(roles.toArray(String[]::new))) {
        return new Screened(field, roles, Map.of());
      }
    }
    Map<String, Object> used = new LinkedHashMap<>();
    for (VariableDefinition v : op.getVariableDefinitions()) {
      if (variables != null && variables.containsKey(v.getName())) {
        used.put(v.getName(), variables.get(v.getName()));
      }
    }
    return new Screened(null, Set.of(), used);
  }

  private static OperationDefinition operation(Document doc, String name) {
    List<OperationDefinition> ops = doc.getDefinitionsOfType(OperationDefinition.class);
    if (name == null || name.isEmpty()) {
      return ops.size() == 1 ? ops.get(0) : null;
    }
    return ops.stream().filter(o -> name.equals(o.getName())).findFirst().orElse(null);
  }

  /** The top-level field names, through inline fragments and fragment spreads. */
  private static void topFields(
      SelectionSet set,
      Map<String, FragmentDefinition> fragments,
      Set<String> seen,
      List<String> out) {
    if (set == null) {
      return;
    }
    for (Selection<?> s : set.getSelections()) {
      if (s instanceof Field f) {
        out.add(f.getName());
      } else if (s instanceof InlineFragment i) {
        topFields(i.getSelectionSet(), fragments, seen, out);
      } else if (s instanceof FragmentSpread spread && seen.add(spread.getName())) {
        FragmentDefinition f = fragments.get(spread.getName());
        if (f != null) {
          topFields(f.getSelectionSet(), fragments, seen, out);
        }
      }
    }
  }
}
