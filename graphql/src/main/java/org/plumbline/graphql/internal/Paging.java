package org.plumbline.graphql.internal;

import graphql.schema.DataFetchingEnvironment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.plumbline.graphql.ApiError;
import org.plumbline.graphql.GraphQLApi;
import org.plumbline.ontology.PlumblineException;

/**
 * Paging of the lists that grow with history (CONTRACT section 7). A cursor is the base64 of the
 * list's name and the sort position of the last item given, so it stays valid when history grows (a
 * backfill that lands before it does not shift it) and is refused on another list.
 */
final class Paging {
  private Paging() {}

  /** Items of one page when {@code first} is left out of a {@code …Page} field. */
  static final int DEFAULT_PAGE = 100;

  record PageInfo(String endCursor, boolean hasNextPage) {}

  record Page<T>(List<T> items, PageInfo pageInfo, int totalCount) {}

  /** How one list is ordered for paging: its name in cursors and each item's sort position. */
  record Order<T>(String list, Function<T, String> position) {}

  /**
   * A plain list field: its whole answer when {@code first} and {@code after} are left out (up to
   * the limit, beyond which RESULT_TOO_LARGE says to page), otherwise the page's items.
   */
  static <T> List<T> list(DataFetchingEnvironment env, Order<T> order, List<T> all) {
    Integer first = env.getArgument("first");
    String after = env.getArgument("after");
    int max = maxItems(env);
    if (first == null && after == null) {
      if (all.size() > max) {
        throw new PlumblineException(
            ApiError.RESULT_TOO_LARGE,
            env.getField().getName()
                + " holds "
                + all.size()
                + " items, more than the "
                + max
                + " an unpaged answer may hold: page it with first and after, or use "
                + env.getField().getName()
                + "Page",
            List.of("items: " + all.size(), "limit: " + max));
      }
      return all;
    }
    Page<T> page = slice(env, order, all, first == null ? max + 1 : checked(first, max));
    if (first == null && page.items().size() > max) {
      throw new PlumblineException(
          ApiError.RESULT_TOO_LARGE,
          env.getField().getName()
              + " holds "
              + page.items().size()
              + " items after the cursor, more than "
              + max
              + ": give first",
          List.of("limit: " + max));
    }
    return page.items();
  }

  /**
   * A {@code …Page} field: {@code first} items (default {@value #DEFAULT_PAGE}) after the cursor.
   */
  static <T> Page<T> page(DataFetchingEnvironment env, Order<T> order, List<T> all) {
    Integer first = env.getArgument("first");
    return slice(env, order, all, first == null ? DEFAULT_PAGE : checked(first, maxItems(env)));
  }

  private static int checked(int first, int max) {
    if (first < 0 || first > max) {
      throw new PlumblineException(
          ApiError.INVALID_ARGUMENT,
          "first must be between 0 and " + max + ", was " + first,
          List.of("first: " + first));
    }
    return first;
  }

  private static <T> Page<T> slice(
      DataFetchingEnvironment env, Order<T> order, List<T> all, int first) {
    String after = env.getArgument("after");
    String from = after == null ? null : decode(order.list(), after);
    if (first == 0 && from == null) {
      // Only the count is asked for (a badge, a total): nothing to sort.
      return new Page<>(List.of(), new PageInfo(null, !all.isEmpty()), all.size());
    }
    // Each item's position is computed once, not at every comparison.
    List<Map.Entry<String, T>> sorted = new ArrayList<>(all.size());
    for (T item : all) {
      sorted.add(Map.entry(order.position().apply(item), item));
    }
    sorted.sort(Map.Entry.comparingByKey());
    int start = from == null ? 0 : firstAfter(sorted, from);
    int end = (int) Math.min((long) start + first, sorted.size());
    List<T> items = sorted.subList(start, end).stream().map(Map.Entry::getValue).toList();
    String endCursor = items.isEmpty() ? after : encode(order.list(), sorted.get(end - 1).getKey());
    return new Page<>(items, new PageInfo(endCursor, end < sorted.size()), all.size());
  }

  /** The index of the first item whose position sorts after {@code from}. */
  private static <T> int firstAfter(List<Map.Entry<String, T>> sorted, String from) {
    int lo = 0;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).getKey().compareTo(from) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  static String encode(String list, String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((list + "|" + position).getBytes(StandardCharsets.UTF_8));
  }

  /** The sort position a cursor holds, or INVALID_CURSOR. */
  static String decode(String list, String cursor) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw badCursor(list, cursor, "it is not one this server issued");
    }
    if (!text.startsWith(list + "|")) {
      throw badCursor(list, cursor, "it was not issued for " + list);
    }
    return text.substring(list.length() + 1);
  }

  private static PlumblineException badCursor(String list, String cursor, String why) {
    String shown = cursor.length() > 64 ? cursor.substring(0, 64) + "…" : cursor;
    return new PlumblineException(
        ApiError.INVALID_CURSOR,
        "after: '" + shown + "' is not a cursor of " + list + ": " + why,
        List.of("after"));
  }

  private static int maxItems(DataFetchingEnvironment env) {
    GraphQLApi.Limits limits = env.getGraphQlContext().get(GraphQLApi.Limits.class);
    return limits == null ? GraphQLApi.Limits.DEFAULT.maxListItems() : limits.maxListItems();
  }

  // ---- sort positions: strings whose order is the list's order ----

  /** An instant as text that sorts in time order (also before 1970). */
  static String instant(Instant at) {
    return String.format("%016x%09d", at.getEpochSecond() ^ Long.MIN_VALUE, (long) at.getNano());
  }

  /** A sequence number as text that sorts numerically. */
  static String number(long n) {
    return String.format("%016x", n ^ Long.MIN_VALUE);
  }

  /** Joins parts so that the text sorts as the tuple does (parts never hold NUL). */
  static String tuple(String... parts) {
    return String.join("\u0000", parts);
  }
}
