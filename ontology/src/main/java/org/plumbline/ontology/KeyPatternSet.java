package org.plumbline.ontology;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Many globs matched at once, in time that follows the key rather than the number of globs: a
 * blueprint's ignore list is asked about every key of every snapshot under the write lock, and a
 * list of thousands of globs made that quadratic. Literal globs are a set look-up; globs with one
 * star at the end ({@code runtime.*}) or at the start ({@code *.podName}) are found by looking up
 * each prefix or suffix of the key; only the rest (stars inside) are matched one by one.
 */
public final class KeyPatternSet {
  private final Set<String> literals = new HashSet<>();
  private final Set<String> prefixes = new HashSet<>();
  private final Set<String> suffixes = new HashSet<>();
  private final List<KeyPattern> others = new ArrayList<>();
  private final int longestPrefix;
  private final int longestSuffix;

  private KeyPatternSet(List<String> globs) {
    int p = -1;
    int s = -1;
    for (String glob : globs) {
      int first = glob.indexOf('*');
      int last = glob.lastIndexOf('*');
      if (first < 0) {
        literals.add(glob);
      } else if (first == glob.length() - 1) {
        prefixes.add(glob.substring(0, first));
        p = Math.max(p, first);
      } else if (last == 0 && first == 0) {
        suffixes.add(glob.substring(1));
        s = Math.max(s, glob.length() - 1);
      } else {
        others.add(KeyPattern.of(glob));
      }
    }
    longestPrefix = p;
    longestSuffix = s;
  }

  private static final ConcurrentHashMap<List<String>, KeyPatternSet> COMPILED =
      new ConcurrentHashMap<>();

  /** The set of these globs, compiled once per distinct list (blueprint versions share them). */
  public static KeyPatternSet of(List<String> globs) {
    KeyPatternSet set = COMPILED.get(globs);
    if (set == null) {
      if (COMPILED.size() > 1_000) {
        COMPILED.clear();
      }
      set = new KeyPatternSet(List.copyOf(globs));
      COMPILED.put(List.copyOf(globs), set);
    }
    return set;
  }

  /** Whether any of the globs matches the whole key. */
  public boolean matches(String key) {
    if (literals.contains(key)) {
      return true;
    }
    for (int i = Math.min(longestPrefix, key.length()); i >= 0; i--) {
      if (prefixes.contains(key.substring(0, i))) {
        return true;
      }
    }
    for (int i = Math.min(longestSuffix, key.length()); i >= 0; i--) {
      if (suffixes.contains(key.substring(key.length() - i))) {
        return true;
      }
    }
    for (KeyPattern p : others) {
      if (p.matches(key)) {
        return true;
      }
    }
    return false;
  }
}
