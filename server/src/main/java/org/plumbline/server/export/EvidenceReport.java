package org.plumbline.server.export;

import java.time.Instant;
import java.util.List;
import org.plumbline.ontology.Approval;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.Change;
import org.plumbline.ontology.Disposition;
import org.plumbline.ontology.DispositionStatus;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.rules.ConformanceCheck;
import org.plumbline.rules.RulePack;
import org.plumbline.rules.RulePackActivation;

/**
 * The human-readable evidence report for one environment and window: an HTML page that prints well
 * and answers the regulator's three questions from stored facts: what changed, was every drift
 * governed, and does the environment match its blueprint and the validated version.
 */
public final class EvidenceReport {
  private EvidenceReport() {}

  /** The report without a signing key's fingerprint. */
  public static String html(
      StoreReader r, RulePack pack, String envId, Instant since, Instant until, Instant now) {
    return html(r, pack, envId, since, until, now, null);
  }

  /**
   * The report as well-formed XHTML (so the PDF renderer reads the very same page), with a print
   * style: A4 pages, a running header naming the environment and the window, page numbers.
   *
   * @param pack assesses departures that have no stored drift; null when none is at hand (an
   *     offline export: the report shows only the keys of such departures, so it reads the same)
   * @param keyFingerprint SHA-256 of the ledger's DER public key, or null when the ledger has no
   *     signing key
   */
  public static String html(
      StoreReader r,
      RulePack pack,
      String envId,
      Instant since,
      Instant until,
      Instant now,
      String keyFingerprint) {
    Environment env = r.environment(envId).orElseThrow();
    List<Change> changes = r.changes(envId, since, until);
    List<Drift> drifts =
        r.drifts(envId).stream()
            .filter(d -> d.detectedAt().isBefore(until))
            .filter(
                d ->
                    d.status().isLive()
                        || d.status().name().equals("EXCEPTED")
                        || !d.updatedAt().isBefore(since))
            .toList();
    ConformanceCheck.Result atEnd =
        ConformanceCheck.at(r, pack, envId, until.isAfter(now) ? now : until);
    ConformanceCheck.Result atStart = ConformanceCheck.at(r, pack, envId, since);
    AuditLedger.Verification ledger = AuditLedger.verify(r);
    List<AuditRecord> audit = r.audit(envId, since, until);

    String window = HumanTime.of(since) + " to " + HumanTime.of(until);
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
        .append("<title>Evidence report: ")
        .append(esc(envId))
        .append("</title>")
        .append("<style>")
        .append("body{font:12px/1.45 'DejaVu Sans',system-ui,sans-serif;margin:2em;color:#111}")
        .append("h1{font-size:20px}h2{font-size:15px;margin-top:2em;border-bottom:1px solid #999}")
        .append("table{border-collapse:collapse;width:100%;margin:.5em 0}")
        .append("th,td{border:1px solid #bbb;padding:3px 5px;text-align:left;vertical-align:top}")
        .append("th{background:#eee}")
        .append("code{font-family:'DejaVu Sans Mono',monospace;font-size:10px;")
        .append("word-break:break-all;word-wrap:break-word}")
        .append(".ok{color:#060;font-weight:bold}.bad{color:#a00;font-weight:bold}")
        .append("@page{size:A4;margin:22mm 14mm 18mm 14mm;")
        .append("@top-left{content:")
        .append(cssString("Evidence report: " + envId))
        .append(";font:9px 'DejaVu Sans',sans-serif;color:#555}")
        .append("@top-right{content:")
        .append(cssString(window))
        .append(";font:9px 'DejaVu Sans',sans-serif;color:#555}")
        .append("@bottom-left{content:")
        .append(cssString("Plumbline, generated " + HumanTime.of(now)))
        .append(";font:9px 'DejaVu Sans',sans-serif;color:#555}")
        .append("@bottom-right{content:'Page ' counter(page) ' of ' counter(pages);")
        .append("font:9px 'DejaVu Sans',sans-serif;color:#555}}")
        .append("thead{display:table-header-group}table{-fs-table-paginate:paginate}")
        // in print a full-width table's right border would fall just outside the page box
        .append("@media print{body{margin:0}table{width:99.5%}")
        .append("h2,h3{break-after:avoid;page-break-after:avoid}")
        .append("tr{break-inside:avoid;page-break-inside:avoid}}")
        .append("</style></head><body>\n");
    h.append("<h1>Evidence report: ")
        .append(esc(env.name() == null ? envId : env.name()))
        .append("</h1>\n");
    h.append("<table>")
        .append(row("Environment", envId + " (" + env.tier() + ", " + env.status() + ")"))
        .append(row("Owner / system", env.owner() + " / " + env.system()))
        .append(row("Bundle", env.bundle() + " " + env.bundleVersion()))
        .append(row("Window", window))
        .append(row("Generated", HumanTime.of(now)))
        .append(
            row(
                "Rule pack active when generated",
                RulePackActivation.active(r)
                    .map(a -> a.subject() + " (active since " + HumanTime.of(a.at()) + ")")
                    .orElse("none recorded")))
        .append("<tr><th>Ledger verification</th><td>")
        .append(verdict(ledger))
        .append("</td></tr>")
        .append(
            row(
                "Signing key fingerprint (SHA-256 of the DER public key)",
                keyFingerprint == null
                    ? "none: this ledger has no signing key, so its checkpoints are not signed"
                    : keyFingerprint))
        .append("</table>\n");

    h.append("<h2>1. What changed in this window?</h2>\n");
    if (changes.isEmpty()) {
      h.append("<p>No configuration changes were observed.</p>\n");
    } else {
      h.append("<p>").append(changes.size()).append(" change(s), in time order.</p>");
      h.append(
          "<table><thead><tr><th>When</th><th>Key</th><th>From</th><th>To</th><th>Source</th>"
              + "</tr></thead>");
      for (Change c : changes) {
        h.append("<tr><td>")
            .append(HumanTime.of(c.at()))
            .append("</td><td><code>")
            .append(esc(c.key()))
            .append("</code></td><td><code>")
            .append(esc(value(c.from())))
            .append("</code></td><td><code>")
            .append(esc(value(c.to())))
            .append("</code></td><td>")
            .append(esc(c.source()))
            .append("</td></tr>");
      }
      h.append("</table>\n");
    }

    h.append("<h2>2. Was every drift governed?</h2>\n");
    long ungoverned =
        drifts.stream()
            .filter(d -> d.status().name().equals("OPEN") && r.dispositions(d.id()).isEmpty())
            .count();
    h.append("<p>")
        .append(drifts.size())
        .append(" drift(s) in the window; ")
        .append(
            ungoverned == 0
                ? "<span class=\"ok\">every one has a disposition or has closed.</span>"
                : "<span class=\"bad\">" + ungoverned + " open without a disposition.</span>")
        .append("</p>\n");
    for (Drift d : drifts) {
      var a = d.assessment();
      h.append("<h3><code>")
          .append(esc(d.key()))
          .append("</code>: ")
          .append(d.status())
          .append("</h3>");
      h.append("<table>")
          .append(row("Drift", d.id() + ", detected " + HumanTime.of(d.detectedAt())))
          .append(row("Expected / observed", value(d.expected()) + "  /  " + value(d.actual())))
          .append(
              row(
                  "Assessment",
                  a.riskCategory()
                      + ", "
                      + a.severity()
                      + ", "
                      + a.authorization()
                      + (a.findings().isEmpty()
                          ? ""
                          : ", findings " + String.join(", ", a.findings()))))
          .append(row("Explanation", HumanTime.inText(a.explanation())))
          .append(
              row(
                  "Decided by",
                  "rules "
                      + String.join("; ", a.firedRules())
                      + " (pack "
                      + a.rulePackVersion()
                      + ")"))
          .append("</table>");
      for (Disposition p : r.dispositions(d.id())) {
        h.append("<p><b>")
            .append(p.kind())
            .append("</b> ")
            .append(p.id())
            .append(", ")
            .append(p.status())
            .append(p.status() == DispositionStatus.REJECTED ? " (" + esc(p.decision()) + ")" : "")
            .append(": requested by ")
            .append(esc(p.requestedBy()))
            .append(" at ")
            .append(HumanTime.of(p.requestedAt()))
            .append(": \u201c")
            .append(esc(p.justification()))
            .append("\u201d")
            .append(p.expiresAt() == null ? "" : "; exception until " + HumanTime.of(p.expiresAt()))
            .append(". Needs ")
            .append(p.requiredApprovals())
            .append(" approval(s).</p>");
        if (!p.approvals().isEmpty()) {
          h.append(
              "<table><thead><tr><th>Signed by</th><th>Role</th><th>Meaning of the signature</th>"
                  + "<th>At</th></tr></thead>");
          for (Approval ap : p.approvals()) {
            h.append("<tr><td>")
                .append(esc(ap.by()))
                .append("</td><td>")
                .append(esc(ap.role()))
                .append("</td><td>")
                .append(esc(ap.meaning()))
                .append(ap.comment() == null ? "" : ": " + esc(ap.comment()))
                .append("</td><td>")
                .append(HumanTime.of(ap.at()))
                .append("</td></tr>");
          }
          h.append("</table>");
        }
      }
    }

    h.append("<h2>3. Does it match the validated configuration?</h2>\n<table>")
        .append(
            "<thead><tr><th>As of</th><th>Bundle version</th><th>Matches blueprint</th>"
                + "<th>Validated version</th><th>Matches validated</th><th>Differences</th>"
                + "</tr></thead>")
        .append(conformanceRow(atStart))
        .append(conformanceRow(atEnd))
        .append("</table>\n");

    GateDecisions.section(h, r, envId, audit, since, until);

    h.append("<h2>Audit ledger</h2>\n<p>")
        .append(verdict(ledger))
        .append("</p>\n<table><thead><tr><th>Seq</th><th>At</th><th>Actor</th><th>Action</th>")
        .append("<th>Subject</th><th>Hash</th></tr></thead>");
    for (AuditRecord a : audit) {
      h.append("<tr><td>")
          .append(a.seq())
          .append("</td><td>")
          .append(HumanTime.of(a.at()))
          .append("</td><td>")
          .append(esc(a.actor()))
          .append("</td><td>")
          .append(esc(a.action()))
          .append("</td><td><code>")
          .append(esc(a.subject()))
          .append("</code></td><td><code>")
          .append(a.hash(), 0, 16)
          .append("…</code></td></tr>");
    }
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  /** Whether the whole ledger verifies, in one sentence (HTML). */
  private static String verdict(AuditLedger.Verification ledger) {
    return ledger.valid()
        ? "<span class=\"ok\">The ledger verifies</span>: "
            + ledger.records()
            + " records, Merkle root <code>"
            + ledger.root()
            + "</code>."
        : "<span class=\"bad\">The ledger does not verify</span>: first broken record "
            + ledger.firstBrokenSeq()
            + " ("
            + esc(ledger.reason())
            + ").";
  }

  /**
   * A CSS string literal for the page header, inside the XHTML style element: no quote, backslash
   * or markup character of the text can end the string or the element.
   */
  private static String cssString(String s) {
    return "\"" + s.replaceAll("[\\\\\"<>&\\r\\n]", "_") + "\"";
  }

  private static String conformanceRow(ConformanceCheck.Result c) {
    return "<tr><td>"
        + HumanTime.of(c.asOf())
        + "</td><td>"
        + esc(c.bundleVersion())
        + "</td><td>"
        + yesNo(c.matchesBlueprint())
        + "</td><td>"
        + esc(c.validatedVersion() == null ? "none" : c.validatedVersion())
        + "</td><td>"
        + yesNo(c.matchesValidated())
        + "</td><td>"
        + esc(String.join(", ", c.differences().stream().map(Drift::key).toList()))
        + "</td></tr>";
  }

  private static String yesNo(boolean b) {
    return b ? "<span class=\"ok\">yes</span>" : "<span class=\"bad\">no</span>";
  }

  private static String row(String name, String value) {
    return "<tr><th>" + esc(name) + "</th><td>" + esc(value) + "</td></tr>";
  }

  private static String value(String json) {
    return json == null ? "(absent)" : json;
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
