package org.plumbline.governance;

import java.util.Comparator;

/**
 * How a metric's window labels order: as text, except that a run of digits compares as the number
 * it writes. ISO dates ({@code 2026-11-20}), ISO weeks ({@code 2026-W47}) and timestamps sort as
 * plain text does, that is as time does; counters sort as people count ({@code w9} before {@code
 * w10}, where plain text would put {@code w10} first). Equal numbers with more leading zeros sort
 * after ({@code w7} before {@code w07}), so that distinct labels never compare equal.
 */
final class MetricWindowOrder implements Comparator<String> {
  static final MetricWindowOrder LABELS = new MetricWindowOrder();

  private MetricWindowOrder() {}

  @Override
  public int compare(String a, String b) {
    int i = 0;
    int j = 0;
    int zeros = 0;
    while (i < a.length() && j < b.length()) {
      char x = a.charAt(i);
      char y = b.charAt(j);
      if (isDigit(x) && isDigit(y)) {
        int ei = run(a, i);
        int ej = run(b, j);
        int si = skipZeros(a, i, ei);
        int sj = skipZeros(b, j, ej);
        int byLength = Integer.compare(ei - si, ej - sj);
        if (byLength != 0) {
          return byLength;
        }
        int byDigits = a.substring(si, ei).compareTo(b.substring(sj, ej));
        if (byDigits != 0) {
          return byDigits;
        }
        if (zeros == 0) {
          zeros = Integer.compare(si - i, sj - j);
        }
        i = ei;
        j = ej;
      } else {
        if (x != y) {
          return Character.compare(x, y);
        }
        i++;
        j++;
      }
    }
    int byRest = Integer.compare(a.length() - i, b.length() - j);
    return byRest != 0 ? byRest : zeros;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int run(String s, int from) {
    int k = from;
    while (k < s.length() && isDigit(s.charAt(k))) {
      k++;
    }
    return k;
  }

  private static int skipZeros(String s, int from, int end) {
    int k = from;
    while (k < end - 1 && s.charAt(k) == '0') {
      k++;
    }
    return k;
  }
}
