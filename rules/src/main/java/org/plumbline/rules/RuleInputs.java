package org.plumbline.rules;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.BindingDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ConditionalBranchDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.EntryPointDescr;
import org.drools.drl.ast.descr.EvalDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.FromDescr;
import org.drools.drl.ast.descr.NamedConsequenceDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.ast.descr.WindowReferenceDescr;
import org.drools.drl.parser.DrlParser;

/**
 * Which members of {@link DriftFacts} a pack's rules can see, read from the pack's own text, so
 * that two drifts equal in those members get the same decisions from the pack without firing it
 * twice (a blast-radius re-assessment changes only the blast radius, which the shipped pack never
 * reads).
 *
 * <p>The reading is conservative; anything it cannot account for makes every member count:
 *
 * <ul>
 *   <li>a member counts when its name appears as a word anywhere in the pack's files, comments and
 *       decision tables included;
 *   <li>every member counts when a rule can hold the whole fact: a pattern that could match a
 *       {@code DriftFacts} ({@code DriftFacts}, {@code Object} or {@code Record}) bound to a
 *       variable, using {@code this} or positional constraints, or collected or accumulated; a
 *       construct the reading does not know; or the engine's reflective handles ({@code kcontext},
 *       {@code getObjects} and the like) anywhere in the text;
 *   <li>nothing is remembered at all when the pack has globals or reads a clock or a random source,
 *       or its text does not parse: then its decisions may depend on more than the facts.
 * </ul>
 */
final class RuleInputs {
  /** Every member of {@link DriftFacts}, by name; {@code RuleInputsTest} keeps it complete. */
  static final Map<String, Function<DriftFacts, Object>> MEMBERS = readers();

  private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> REFLECTIVE =
      Set.of(
          "kcontext",
          "getObjects",
          "getObject",
          "getFactHandle",
          "getFactHandles",
          "getKieRuntime",
          "getKnowledgeRuntime",
          "getWorkingMemory",
          "getEntryPoint",
          "getMatch",
          "getTuple",
          "getKieSession");
  private static final Pattern UNSTEADY =
      Pattern.compile(
          "\\.now\\s*\\(|currentTimeMillis|nanoTime|Random|random\\s*\\(|randomUUID|new\\s+"
              + "(java\\.util\\.)?Date\\s*\\(|\\bglobal\\b");
  private static final Set<String> WHOLE_FACT_TYPES = Set.of("DriftFacts", "Object", "Record");

  private final List<Function<DriftFacts, Object>> readers;
  private final List<String> names;
  private final boolean remembered;

  private RuleInputs(List<String> names, boolean remembered) {
    this.names = List.copyOf(names);
    this.readers = names.stream().map(MEMBERS::get).toList();
    this.remembered = remembered;
  }

