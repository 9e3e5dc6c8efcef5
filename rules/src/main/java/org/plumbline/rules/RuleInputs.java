package org.plumbline.rules;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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
import org.drools.drl.ast.descr.FunctionImportDescr;
import org.drools.drl.ast.descr.NamedConsequenceDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.ast.descr.WindowReferenceDescr;
import org.drools.drl.parser.DrlParser;

/**
 * What a pack's rules can see of a drift, read from the pack's own text, so that two drifts the
 * rules cannot tell apart get the same decisions without firing the pack twice. A rule sees a drift
 * only through the constraints of its {@code DriftFacts} patterns: the key of a drift is the value
 * of each part of those constraints ({@link DriftTests}), such as {@code matchesAny( key, "flags.*"
 * )} or {@code changeRequests.size() > 0}, rather than the members themselves. So the first drift
 * of {@code llm.temperature} from 0.3 to 0.7 in one PROD environment answers every drift of an
 * {@code llm.*} key in a PROD environment with the same tests' outcomes, whatever its values,
 * times, environment and change request ids.
 *
 * <p>The reading is conservative; anything it cannot account for makes every member count whole:
 *
 * <ul>
 *   <li>every member counts when a rule can hold the whole fact: a pattern that could match a
 *       {@code DriftFacts} ({@code DriftFacts}, {@code Object} or {@code Record}) bound to a
 *       variable, using {@code this} or positional constraints, or collected or accumulated; a
 *       constraint calling a method of the fact or a function the pack does not declare; a
 *       construct the reading does not know; or the engine's reflective handles ({@code kcontext},
 *       {@code getObjects} and the like) anywhere in the text;
 *   <li>nothing is remembered at all when the pack has globals or windows, reads a clock or a
 *       random source, uses timers, calendars or effective dates, or its text does not parse: then
 *       its decisions may depend on more than the facts.
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
              + "(java\\.util\\.)?Date\\s*\\(|\\bglobal\\b|date-effective|date-expires|\\btimer\\s*\\("
              + "|\\bcalendars\\b");
  private static final Set<String> WHOLE_FACT_TYPES = Set.of("DriftFacts", "Object", "Record");

  private final List<DriftTests.Test> tests;
  private final List<String> names;
  private final boolean remembered;

  private RuleInputs(List<DriftTests.Test> tests, boolean remembered) {
    this.tests = List.copyOf(tests);
    Set<String> seen = new HashSet<>();
    tests.forEach(t -> seen.addAll(t.members()));
    this.names = MEMBERS.keySet().stream().filter(seen::contains).toList();
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
      List<PackageDescr> packages = new ArrayList<>();
      for (String text : drl) {
        DrlParser parser = new DrlParser();
        PackageDescr pkg = parser.parse(false, text);
        if (parser.hasErrors()
            || pkg == null
            || !pkg.getGlobals().isEmpty()
            || !pkg.getWindowDeclarations().isEmpty()) {
          return new RuleInputs(List.of(), false);
        }
        packages.add(pkg);
      }
      DriftTests tests = new DriftTests(functions(packages), functionNames(packages));
      if (words(all).stream().anyMatch(REFLECTIVE::contains)) {
        tests.everythingCounts();
      }
      for (PackageDescr pkg : packages) {
        for (RuleDescr rule : pkg.getRules()) {
          if (exposes(rule.getLhs(), false)) {
            tests.everythingCounts();
          }
          read(rule.getLhs(), tests);
        }
      }
      if (tests.everything()) {
        List<DriftTests.Test> whole = new ArrayList<>();
        MEMBERS.keySet().forEach(m -> whole.add(new DriftTests.Path(m, List.of(), false)));
        return new RuleInputs(whole, true);
      }
      return new RuleInputs(List.copyOf(tests.tests().values()), true);
    } catch (Exception | LinkageError e) {
      // Whatever the reading cannot read, it does not vouch for.
      return new RuleInputs(List.of(), false);
    }
  }

  /** Reads the constraints of every {@code DriftFacts} pattern below {@code d}. */
  private static void read(BaseDescr d, DriftTests tests) {
    if (d instanceof PatternDescr p) {
      String type = p.getObjectType() == null ? "Object" : p.getObjectType();
      String simple = type.substring(type.lastIndexOf('.') + 1);
      if (WHOLE_FACT_TYPES.contains(simple)) {
        for (BaseDescr c : p.getDescrs()) {
          if (c instanceof ExprConstraintDescr e
              && e.getType() != ExprConstraintDescr.Type.POSITIONAL) {
            tests.constraint(e.getExpression());
          } else if (c instanceof BindingDescr b) {
            tests.binding(b.getExpression());
          } else {
            tests.everythingCounts();
          }
        }
        if (!simple.equals("DriftFacts") && !p.getDescrs().isEmpty()) {
          tests.everythingCounts();
        }
      }
      if (p.getSource() != null) {
        read(p.getSource(), tests);
      }
    } else if (d instanceof ConditionalElementDescr ce) {
      for (BaseDescr child : ce.getDescrs()) {
        read(child, tests);
      }
    }
  }

  /** The imported functions that name exactly one public static method, by their name. */
  private static Map<String, Method> functions(List<PackageDescr> packages) {
    Map<String, Method> out = new HashMap<>();
    ClassLoader loader = RuleInputs.class.getClassLoader();
    for (PackageDescr pkg : packages) {
      for (FunctionImportDescr f : pkg.getFunctionImports()) {
        String target = f.getTarget();
        int dot = target.lastIndexOf('.');
        String name = target.substring(dot + 1);
        Class<?> owner;
        try {
          owner = Class.forName(target.substring(0, dot), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          continue;
        }
        Map<String, List<Method>> byName = new HashMap<>();
        for (Method m : owner.getMethods()) {
          if (Modifier.isStatic(m.getModifiers())
              && (name.equals("*") || m.getName().equals(name))) {
            byName.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(m);
          }
        }
        byName.forEach(
            (n, ms) -> {
              if (ms.size() == 1 && Modifier.isPublic(owner.getModifiers())) {
                out.put(n, ms.get(0));
              }
            });
      }
    }
    return out;
  }

  /** Every name a rule can call unqualified: imported or declared functions. */
  private static Set<String> functionNames(List<PackageDescr> packages) {
    Set<String> out = new HashSet<>();
    for (PackageDescr pkg : packages) {
      for (FunctionImportDescr f : pkg.getFunctionImports()) {
        String target = f.getTarget();
        out.add(target.substring(target.lastIndexOf('.') + 1));
      }
      pkg.getFunctions().forEach(f -> out.add(f.getName()));
    }
    // A wildcard import could name anything: read its calls as calls of unknown functions.
    out.remove("*");
    return out;
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
    Object[] values = new Object[tests.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = tests.get(i).of(facts);
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
