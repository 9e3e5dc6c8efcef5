package org.plumbline.ontology;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A glob over flattened keys: {@code *} matches any run of characters, dots included, so {@code
 * guardrails.*} matches {@code guardrails.toxicity.threshold}. Every other character is literal.
 */
public final class KeyPattern {
  private final String glob;
  private final Pattern regex;

  private KeyPattern(String glob) {
    this.glob = glob;
    StringBuilder sb = new StringBuilder();
    int literalStart = 0;
    for (int i = 0; i < glob.length(); i++) {
      if (glob.charAt(i) == '*') {
        sb.append(Pattern.quote(glob.substring(literalStart, i))).append(".*");
        literalStart = i + 1;
      }
    }
    sb.append(Pattern.quote(glob.substring(literalStart)));
    this.regex = Pattern.compile(sb.toString());
  }

  /**
   * Compiled globs: ignore lists and rules ask for the same few globs once per key of every
   * snapshot, and compiling a regex costs more than matching it. Cleared when it grows too large.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, KeyPattern> COMPILED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Compiles a glob; {@code null} or blank globs are refused. */
  public static KeyPattern of(String glob) {
    Objects.requireNonNull(glob, "glob");
    if (glob.isBlank()) {
      throw new IllegalArgumentException("glob must not be blank");
    }
    KeyPattern p = COMPILED.get(glob);
    if (p == null) {
      if (COMPILED.size() > 10_000) {
        COMPILED.clear();
      }
      p = new KeyPattern(glob);
      COMPILED.put(glob, p);
    }
    return p;
  }

  /** Whether the glob has a wildcard at all. */
  public boolean isLiteral() {
    return glob.indexOf('*') < 0;
  }

  public boolean matches(String key) {
    return regex.matcher(key).matches();
  }

  public String glob() {
    return glob;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyPattern other && other.glob.equals(glob);
  }

  @Override
  public int hashCode() {
    return glob.hashCode();
  }

  @Override
  public String toString() {
    return glob;
  }
}
