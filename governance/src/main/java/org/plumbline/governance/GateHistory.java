package org.plumbline.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.StoreReader;
import org.plumbline.rules.pack.GateReason;

/**
 * The promotion gate decisions of one environment, read back from their {@code gate.decided} audit
 * records: what GraphQL's {@code gateDecisions}, the console's gate history and the evidence report
 * show.
 */
public final class GateHistory {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GateHistory() {}

  /**
   * One decision as audited.
   *
   * @param subject {@code bundle@version}
   * @param override the id of the override that turned a DENY into this ALLOW, or null
   * @param overridden the reasons that override covered
   */
  public record Decision(
      long auditSeq,
      Instant decidedAt,
      String askedBy,
      String environment,
      String subject,
      boolean candidate,
      String decision,
      List<GateReason> reasons,
      String rulePackVersion,
      String override,
      List<String> approvedBy,
      List<GateReason> overridden) {}

  /** The environment's decisions with {@code since <= at < until}, newest first, at most limit. */
  public static List<Decision> of(
      StoreReader r, String environment, Instant since, Instant until, int limit) {
    List<Decision> out = new ArrayList<>();
    for (AuditRecord a : r.audit(environment, since, until)) {
      if (PromotionGates.DECIDED.equals(a.action())) {
        out.add(decision(a));
      }
    }
    out.sort(Comparator.comparingLong(Decision::auditSeq).reversed());
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  /** One {@code gate.decided} record as a decision. */
  public static Decision decision(AuditRecord a) {
    JsonNode d = detail(a);
    JsonNode override = d.path("override");
    List<String> approvedBy = new ArrayList<>();
    override.path("approvedBy").forEach(n -> approvedBy.add(n.asText()));
    return new Decision(
        a.seq(),
        a.at(),
        a.actor(),
        a.environment(),
        a.subject(),
        d.path("candidate").asBoolean(false),
        d.path("decision").asText("?"),
        reasons(d.path("reasons")),
        d.path("rulePackVersion").asText(null),
        override.isMissingNode() ? null : override.path("id").asText(null),
        approvedBy,
        reasons(d.path("overridden")));
  }

  private static List<GateReason> reasons(JsonNode array) {
    List<GateReason> out = new ArrayList<>();
    for (JsonNode r : array) {
      out.add(
          new GateReason(
              r.path("code").asText(), r.path("message").asText(), r.path("subject").asText(null)));
    }
    return out;
  }

  private static JsonNode detail(AuditRecord a) {
    try {
      return a.detail() == null ? JSON.createObjectNode() : JSON.readTree(a.detail());
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