  /** Reads the pack files ({@code *.drl} and {@code *.drl.csv}, by file name). */
  static RuleInputs of(Map<String, byte[]> files) {
    StringBuilder all = new StringBuilder();
    List<String> drl = new ArrayList<>();
    try {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        String text = new String(file.getValue(), StandardCharsets.UTF_8);
        all.append(text).append('\n');
        drl.add(
            file.getKey().endsWith(".drl.csv")
                ? new SpreadsheetCompiler()
                    .compile(new ByteArrayInputStream(file.getValue()), InputType.CSV)
                : text);
      }
      all.append(String.join("\n", drl));
      if (UNSTEADY.matcher(all).find()) {
        return new RuleInputs(List.of(), false);
      }
      Set<String> words = words(all);
      boolean whole = words.stream().anyMatch(REFLECTIVE::contains);
      for (String text : drl) {
        DrlParser parser = new DrlParser();
        PackageDescr pkg = parser.parse(false, text);
        if (parser.hasErrors() || pkg == null || !pkg.getGlobals().isEmpty()) {
          return new RuleInputs(List.of(), false);
        }
        for (RuleDescr rule : pkg.getRules()) {
          whole |= exposes(rule.getLhs(), false);
        }
      }
      boolean everything = whole;
      return new RuleInputs(
          MEMBERS.keySet().stream().filter(m -> everything || words.contains(m)).toList(), true);
    } catch (Exception | LinkageError e) {
      // Whatever the reading cannot read, it does not vouch for.
      return new RuleInputs(List.of(), false);
    }
  }

  /** Whether decisions may be remembered at all. */
  boolean remembered() {
    return remembered;
  }

  /** The members the pack's rules can see, in declaration order. */
  List<String> members() {
    return names;
  }

  /** What the pack's rules can see of {@code facts}: equal keys, equal decisions. */
  Key key(DriftFacts facts) {
    Object[] values = new Object[readers.size()];
    for (int i = 0; i < readers.size(); i++) {
      values[i] = readers.get(i).apply(facts);
    }
    return new Key(values);
  }

  /** The visible members' values; equal by content. */
  record Key(Object[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return Arrays.toString(values);
    }
  }

  /** Whether a condition lets a rule hold a whole fact that could be a {@code DriftFacts}. */
  private static boolean exposes(BaseDescr d, boolean aggregated) {
    if (d == null || d instanceof EvalDescr) {
      // An eval sees only bound variables, and binding a whole fact is caught at its pattern.
      return false;
    }
    if (d instanceof PatternDescr p) {
      return exposes(p, aggregated);
    }
    if (d instanceof NamedConsequenceDescr || d instanceof ConditionalBranchDescr) {
      return false;
    }
    if (d instanceof ConditionalElementDescr ce) {
      boolean inner = aggregated || d instanceof AccumulateDescr || d instanceof CollectDescr;
      for (BaseDescr child : ce.getDescrs()) {
        if (exposes(child, inner)) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  private static boolean exposes(PatternDescr p, boolean aggregated) {
    String type = p.getObjectType() == null ? "Object" : p.getObjectType();
    if (WHOLE_FACT_TYPES.contains(type.substring(type.lastIndexOf('.') + 1))) {
      if (aggregated || p.getIdentifier() != null || !p.getPositionalConstraints().isEmpty()) {
        return true;
      }
      for (BaseDescr c : p.getDescrs()) {
        String expression =
            c instanceof ExprConstraintDescr e
                ? e.getType() == ExprConstraintDescr.Type.POSITIONAL ? null : e.getExpression()
                : c instanceof BindingDescr b ? b.getExpression() : null;
        if (expression == null || words(expression).contains("this")) {
          return true;
        }
      }
    }
    Object source = p.getSource();
    if (source instanceof AccumulateDescr || source instanceof CollectDescr) {
      return exposes((BaseDescr) source, true);
    }
    return !(source == null
        || source instanceof FromDescr
        || source instanceof EntryPointDescr
        || source instanceof WindowReferenceDescr);
  }

  private static Set<String> words(CharSequence text) {
    Set<String> out = new TreeSet<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static Map<String, Function<DriftFacts, Object>> readers() {
    Map<String, Function<DriftFacts, Object>> m = new LinkedHashMap<>();
    m.put("environment", DriftFacts::environment);
    m.put("tier", DriftFacts::tier);
    m.put("owner", DriftFacts::owner);
    m.put("key", DriftFacts::key);
    m.put("expected", DriftFacts::expected);
    m.put("actual", DriftFacts::actual);
    m.put("trail", DriftFacts::trail);
    m.put("detectedAt", DriftFacts::detectedAt);
    m.put("observedAt", DriftFacts::observedAt);
    m.put("blastRadius", DriftFacts::blastRadius);
    m.put("reevaluate", DriftFacts::reevaluate);
    m.put("changeRequests", DriftFacts::changeRequests);
    m.put("metric", DriftFacts::metric);
    m.put("observation", DriftFacts::observation);
    return Collections.unmodifiableMap(m);
  }
}
