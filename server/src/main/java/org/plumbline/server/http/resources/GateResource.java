package org.plumbline.server.http.resources;

import static org.plumbline.server.http.resources.Requests.bytes;
import static org.plumbline.server.http.resources.Requests.caller;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plumbline.governance.GateOverrides;
import org.plumbline.governance.PromotionGates;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.rules.pack.GateReason;
import org.plumbline.server.ServerError;
import org.plumbline.server.http.RequestJson;
import org.plumbline.server.write.WritePath;

/**
 * {@code POST /api/v1/gates/promotion}: may this bundle version go to this environment now? A
 * stored version ({@code bundle}, {@code version}) or a candidate that is not stored ({@code
 * blueprint}: the document as an object, or its YAML or JSON text), and the {@code environment}.
 */
public final class GateResource {
  private final WritePath writes;
  private final RequestJson json;

  public GateResource(WritePath writes, RequestJson json) {
    this.writes = writes;
    this.json = json;
  }

  public Reply promotion(RoutingContext ctx) {
    JsonNode body = json.tree(bytes(ctx));
    if (!body.isObject()) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST, "request body is not a JSON object", List.of("/"));
    }
    List<String> problems = new ArrayList<>();
    String environment = text(body, "environment", problems);
    JsonNode blueprint = body.get("blueprint");
    PromotionGates.Outcome outcome = null;
    if (blueprint != null && !blueprint.isNull()) {
      if (body.hasNonNull("bundle") || body.hasNonNull("version")) {
        problems.add(
            "/blueprint: give either a stored bundle and version or a blueprint, not both");
      }
      if (!blueprint.isObject() && !blueprint.isTextual()) {
        problems.add("/blueprint: must be a blueprint object or its YAML or JSON text");
      }
      if (problems.isEmpty()) {
        byte[] document =
            blueprint.isTextual()
                ? blueprint.textValue().getBytes(StandardCharsets.UTF_8)
                : blueprint.toString().getBytes(StandardCharsets.UTF_8);
        outcome = writes.promotionGate(document, environment, caller(ctx));
      }
    } else {
      String bundle = text(body, "bundle", problems);
      String version = text(body, "version", problems);
      if (problems.isEmpty()) {
        outcome = writes.promotionGate(bundle, version, environment, caller(ctx));
      }
    }
    if (!problems.isEmpty()) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "a promotion gate needs {bundle, version, environment} or {blueprint, environment}",
          problems);
    }
    return Reply.json(200, answer(outcome));
  }

  /** The contract's answer, as the HTTP endpoint and the CLI print it. */
  public static Map<String, Object> answer(PromotionGates.Outcome o) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("decision", o.decision().decision().name());
    out.put("reasons", reasons(o.decision().reasons()));
    out.put("rulePackVersion", o.decision().rulePackVersion());
    out.put("firedRules", o.decision().firedRules());
    out.put("auditSeq", o.auditSeq());
    out.put("bundle", o.bundle());
    out.put("version", o.version());
    out.put("environment", o.environment());
    out.put("candidate", o.candidate());
    out.put("decidedAt", o.decidedAt().toString());
    if (o.override() != null) {
      // the rules denied; an approved override turned it into this ALLOW (docs/gates.md)
      Map<String, Object> override = new LinkedHashMap<>();
      override.put("id", o.override().id());
      override.put("approvedBy", GateOverrides.approvers(o.override()));
      override.put("expiresAt", o.override().expiresAt().toString());
      override.put("justification", o.override().justification());
      out.put("override", override);
      out.put("overridden", reasons(o.overridden()));
    }
    return out;
  }

  private static List<Map<String, Object>> reasons(List<GateReason> reasons) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (GateReason r : reasons) {
      Map<String, Object> reason = new LinkedHashMap<>();
      reason.put("code", r.code());
      reason.put("message", r.message());
      reason.put("subject", r.subject());
      out.add(reason);
    }
    return out;
  }

  private static String text(JsonNode body, String field, List<String> problems) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      problems.add("/" + field + ": is required");
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      problems.add("/" + field + ": must be a non-empty string");
      return null;
    }
    return v.asText();
  }
}
