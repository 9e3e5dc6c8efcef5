package org.plumbline.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.plumbline.ontology.AuditRecord;

/** Audit ledger exports: JSON (verifiable offline), CSV, and JSON-LD with PROV-O terms. */
final class AuditExport {
  private AuditExport() {}

  static JsonObject record(AuditRecord r) {
    return new JsonObject()
        .put("seq", r.seq())
        .put("at", r.at().toString())
        .put("actor", r.actor())
        .put("action", r.action())
        .put("environment", r.environment())
        .put("subject", r.subject())
        .put("detail", r.detail())
        .put("hash", r.hash())
        .put("prevHash", r.prevHash());
  }

  static String json(List<AuditRecord> records) {
    JsonArray a = new JsonArray();
    records.forEach(r -> a.add(record(r)));
    return new JsonObject().put("records", a).encodePrettily();
  }

  static String csv(List<AuditRecord> records) {
    StringBuilder sb =
        new StringBuilder("seq,at,actor,action,environment,subject,detail,hash,prevHash\r\n");
    for (AuditRecord r : records) {
      sb.append(r.seq()).append(',');
      for (String f :
          new String[] {
            r.at().toString(),
            r.actor(),
            r.action(),
            r.environment(),
            r.subject(),
            r.detail(),
            r.hash()
          }) {
        sb.append(csvField(f)).append(',');
      }
      sb.append(r.prevHash()).append("\r\n");
    }
    return sb.toString();
  }

  /** RFC 4180 quoting; a leading formula character is neutralised so spreadsheets do not run it. */
  private static String csvField(String s) {
    if (s == null) {
      return "";
    }
    String v = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    return "\"" + v.replace("\"", "\"\"") + "\"";
  }

  static String jsonLd(String environment, List<AuditRecord> records) {
    JsonArray graph = new JsonArray();
    for (AuditRecord r : records) {
      graph.add(
          new JsonObject()
              .put("@id", "urn:plumbline:audit:" + r.seq())
              .put("@type", "prov:Activity")
              .put("prov:type", r.action())
              .put("prov:endedAtTime", r.at().toString())
              .put(
                  "prov:wasAssociatedWith",
                  new JsonObject().put("@id", "urn:plumbline:user:" + r.actor()))
              .put("prov:used", r.subject())
              .put("pl:environment", r.environment())
              .put("pl:detail", r.detail())
              .put("pl:seq", r.seq())
              .put("pl:hash", r.hash())
              .put("pl:prevHash", r.prevHash()));
    }
    return new JsonObject()
        .put(
            "@context",
            new JsonObject()
                .put("prov", "http://www.w3.org/ns/prov#")
                .put("pl", "https://w3id.org/plumbline#"))
        .put("@id", "urn:plumbline:environment:" + environment + ":audit")
        .put("@graph", graph)
        .encodePrettily();
  }
}
