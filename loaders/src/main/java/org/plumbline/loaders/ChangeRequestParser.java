package org.plumbline.loaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.plumbline.loaders.internal.DocumentReader;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Problems;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.PlumblineException;

/**
 * Parses the change-request JSON array of CONTRACT section 2. Every field is required; {@code keys}
 * is a non-empty list of globs, {@code until} must be after {@code from}, ids are unique within one
 * array, and other fields are refused. Thread-safe.
 */
public final class ChangeRequestParser {
  private static final List<String> FIELDS =
      List.of("id", "environment", "keys", "from", "until", "approvedBy");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DocumentReader reader;

  public ChangeRequestParser() {
    this(ParseLimits.DEFAULT);
  }

  public ChangeRequestParser(ParseLimits limits) {
    this.reader = new DocumentReader(Objects.requireNonNull(limits, "limits"));
  }

  /** The most change requests one list may hold. */
  public static final int MAX_REQUESTS = 10_000;

  /**
   * Parses a list of change requests, in document order.
   *
   * @throws PlumblineException {@link LoaderError#INVALID_CHANGE_REQUEST} listing every problem,
   *     {@link LoaderError#INVALID_JSON} or {@link LoaderError#PAYLOAD_TOO_LARGE}
   */
  public List<ChangeRequest> parse(byte[] json) {
    return parse(reader.readJson(Objects.requireNonNull(json, "json")));
  }

  /** Parses a change-request list already read into a tree. */
  List<ChangeRequest> parse(JsonNode root) {
    Problems problems = new Problems();
    List<ChangeRequest> requests = new ArrayList<>();
    if (!root.isArray()) {
      problems.add("", "must be a list of change requests, got " + Members.describe(root));
    } else if (root.size() > MAX_REQUESTS) {
      // One list is one write transaction; a bounded one keeps the write lock's hold short.
      problems.add(
          "",
          "holds "
              + root.size()
              + " change requests; at most "
              + MAX_REQUESTS
              + " per request: split the list");
    } else {
      Map<String, String> firstById = new HashMap<>();
      for (int i = 0; i < root.size(); i++) {
        Members members = Members.of(root.get(i), Problems.pointer("", i), problems, FIELDS);
        ChangeRequest request = request(members);
        if (request != null) {
          String earlier = firstById.putIfAbsent(request.id(), members.pointer("id"));
          if (earlier != null) {
            members.problem(
                "id", "duplicate id " + Problems.quote(request.id()) + ", as at " + earlier);
          }
          requests.add(request);
        }
      }
    }
    problems.throwIfAny(LoaderError.INVALID_CHANGE_REQUEST, "invalid change requests");
    return List.copyOf(requests);
  }

  /**
   * The requests as the CONTRACT section 2 JSON array, for {@code POST /api/v1/change-requests}.
   */
  public static String toJson(List<ChangeRequest> requests) {
    ArrayNode array = JSON.createArrayNode();
    for (ChangeRequest r : requests) {
      ObjectNode item = array.addObject().put("id", r.id()).put("environment", r.environment());
      r.keys().forEach(item.putArray("keys")::add);
      item.put("from", r.from().toString())
          .put("until", r.until().toString())
          .put("approvedBy", r.approvedBy());
    }
    try {
      return JSON.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // strings only
    }
  }

  private static ChangeRequest request(Members members) {
    String id = members.text("id", true);
    String environment = members.text("environment", true);
    List<String> keys = members.texts("keys", true, true);
    Instant from = members.instant("from");
    Instant until = members.instant("until");
    String approvedBy = members.text("approvedBy", true);
    if (from != null && until != null && !until.isAfter(from)) {
      members.problem("until", "must be after from (" + from + "), got " + until);
      return null;
    }
    if (id == null
        || environment == null
        || keys == null
        || from == null
        || until == null
        || approvedBy == null) {
      return null;
    }
    return new ChangeRequest(id, environment, keys, from, until, approvedBy);
  }
}
