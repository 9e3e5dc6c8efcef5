package org.plumbline.loaders.internal.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.plumbline.loaders.Format;
import org.plumbline.loaders.LoadContext;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.LoaderError;
import org.plumbline.loaders.internal.Document;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Problems;
import org.plumbline.loaders.internal.Timestamps;
import org.plumbline.ontology.ChangeRequest;

/**
 * A ServiceNow {@code change_request} export: the Table API's {@code {"result": [...]}} or {@code
 * {"result": {...}}} (one record), the JSONv2 export's {@code {"records": [...]}}, a bare list, a
 * bare record, or JSON Lines of any of these. Each approved change becomes a change request
 * (CONTRACT section 2):
 *
 * <ul>
 *   <li>{@code id}: {@code number} ({@code CHG0030001});
 *   <li>{@code environment}: the configuration item {@code cmdb_ci}, by its display value (export
 *       with {@code sysparm_display_value=true} or {@code all}); {@code --environment} for records
 *       that have none;
 *   <li>{@code from}, {@code until}: the planned window {@code start_date}, {@code end_date}, else
 *       the actual {@code work_start}, {@code work_end}; ServiceNow writes {@code 2026-11-01
 *       09:00:00} in UTC;
 *   <li>{@code keys}: the custom field {@code u_plumbline_keys} (globs separated by commas or
 *       spaces), else {@code *}: the CAB approved a change to the whole item in that window;
 *   <li>{@code approvedBy}: {@code u_approved_by}, else {@code approved_by}, else {@code
 *       servicenow-cab}.
 * </ul>
 *
 * Records whose {@code approval} is not {@code approved}, or that are cancelled, are left out and
 * noted: an unapproved window authorizes nothing. A record that cannot be a change window (no
 * planned or actual dates, as standard changes often have; no configuration item; a duplicate) is
 * skipped and reported with every reason and where; it never fails the whole file. Only an export
 * that is not one of these shapes is refused. A field may be a plain value, a {@code {value,
 * display_value}} pair or a reference {@code {link, value}}.
 */
public final class ServiceNowChanges {
  private static final String CANCELLED = "4"; // state value of Canceled

  private ServiceNowChanges() {}

  public static Loaded.ChangeRequestsLoaded parse(List<Document> documents, LoadContext context) {
    Problems problems = new Problems();
    List<Record> records = new ArrayList<>();
    boolean several = documents.size() > 1;
    for (Document document : documents) {
      if (document.root() != null) {
        records(document.root(), document.base(several), several, records, problems);
      }
    }
    if (documents.stream().allMatch(d -> d.root() == null)) {
      problems.add("", "is empty: expected change_request records");
    }
    problems.throwIfAny(LoaderError.INVALID_SERVICENOW, "invalid ServiceNow export");
    List<ChangeRequest> requests = new ArrayList<>();
    List<String> left = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Map<String, String> firstPointer = new HashMap<>();
    for (Record r : records) {
      Problems own = new Problems();
      Members record = Members.lenient(r.node(), r.pointer(), own);
      String number = field(record, "number", own, true);
      String earlier = number == null ? null : firstPointer.putIfAbsent(number, r.pointer());
      if (earlier != null) {
        record.problem(
            "number", "duplicate change " + Problems.quote(number) + ", as at " + earlier);
      }
      ChangeRequest request = own.isEmpty() ? request(record, number, context, own, left) : null;
      if (!own.isEmpty()) {
        skipped.add(
            (number == null ? "" : number + " ") + "(" + String.join("; ", own.details()) + ")");
      } else if (request != null) {
        requests.add(request);
      }
    }
    List<String> notes = new ArrayList<>();
    notes.add(requests.size() + (requests.size() == 1 ? " approved change" : " approved changes"));
    if (!left.isEmpty()) {
      notes.add("left out: " + String.join(", ", left));
    }
    if (!skipped.isEmpty()) {
      notes.add(
          "skipped, "
              + (skipped.size() == 1 ? "1 record" : skipped.size() + " records")
              + " that cannot be a change window: "
              + String.join(", ", skipped));
    }
    return new Loaded.ChangeRequestsLoaded(Format.SERVICENOW, requests, notes);
  }

  /** One record of the export and where it is. */
  private record Record(JsonNode node, String pointer) {}

