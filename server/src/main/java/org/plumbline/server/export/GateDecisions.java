package org.plumbline.server.export;

import static org.plumbline.server.export.EvidenceReport.esc;

import java.time.Instant;
import java.util.List;
import org.plumbline.governance.GateHistory;
import org.plumbline.governance.GateOverrides;
import org.plumbline.governance.PromotionGates;
import org.plumbline.ontology.Approval;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.GateOverride;
import org.plumbline.ontology.StoreReader;
import org.plumbline.rules.pack.GateReason;

/**
 * The evidence report's section on promotion gates: every {@code gate.decided} record of the
 * environment in the window, with its decision, reasons, the override that allowed a denial and the
 * rule pack that decided; then the overrides of denials requested in the window, with their
 * signatures.
 */
final class GateDecisions {
  private GateDecisions() {}

  static void section(
      StringBuilder h,
      StoreReader r,
      String environment,
      List<AuditRecord> audit,
      Instant since,
      Instant until) {
    List<GateHistory.Decision> decisions =
        audit.stream()
            .filter(a -> PromotionGates.DECIDED.equals(a.action()))
            .map(GateHistory::decision)
            .toList();
    h.append("<h2>4. Which promotions did the gate allow or deny?</h2>\n");
    if (decisions.isEmpty()) {
      h.append("<p>No promotion gate was asked about this environment in the window.</p>\n");
    } else {
      h.append(
          "<table><thead><tr><th>Seq</th><th>At</th><th>Asked by</th><th>Version</th>"
              + "<th>Decision</th><th>Reasons</th><th>Override</th><th>Rule pack</th></tr>"
              + "</thead>");
      for (GateHistory.Decision d : decisions) {
        h.append("<tr><td>")
            .append(d.auditSeq())
            .append("</td><td>")
            .append(HumanTime.of(d.decidedAt()))
            .append("</td><td>")
            .append(esc(d.askedBy()))
            .append("</td><td><code>")
            .append(esc(d.subject()))
            .append(d.candidate() ? " (candidate)" : "")
            .append("</code></td><td class=\"")
            .append("ALLOW".equals(d.decision()) ? "ok" : "bad")
            .append("\">")
            .append(esc(d.decision()))
            .append("</td><td>")
            .append(reasons(d.reasons()))
            .append("</td><td>");
        if (d.override() != null) {
          h.append("<code>")
              .append(esc(d.override()))
              .append("</code> approved by ")
              .append(esc(String.join(", ", d.approvedBy())))
              .append(", overriding:<br/>")
              .append(reasons(d.overridden()));
        }
        h.append("</td><td><code>")
            .append(esc(String.valueOf(d.rulePackVersion())))
            .append("</code></td></tr>");
      }
      h.append("</table>\n");
    }
    overrides(h, r, environment, since, until);
  }

  private static void overrides(
      StringBuilder h, StoreReader r, String environment, Instant since, Instant until) {
    List<GateOverride> requested =
        r.gateOverrides(environment).stream()
            .filter(o -> !o.requestedAt().isBefore(since) && o.requestedAt().isBefore(until))
            .toList();
    if (requested.isEmpty()) {
      h.append("<p>No override of a gate denial was requested in the window.</p>\n");
      return;
    }
    h.append("<h3>Overrides of gate denials</h3>\n");
    for (GateOverride o : requested) {
      h.append("<p><code>")
          .append(esc(o.id()))
          .append("</code>: ")
          .append(esc(o.bundle() + "@" + o.version()))
          .append(", requested by ")
          .append(esc(o.requestedBy()))
          .append(" at ")
          .append(HumanTime.of(o.requestedAt()))
          .append(" (\u201c")
          .append(esc(o.justification()))
          .append("\u201d), overriding the denial of audit record ")
          .append(o.deniedSeq())
          .append(" until ")
          .append(HumanTime.of(o.expiresAt()))
          .append(": ")
          .append(esc(String.join(", ", o.overridden().stream().map(x -> x.code()).toList())))
          .append(". <strong>")
          .append(o.status())
          .append("</strong>")
          .append(o.decision() == null ? "" : " (" + esc(o.decision()) + ")")
          .append("; needs ")
          .append(o.requiredApprovals())
          .append(" approval(s), approved by ")
          .append(
              esc(
                  GateOverrides.approvers(o).isEmpty()
                      ? "nobody yet"
                      : String.join(", ", GateOverrides.approvers(o))))
          .append(".</p>");
      if (!o.approvals().isEmpty()) {
        h.append(
            "<table><tr><th>Signed by</th><th>Role</th><th>Meaning of the signature</th>"
                + "<th>At</th></tr>");
        for (Approval a : o.approvals()) {
          h.append("<tr><td>")
              .append(esc(a.by()))
              .append("</td><td>")
              .append(esc(a.role()))
              .append("</td><td>")
              .append(esc(a.meaning()))
              .append(a.comment() == null ? "" : ": " + esc(a.comment()))
              .append("</td><td>")
              .append(HumanTime.of(a.at()))
              .append("</td></tr>");
        }
        h.append("</table>\n");
      }
    }
  }

  private static String reasons(List<GateReason> reasons) {
    StringBuilder out = new StringBuilder();
    for (GateReason r : reasons) {
      out.append(esc(r.code()))
          .append(" <code>")
          .append(esc(r.subject() == null ? "" : r.subject()))
          .append("</code>: ")
          .append(esc(HumanTime.inText(r.message())))
          .append("<br/>");
    }
    return out.toString();
  }
}
