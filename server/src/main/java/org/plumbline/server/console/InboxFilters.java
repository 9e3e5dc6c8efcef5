package org.plumbline.server.console;

import io.vertx.core.MultiMap;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inbox's filters as the query string carries them (a GET form: bookmarkable, no token needed)
 * and as GraphQL variables. Values outside each enum are dropped, not passed on.
 */
public record InboxFilters(
    List<String> tiers,
    String minSeverity,
    String status,
    String authorization,
    String risk,
    String kind,
    String system,
    String owner,
    String since,
    String after) {

  public static final List<String> TIERS = List.of("REGULATED", "PROD", "STAGING", "DEV");
  public static final List<String> SEVERITIES = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW");
  public static final List<String> STATUSES =
      List.of(
          "OPEN",
          "PENDING_APPROVAL",
          "REVERT_APPROVED",
          "REVERTED",
          "CODIFIED",
          "EXCEPTED",
          "RESOLVED");
  public static final List<String> AUTHORIZATIONS = List.of("ANOMALOUS", "AUTHORIZED");
  public static final List<String> RISKS = List.of("SECURITY", "GOVERNANCE", "RELIABILITY", "COST");
  public static final List<String> KINDS = List.of("CONFIG", "METRIC");

  /** Rows per page. */
  public static final int PAGE = 50;

  static InboxFilters of(MultiMap q) {
    List<String> tiers = q.getAll("tier").stream().filter(TIERS::contains).distinct().toList();
    return new InboxFilters(
        tiers,
        oneOf(q.get("minSeverity"), SEVERITIES),
        oneOf(q.get("status"), STATUSES),
        oneOf(q.get("authorization"), AUTHORIZATIONS),
        oneOf(q.get("risk"), RISKS),
        oneOf(q.get("kind"), KINDS),
        short200(q.get("system")),
        short200(q.get("owner")),
        date(q.get("since")),
        short200(q.get("after")));
  }

  private static String oneOf(String v, List<String> allowed) {
    return v != null && allowed.contains(v) ? v : null;
  }

  private static String short200(String v) {
    return v == null || v.isBlank() || v.length() > 200 ? null : v;
  }

  private static String date(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(v).toString();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Without a status filter the inbox shows what waits for someone: open and pending drifts. */
  List<String> statuses() {
    return status == null ? List.of("OPEN", "PENDING_APPROVAL") : List.of(status);
  }

  /** The GraphQL variables of these filters (severity left to the caller). */
  Map<String, Object> variables() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("status", statuses());
    v.put("tiers", tiers.isEmpty() ? null : tiers);
    v.put("authorization", authorization);
    v.put("risk", risk);
    v.put("kind", kind);
    v.put("system", system);
    v.put("owner", owner);
    v.put(
        "since",
        since == null ? null : LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toString());
    return v;
  }

  public boolean hasTier(String t) {
    return tiers.contains(t);
  }

  public boolean filtered() {
    return !tiers.isEmpty()
        || minSeverity != null
        || status != null
        || authorization != null
        || risk != null
        || kind != null
        || system != null
        || owner != null
        || since != null;
  }

  /** The query string of these filters with another cursor ({@code null}: the first page). */
  public String href(String cursor) {
    StringBuilder s = new StringBuilder("/?");
    tiers.forEach(t -> s.append("tier=").append(t).append('&'));
    Map<String, String> one = new LinkedHashMap<>();
    one.put("minSeverity", minSeverity);
    one.put("status", status);
    one.put("authorization", authorization);
    one.put("risk", risk);
    one.put("kind", kind);
    one.put("system", system);
    one.put("owner", owner);
    one.put("since", since);
    one.put("after", cursor);
    one.forEach(
        (k, v) -> {
          if (v != null) {
            s.append(k).append('=').append(Fmt.enc(v)).append('&');
          }
        });
    return s.substring(0, s.length() - 1);
  }

  /** Severities for the counts: every one, or those at or above the minimum. */
  List<String> countedSeverities() {
    if (minSeverity == null) {
      return SEVERITIES;
    }
    return SEVERITIES.subList(0, SEVERITIES.indexOf(minSeverity) + 1);
  }

  static final Set<String> NONE = Set.of();
}