  /**
   * The records of one document: the Table API's {@code {"result": [...]}} or, for one record,
   * {@code {"result": {...}}}; the JSONv2 export's {@code {"records": [...]}}; a bare list; or a
   * bare record (also one per line, JSON Lines).
   */
  private static void records(
      JsonNode root, String base, boolean line, List<Record> out, Problems problems) {
    if (root.isArray()) {
      for (int i = 0; i < root.size(); i++) {
        out.add(new Record(root.get(i), Problems.pointer(base, i)));
      }
      return;
    }
    if (!root.isObject()) {
      problems.add(
          base,
          "must be a change_request record, a list of them or {result: ...}, got "
              + Members.describe(root));
      return;
    }
    String member = root.has("records") ? "records" : root.has("result") ? "result" : null;
    if (member == null) {
      out.add(new Record(root, base));
      return;
    }
    JsonNode value = root.get(member);
    String pointer = Problems.pointer(base, member);
    if (value.isObject()) {
      out.add(new Record(value, pointer));
    } else if (value.isArray()) {
      records(value, pointer, line, out, problems);
    } else {
      problems.add(
          pointer, "must be a list of records or one record, got " + Members.describe(value));
    }
  }

  private static ChangeRequest request(
      Members record, String number, LoadContext context, Problems problems, List<String> skipped) {
    if (!record.isObject()) {
      return null;
    }
    String approval = field(record, "approval", problems, true);
    String state = field(record, "state", problems, false);
    String stateDisplay = display(record.get("state"));
    if (CANCELLED.equals(state) || "canceled".equalsIgnoreCase(String.valueOf(stateDisplay))) {
      skipped.add(number + " (cancelled)");
      return null;
    }
    if (approval != null && !approval.toLowerCase(Locale.ROOT).equals("approved")) {
      skipped.add(number + " (approval " + approval + ")");
      return null;
    }
    Instant from = instant(record, "start_date", "work_start", problems);
    Instant until = instant(record, "end_date", "work_end", problems);
    String ci = display(record.get("cmdb_ci"));
    if (ci == null && record.get("cmdb_ci") != null && record.get("cmdb_ci").has("link")) {
      record.problem(
          "cmdb_ci",
          "is a reference without its name; export with sysparm_display_value=true or all");
      return null;
    }
    if (ci != null && ci.matches("[0-9a-f]{32}")) {
      record.problem(
          "cmdb_ci",
          "is a sys_id (" + ci + "), not a name; export with sysparm_display_value=true or all");
      return null;
    }
    String environment = ci != null ? ci : context.environmentOr(null);
    if (environment == null) {
      record.problem("cmdb_ci", "is required (or give --environment for records without one)");
    }
    if (from != null && until != null && !until.isAfter(from)) {
      record.problem("end_date", "must be after start_date (" + from + "), got " + until);
      return null;
    }
    if (approval == null || from == null || until == null || environment == null) {
      return null;
    }
    String keys = field(record, "u_plumbline_keys", problems, false);
    List<String> globs =
        keys == null
            ? List.of("*")
            : Arrays.stream(keys.split("[,\\s]+")).filter(k -> !k.isBlank()).toList();
    String approvedBy = field(record, "u_approved_by", problems, false);
    if (approvedBy == null) {
      approvedBy = field(record, "approved_by", problems, false);
    }
    return new ChangeRequest(
        number,
        environment,
        globs.isEmpty() ? List.of("*") : globs,
        from,
        until,
        approvedBy == null ? "servicenow-cab" : approvedBy);
  }

  private static Instant instant(Members record, String planned, String actual, Problems problems) {
    String name =
        record.get(planned) != null && !value(record.get(planned)).isBlank() ? planned : actual;
    String text = field(record, name, problems, false);
    if (text == null) {
      record.problem(planned, "is required (or " + actual + ")");
      return null;
    }
    Instant at = Timestamps.text(text);
    if (at == null) {
      record.problem(
          name,
          "not a date and time such as 2026-11-01 09:00:00 (UTC) or an ISO-8601 instant: "
              + Problems.quote(text));
    }
    return at;
  }

  /** A field's stored value: the plain text, or the {@code value} of a pair or reference. */
  private static String field(Members record, String name, Problems problems, boolean required) {
    JsonNode node = record.get(name);
    if (node == null) {
      if (required && record.isObject()) {
        record.problem(name, "is required");
      }
      return null;
    }
    if (!node.isTextual() && !(node.isObject() && node.path("value").isTextual())) {
      record.problem(
          name, "must be a string or a {value, display_value} pair, got " + Members.describe(node));
      return null;
    }
    String text = value(node);
    if (text.isBlank()) {
      if (required) {
        record.problem(name, "must not be blank");
      }
      return null;
    }
    return text;
  }

  private static String value(JsonNode node) {
    return node.isObject() ? node.path("value").asText("") : node.asText("");
  }

  /** A field as people read it: the display value of a pair, else the plain text. */
  private static String display(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue().isBlank() ? null : node.textValue();
    }
    JsonNode display = node.path("display_value");
    return display.isTextual() && !display.textValue().isBlank() ? display.textValue() : null;
  }
}
