package org.plumbline.ontology;

import java.util.Objects;

/**
 * A glob over flattened keys: {@code *} matches any run of characters, dots included, so {@code
 * guardrails.*} matches {@code guardrails.toxicity.threshold}. Every other character is literal.
 */
public final class KeyPattern {
  private final String glob;

  /** The literal runs between stars, and for each its KMP failure table. */
  private final String[] segments;

  private final int[][] failures;

  private KeyPattern(String glob) {
    this.glob = glob;
    this.segments = glob.split("\\*", -1);
    this.failures = new int[segments.length][];
    for (int i = 0; i < segments.length; i++) {
      failures[i] = failureTable(segments[i]);
    }
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

  /**
   * Whether the whole key matches. Not a regular expression: a glob with many stars (posted in a
   * change request or a blueprint) makes a backtracking regex take exponential time on a key it
   * does not match. Here the first run must start the key, the last must end it, and each run in
   * between is found leftmost after the previous one (leftmost is never worse for what follows),
   * with Knuth-Morris-Pratt: time linear in the lengths of key and glob.
   */
  public boolean matches(String key) {
    int n = segments.length;
    if (n == 1) {
      return key.equals(glob);
    }
    String first = segments[0];
    String last = segments[n - 1];
    if (key.length() < first.length() + last.length()
        || !key.startsWith(first)
        || !key.endsWith(last)) {
      return false;
    }
    int from = first.length();
    int end = key.length() - last.length();
    for (int i = 1; i < n - 1; i++) {
      int at = find(key, from, end, segments[i], failures[i]);
      if (at < 0) {
        return false;
      }
      from = at + segments[i].length();
    }
    return true;
  }

  /** Where {@code segment} first occurs wholly inside {@code key[from, end)}, or -1. */
  private static int find(String key, int from, int end, String segment, int[] failure) {
    if (segment.isEmpty()) {
      return from;
    }
    int matched = 0;
    for (int k = from; k < end; k++) {
      char c = key.charAt(k);
      while (matched > 0 && segment.charAt(matched) != c) {
        matched = failure[matched - 1];
      }
      if (segment.charAt(matched) == c) {
        matched++;
      }
      if (matched == segment.length()) {
        return k - matched + 1;
      }
    }
    return -1;
  }

  /** For each prefix of {@code s}, the length of its longest proper border. */
  private static int[] failureTable(String s) {
    int[] f = new int[s.length()];
    int border = 0;
    for (int i = 1; i < s.length(); i++) {
      while (border > 0 && s.charAt(i) != s.charAt(border)) {
        border = f[border - 1];
      }
      if (s.charAt(i) == s.charAt(border)) {
        border++;
      }
      f[i] = border;
    }
    return f;
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
