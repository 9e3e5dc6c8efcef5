package org.plumbline.graphql;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import java.util.HashMap;
import java.util.Map;

/**
 * What a parsed request costs before it runs, with every fragment spread expanded: fields ({@code
 * verifyAudit} counting more, capped at {@link #CAP}), nesting depth in fields, and the aliases
 * written. A cycle of fragments counts nothing (validation refuses it).
 */
record DocumentShape(long cost, int depth) {
  static final long CAP = 1_000_000_000L;
  static final DocumentShape EMPTY = new DocumentShape(0, 0);

  /** The shape of the costliest and of the deepest operation. */
  static DocumentShape of(Document doc, long verifyAuditCost) {
    Map<String, FragmentDefinition> fragments = new HashMap<>();
    doc.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
    Map<String, DocumentShape> memo = new HashMap<>();
    long cost = 0;
    int depth = 0;
    for (OperationDefinition op : doc.getDefinitionsOfType(OperationDefinition.class)) {
      DocumentShape s = shape(op.getSelectionSet(), fragments, memo, verifyAuditCost);
      cost = Math.max(cost, s.cost());
      depth = Math.max(depth, s.depth());
    }
    return new DocumentShape(cost, depth);
  }

  private static DocumentShape shape(
      SelectionSet set,
      Map<String, FragmentDefinition> fragments,
      Map<String, DocumentShape> memo,
      long verifyAuditCost) {
    if (set == null) {
      return EMPTY;
    }
    long cost = 0;
    int depth = 0;
    for (Selection<?> s : set.getSelections()) {
      if (s instanceof Field f) {
        DocumentShape children = shape(f.getSelectionSet(), fragments, memo, verifyAuditCost);
        cost += (f.getName().equals("verifyAudit") ? verifyAuditCost : 1) + children.cost();
        depth = Math.max(depth, 1 + children.depth());
      } else if (s instanceof InlineFragment i) {
        DocumentShape inner = shape(i.getSelectionSet(), fragments, memo, verifyAuditCost);
        cost += inner.cost();
        depth = Math.max(depth, inner.depth());
      } else if (s instanceof FragmentSpread spread) {
        DocumentShape known = memo.get(spread.getName());
        if (known == null) {
          FragmentDefinition f = fragments.get(spread.getName());
          memo.put(spread.getName(), EMPTY); // a cycle counts nothing; validation refuses it
          known = f == null ? EMPTY : shape(f.getSelectionSet(), fragments, memo, verifyAuditCost);
          memo.put(spread.getName(), known);
        }
        cost += known.cost();
        depth = Math.max(depth, known.depth());
      }
      if (cost >= CAP) {
        return new DocumentShape(CAP, depth);
      }
    }
    return new DocumentShape(cost, depth);
  }

  /** Aliases written in the request, in every operation and fragment. */
  static int aliases(Document doc) {
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
}
