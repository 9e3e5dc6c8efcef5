package org.plumbline.server.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.plumbline.governance.PromotionGates;
import org.plumbline.ontology.AuditRecord;

/**
 * The evidence report's section on promotion gates: every {@code gate.decided} record of the
 * environment in the window, with its decision, reasons and the rule pack that decided.
 */
final class GateDecisions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GateDecisions() {}

  static void section(StringBuilder h, List<AuditRecord> audit) {
    List<AuditRecord> decisions =
        audit.stream().filter(a -> PromotionGates.DECIDED.equals(a.action())).toList();
    h.append("<h2>4. Which promotions did the gate allow or deny?</h2>\n");
    if (decisions.isEmpty()) {
      h.append("<p>No promotion gate was asked about this environment in the window.</p>\n");
      return;
    }
    h.append(
        "<table><tr><th>Seq</th><th>At</th><th>Asked by</th><th>Version</th><th>Decision</th>"
            + "<th>Reasons</th><th>Rule pack</th></tr>");
    for (AuditRecord a : decisions) {
      JsonNode d = detail(a);
      String decision = d.path("decision").asText("?");
      StringBuilder reasons = new StringBuilder();
      for (JsonNode r : d.path("reasons")) {
        reasons
            .append(EvidenceReport.esc(r.path("code").asText()))
            .append(" <code>")
            .append(EvidenceReport.esc(r.path("subject").asText("")))
            .append("</code>: ")
            .append(EvidenceReport.esc(r.path("message").asText()))
            .append("<br>");
      }
      h.append("<tr><td>")
          .append(a.seq())
          .append("</td><td>")
          .append(a.at())
          .append("</td><td>")
          .append(EvidenceReport.esc(a.actor()))
          .append("</td><td><code>")
          .append(EvidenceReport.esc(a.subject()))
          .append(d.path("candidate").asBoolean() ? " (candidate)" : "")
          .append("</code></td><td class=\"")
          .append("ALLOW".equals(decision) ? "ok" : "bad")
          .append("\">")
          .append(EvidenceReport.esc(decision))
          .append("</td><td>")
          .append(reasons)
          .append("</td><td><code>")
          .append(EvidenceReport.esc(d.path("rulePackVersion").asText()))
          .append("</code></td></tr>");
    }
    h.append("</table>\n");
  }

  private static JsonNode detail(AuditRecord a) {
    try {
      return a.detail() == null ? JSON.createObjectNode() : JSON.readTree(a.detail());
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
