package org.plumbline.rules;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What the constraints of a pack's {@code DriftFacts} patterns test of a drift, read from their
 * text: the values a rule's outcome can depend on. Equal values, equal outcomes; so two drifts that
 * differ only in what no constraint can tell apart (another detection time of a key that no
 * time-based rule matches, another change request id where the rules count the requests) get the
 * same answer from the pack.
 *
 * <p>Each constraint is read as the values of its parts, smallest first where the reading is sure
 * of the part's bounds and meaning, and the whole member otherwise:
 *
 * <ul>
 *   <li>a call of an imported function ({@code import function}) whose arguments are members or
 *       plain literals: the call's result (pack functions are functions of their arguments);
 *   <li>{@code member == null} or {@code != null}, a {@code String} member {@code ==} or {@code !=}
 *       a string literal, {@code member.size()} compared with a whole number, each standing between
 *       {@code (}, {@code ,}, {@code &&}, {@code ||} and the end: the comparison's result;
 *   <li>a member, a path of members below it ({@code metric.effect}) or its {@code size()}: that
 *       value, with the place of a {@code null} on the way;
 *   <li>a call the reading does not know, a bound field ({@code $x : f}), an abbreviated comparison
 *       ({@code == a || == b}), a cast ({@code #}): whole members, or every member.
 * </ul>
 */
final class DriftTests {
  /** One value a pack's constraints depend on. */
  interface Test {
    Object of(DriftFacts facts);

    /** The members of {@link DriftFacts} it reads. */
    Set<String> members();
  }

  /** The value of a path whose step {@code step} (0: the member itself) was null. */
  record NullAt(int step) {}

  /** A function that threw: only drifts with the same arguments share the outcome. */
  record Failed(List<Object> arguments) {}

  private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", ">", "<=", ">=");
  private static final Set<String> BEFORE_TERM = Set.of("(", ",", "&&", "||");
  private static final Set<String> AFTER_TERM = Set.of(")", ",", "&&", "||");
  private static final Map<String, RecordComponent> COMPONENTS = components();

  private final Map<String, Method> functions;
  private final Set<String> declared;
  private final Map<String, Test> tests = new LinkedHashMap<>();
  private boolean everything;

  /**
   * @param functions the pack's imported functions that resolved to one public static method
   * @param declared names of every function a pack can call unqualified (imported or declared in
   *     DRL): a call of any other name might be a method of the fact itself
   */
  DriftTests(Map<String, Method> functions, Set<String> declared) {
    this.functions = functions;
    this.declared = declared;
  }

  /** Whether some constraint could read any member: then every member counts whole. */
  boolean everything() {
    return everything;
  }

  void everythingCounts() {
    everything = true;
  }

  /** The tests read so far, each once, by their text. */
  Map<String, Test> tests() {
    return tests;
  }

  /** Reads one constraint of a {@code DriftFacts} pattern. */
  void constraint(String expression) {
    read(expression, true);
  }

  /** Reads the expression of a binding: its members count whole, as the variable holds them. */
  void binding(String expression) {
    read(expression, false);
  }

  private void read(String expression, boolean reduce) {
    List<Token> t = Token.of(expression);
    if (t == null) {
      everything = true;
      return;
    }
    for (int i = 0; i < t.size(); i++) {
      String s = t.get(i).text;
      if (s.equals(":") || s.equals("#") || s.equals(":=")) {
        reduce = false;
      }
      if (COMPARISONS.contains(s) && (i == 0 || BEFORE_TERM.contains(t.get(i - 1).text))) {
        reduce = false;
      }
    }
    int i = 0;
    while (i < t.size()) {
      Token token = t.get(i);
      boolean qualified = i > 0 && (t.get(i - 1).is(".") || t.get(i - 1).is("?."));
      if (token.kind != Kind.IDENT || qualified) {
        i++;
        continue;
      }
      if (token.text.equals("this")) {
        everything = true;
        return;
      }
      boolean call = at(t, i + 1, "(");
      if (call && !COMPONENTS.containsKey(token.text)) {
        if (!declared.contains(token.text)) {
          everything = true; // perhaps a method of the fact: toString(), equals(..)
          return;
        }
        int next = reduce ? call(t, i) : -1;
        i = next < 0 ? i + 1 : next;
        continue;
      }
      if (COMPONENTS.containsKey(token.text)) {
        i = member(t, i, reduce && !call);
        continue;
      }
      i++;
    }
  }

  /** A function call at {@code i}; the index after it, or -1 when not read as one value. */
  private int call(List<Token> t, int i) {
    Method method = functions.get(t.get(i).text);
    if (method == null) {
      return -1;
    }
    List<Function<DriftFacts, Object>> args = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    Set<String> members = new java.util.TreeSet<>();
    int j = i + 2;
    Class<?>[] params = method.getParameterTypes();
    while (!at(t, j, ")")) {
      if (args.size() >= params.length || j >= t.size()) {
        return -1;
      }
      Token a = t.get(j);
      Class<?> type = params[args.size()];
      if (a.kind == Kind.IDENT && COMPONENTS.containsKey(a.text)) {
        RecordComponent c = COMPONENTS.get(a.text);
        if (!type.isAssignableFrom(c.getType())) {
          return -1;
        }
        Function<DriftFacts, Object> reader = RuleInputs.MEMBERS.get(a.text);
        args.add(reader);
        members.add(a.text);
      } else {
        Object literal = literal(a, type);
        if (literal == NONE) {
          return -1;
        }
        args.add(f -> literal);
      }
      texts.add(a.text);
      j++;
      if (at(t, j, ",")) {
        j++;
      } else if (!at(t, j, ")")) {
        return -1;
      }
    }
    if (args.size() != params.length) {
      return -1;
    }
    String text = t.get(i).text + "(" + String.join(", ", texts) + ")";
    tests.putIfAbsent(text, new Call(method, List.copyOf(args), Set.copyOf(members)));
    return j + 1;
  }

  /** A member at {@code i}, and what follows it; the index after what was read. */
  private int member(List<Token> t, int i, boolean reduce) {
    String name = t.get(i).text;
    List<Method> steps = new ArrayList<>();
    Class<?> type = COMPONENTS.get(name).getType();
    StringBuilder text = new StringBuilder(name);
    int j = i + 1;
    boolean size = false;
    while (at(t, j, ".") && j + 1 < t.size() && t.get(j + 1).kind == Kind.IDENT) {
      String field = t.get(j + 1).text;
      if (at(t, j + 2, "(")) {
        size =
            field.equals("size")
                && at(t, j + 3, ")")
                && Collection.class.isAssignableFrom(type)
                && !at(t, j + 4, ".");
        if (size) {
          text.append(".size()");
          j += 4;
        }
        break;
      }
      Method accessor = accessor(type, field);
      if (accessor == null) {
        break;
      }
      steps.add(accessor);
      type = accessor.getReturnType();
      text.append('.').append(field);
      j += 2;
    }
    Path path = new Path(name, List.copyOf(steps), size);
    boolean bounded = i == 0 || BEFORE_TERM.contains(t.get(i - 1).text);
    if (reduce
        && bounded
        && j + 1 < t.size()
        && COMPARISONS.contains(t.get(j).text)
        && (j + 2 == t.size() || AFTER_TERM.contains(t.get(j + 2).text))) {
      String op = t.get(j).text;
      Token literal = t.get(j + 1);
      Object value = NONE;
      if (literal.is("null") && (op.equals("==") || op.equals("!="))) {
        value = null;
      } else if (type == String.class && (op.equals("==") || op.equals("!="))) {
        value = literal(literal, String.class);
      } else if (size) {
        value = literal(literal, int.class);
      }
      if (value != NONE) {
        String key = text + " " + op + " " + literal.text;
        tests.putIfAbsent(key, new Comparison(path, op, value));
        return j + 2;
      }
    }
    tests.putIfAbsent(text.toString(), path);
    return j;
  }

  private static final Object NONE = new Object();

  /** A literal token as a value of {@code type}, or {@link #NONE}. */
  private static Object literal(Token a, Class<?> type) {
    if (a.kind == Kind.STRING) {
      return a.value != null && type == String.class ? a.value : NONE;
    }
    if (a.is("null")) {
      return type.isPrimitive() ? NONE : null;
    }
    if (a.kind == Kind.NUMBER) {
      if (a.text.matches("\\d{1,9}") && (type == int.class || type == Integer.class)) {
        return Integer.parseInt(a.text);
      }
      if (a.text.matches("\\d{1,9}(\\.\\d{1,9})?")
          && (type == double.class || type == Double.class)) {
        return Double.parseDouble(a.text);
      }
    }
    return NONE;
  }

  private static boolean at(List<Token> t, int i, String text) {
    return i < t.size() && t.get(i).is(text);
  }

  /** A public no-argument accessor of a record component or bean property, or null. */
  private static Method accessor(Class<?> type, String field) {
    String cap =
        field.isEmpty() ? field : Character.toUpperCase(field.charAt(0)) + field.substring(1);
    for (String name : List.of(field, "get" + cap, "is" + cap)) {
      try {
        Method m = type.getMethod(name);
        if (Modifier.isPublic(m.getModifiers())
            && !Modifier.isStatic(m.getModifiers())
            && m.getReturnType() != void.class
            && Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
          return m;
        }
      } catch (NoSuchMethodException e) {
        // try the next spelling
      }
    }
    return null;
  }

  private static Map<String, RecordComponent> components() {
    Map<String, RecordComponent> m = new LinkedHashMap<>();
    for (RecordComponent c : DriftFacts.class.getRecordComponents()) {
      m.put(c.getName(), c);
    }
    return m;
  }

  /** A member, a path below it or its size: its value, or where a null stopped the path. */
  record Path(String member, List<Method> steps, boolean size) implements Test {
    @Override
    public Object of(DriftFacts facts) {
      Object value = RuleInputs.MEMBERS.get(member).apply(facts);
      for (int i = 0; i < steps.size(); i++) {
        if (value == null) {
          return new NullAt(i);
        }
        value = invoke(steps.get(i), value);
      }
      if (size) {
        return value == null ? new NullAt(steps.size()) : ((Collection<?>) value).size();
      }
      return value;
    }

    @Override
    public Set<String> members() {
      return Set.of(member);
    }

    private static Object invoke(Method m, Object target) {
      try {
        return m.invoke(target);
      } catch (IllegalAccessException | InvocationTargetException e) {
        return new Failed(List.of(m.getName(), target));
      }
    }
  }

  /** A path compared with a literal: the comparison's result. */
  record Comparison(Path path, String op, Object literal) implements Test {
    @Override
    public Object of(DriftFacts facts) {
      Object value = path.of(facts);
      if (value instanceof NullAt || value instanceof Failed) {
        return value;
      }
      if (path.size()) {
        int c = Integer.compare((Integer) value, (Integer) literal);
        return switch (op) {
          case "==" -> c == 0;
          case "!=" -> c != 0;
          case "<" -> c < 0;
          case ">" -> c > 0;
          case "<=" -> c <= 0;
          default -> c >= 0;
        };
      }
      boolean equal = Objects.equals(value, literal);
      return op.equals("==") == equal;
    }

    @Override
    public Set<String> members() {
      return path.members();
    }
  }

  /** An imported function of members and literals: its result. */
  record Call(Method method, List<Function<DriftFacts, Object>> arguments, Set<String> members)
      implements Test {
    @Override
    public Object of(DriftFacts facts) {
      Object[] values = new Object[arguments.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = arguments.get(i).apply(facts);
      }
      try {
        return method.invoke(null, values);
      } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
        return new Failed(Arrays.asList(values));
      }
    }
  }

  private enum Kind {
    IDENT,
    STRING,
    NUMBER,
    OTHER
  }

  /** A token of a constraint; {@code value} is a string literal's text when it has no escapes. */
  private record Token(Kind kind, String text, String value) {
    boolean is(String s) {
      return kind != Kind.STRING && text.equals(s);
    }

    private static final List<String> OPERATORS =
        List.of("==", "!=", ">=", "<=", "&&", "||", ":=", "?.");

    /** The tokens of an expression, or null when it cannot be split (an open string). */
    static List<Token> of(String s) {
      List<Token> out = new ArrayList<>();
      int i = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '"' || c == '\'') {
          int j = i + 1;
          boolean escaped = false;
          while (j < s.length() && s.charAt(j) != c) {
            if (s.charAt(j) == '\\') {
              escaped = true;
              j++;
            }
            j++;
          }
          if (j >= s.length()) {
            return null;
          }
          String text = s.substring(i, j + 1);
          out.add(new Token(Kind.STRING, text, escaped ? null : s.substring(i + 1, j)));
          i = j + 1;
        } else if (Character.isJavaIdentifierStart(c)) {
          int j = i + 1;
          while (j < s.length() && Character.isJavaIdentifierPart(s.charAt(j))) {
            j++;
          }
          out.add(new Token(Kind.IDENT, s.substring(i, j), null));
          i = j;
        } else if (Character.isDigit(c)) {
          int j = i + 1;
          while (j < s.length()
              && (Character.isLetterOrDigit(s.charAt(j))
                  || s.charAt(j) == '.'
                  || s.charAt(j) == '_')) {
            j++;
          }
          out.add(new Token(Kind.NUMBER, s.substring(i, j), null));
          i = j;
        } else {
          String op = s.substring(i, Math.min(i + 2, s.length()));
          String text = OPERATORS.contains(op) ? op : String.valueOf(c);
          out.add(new Token(Kind.OTHER, text, null));
          i += text.length();
        }
      }
      return out;
    }
  }
}
