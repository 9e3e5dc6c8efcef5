package org.plumbline.server.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.plumbline.ontology.AuditCheckpoint;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.ledger.AuditChain;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.ontology.ledger.TreeHead;

/**
 * Audit ledger exports: JSON (verifiable offline, with the Merkle root and checkpoints), CSV, and
 * JSON-LD with PROV-O terms. The human-readable evidence report is {@link EvidenceReport}.
 */
public final class AuditExport {
  private AuditExport() {}

  /** What an export covers: the whole ledger or one environment, and a window. */
  public record Scope(String environment, Instant since, Instant until) {
    public List<AuditRecord> records(StoreReader r) {
      return r.audit(environment, since, until);
    }

    /** Only a whole-ledger export from the first record can be chain-verified and extended. */
    boolean complete() {
      return environment == null && since == null;
    }
  }

  /**
   * A parsed JSON export. {@code root} is the root its producer claimed, or null; {@code claims}
   * what its header declares (all null for a bare array of records).
   */
  public record Parsed(
      List<AuditRecord> records,
      List<AuditCheckpoint> checkpoints,
      String root,
      AuditLedger.ExportClaims claims) {}

  public static String json(StoreReader r, Scope scope, Instant exportedAt) {
    return json(r, scope, exportedAt, null);
  }

  /**
   * The JSON export; with a signer, its tree head (the ledger's size and root, and the exported
   * environment's head, when exported) and every checkpoint it carries are signed.
   */
  public static String json(StoreReader r, Scope scope, Instant exportedAt, LedgerSigner signer) {
    return json(r, scope, exportedAt, signer, null);
  }

  /**
   * The JSON export, carrying the RFC 9162 inclusion proof of its last record against its tree head
   * and, when {@code sinceSize} is given, the consistency proof from the ledger of that size (an
   * earlier tree head an auditor kept) to its tree head.
   */
  public static String json(
      StoreReader r, Scope scope, Instant exportedAt, LedgerSigner signer, Long sinceSize) {
    List<AuditRecord> records = scope.records(r);
    JsonObject ledger =
        new JsonObject()
            .put("exportedAt", exportedAt.toString())
            .put("environment", scope.environment())
            .put("since", scope.since() == null ? null : scope.since().toString())
            .put("until", scope.until() == null ? null : scope.until().toString())
            .put("complete", scope.complete())
            .put("records", records.size())
            .put("ledgerSize", r.auditCount())
            .put("ledgerRoot", r.auditRoot());
    if (scope.complete()) {
      // The root of exactly the exported prefix: a later export must begin with it.
      ledger.put("root", AuditLedger.root(records));
    }
    bounds(r, scope, ledger);
    LedgerProofs.addTo(ledger, r, records, sinceSize);
    if (signer != null) {
      JsonObject head = ledger.getJsonObject("head");
      ledger.put(
          "treeHead",
          signer.signed(
              new TreeHead(
                  r.auditCount(),
                  r.auditRoot(),
                  exportedAt,
                  scope.environment(),
                  scope.environment() == null ? null : head.getLong("position"),
                  scope.environment() == null ? null : head.getString("hash"))));
    }
    List<org.plumbline.ontology.ledger.KeyRotation> rotations = SigningKeyRotation.chain(r);
    if (!rotations.isEmpty()) {
      // The key chain: from any earlier key an auditor holds to the key that signed this export.
      JsonArray chain = new JsonArray();
      rotations.forEach(k -> chain.add(new JsonObject(k.toJsonText())));
      ledger.put("keyChain", chain);
    }
    JsonArray checkpoints = new JsonArray();
    for (AuditCheckpoint c : r.auditCheckpoints()) {
      if (!scope.complete() || c.size() <= records.size()) {
        checkpoints.add(
            signer == null
                ? new JsonObject()
                    .put("size", c.size())
                    .put("root", c.root())
                    .put("at", c.at().toString())
                : signer.signed(new TreeHead(c.size(), c.root(), c.at())));
      }
    }
    JsonArray a = new JsonArray();
    records.forEach(x -> a.add(record(x)));
    return new JsonObject()
        .put("ledger", ledger)
        .put("checkpoints", checkpoints)
        .put("records", a)
        .encodePrettily();
  }

  /**
   * What bounds a slice, so that it proves nothing of its scope is missing: the scope's record just
   * before the window, the first one at or after its end, and the scope's head when exported (its
   * last record's position among the environment's records, or seq, and hash).
   */
  private static void bounds(StoreReader r, Scope scope, JsonObject ledger) {
    String env = scope.environment();
    if (scope.since() != null) {
      r.auditLastBefore(env, scope.since()).ifPresent(b -> ledger.put("before", record(b)));
    }
    if (scope.until() != null) {
      r.auditFirstAtOrAfter(env, scope.until()).ifPresent(a -> ledger.put("after", record(a)));
    }
    java.util.Optional<AuditRecord> head =
        env == null ? r.auditRecord(r.auditCount()) : r.auditEnvHead(env);
    ledger.put(
        "head",
        new JsonObject()
            .put("position", head.map(h -> env == null ? h.seq() : h.envSeq()).orElse(0L))
            .put("hash", head.map(AuditRecord::hash).orElse(AuditChain.GENESIS)));
  }

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
        .put("prevHash", r.prevHash())
        .put("envSeq", r.envSeq())
        .put("envPrevHash", r.envPrevHash());
  }

  /** Reads a JSON export (or a bare array of records); throws IOException when it is not one. */
  public static Parsed parse(byte[] bytes) throws IOException {
    JsonNode root = new ObjectMapper().readTree(bytes);
    if (root == null || !(root.isArray() || root.has("records"))) {
      throw new IOException("not a Plumbline audit export: no 'records'");
    }
    JsonNode records = root.isArray() ? root : root.path("records");
    List<AuditRecord> out = new ArrayList<>();
    for (JsonNode r : records) {
      out.add(parseRecord(r));
    }
    List<AuditCheckpoint> checkpoints = new ArrayList<>();
    for (JsonNode c : root.path("checkpoints")) {
      checkpoints.add(
          new AuditCheckpoint(
              c.path("size").asLong(),
              text(c, "root"),
              c.hasNonNull("at") ? Instant.parse(c.get("at").asText()) : null));
    }
    JsonNode ledger = root.path("ledger");
    AuditLedger.ExportClaims claims =
        root.isArray()
            ? bareClaims(out)
            : new AuditLedger.ExportClaims(
                text(ledger, "environment"),
                instant(ledger, "since"),
                instant(ledger, "until"),
                ledger.path("ledgerSize").canConvertToLong()
                    ? ledger.get("ledgerSize").asLong()
                    : null,
                text(ledger, "ledgerRoot"),
                text(ledger, "root"),
                ledger.hasNonNull("before") ? parseRecord(ledger.get("before")) : null,
                ledger.hasNonNull("after") ? parseRecord(ledger.get("after")) : null,
                ledger.path("head").path("position").canConvertToLong()
                    ? ledger.get("head").get("position").asLong()
                    : null,
                text(ledger.path("head"), "hash"));
    return new Parsed(out, checkpoints, text(ledger, "root"), claims);
  }

  private static AuditRecord parseRecord(JsonNode r) {
    return new AuditRecord(
        r.path("seq").asLong(),
        r.hasNonNull("at") ? Instant.parse(r.get("at").asText()) : null,
        text(r, "actor"),
        text(r, "action"),
        text(r, "environment"),
        text(r, "subject"),
        text(r, "detail"),
        text(r, "hash"),
        text(r, "prevHash"),
        r.path("envSeq").asLong(),
        text(r, "envPrevHash"));
  }

  /** A bare array declares nothing: from record 1 it is taken as the whole ledger, else a slice. */
  private static AuditLedger.ExportClaims bareClaims(List<AuditRecord> records) {
    boolean fromStart = records.isEmpty() || records.get(0).seq() == 1;
    return new AuditLedger.ExportClaims(
        null, fromStart ? null : Instant.MIN, null, null, null, null);
  }

  private static Instant instant(JsonNode n, String field) {
    String v = text(n, field);
    return v == null ? null : Instant.parse(v);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  public static String csv(List<AuditRecord> records) {
    StringBuilder sb =
        new StringBuilder(
            "seq,at,actor,action,environment,subject,detail,hash,prevHash,envSeq,envPrevHash\r\n");
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
      sb.append(r.prevHash())
          .append(',')
          .append(r.envSeq())
          .append(',')
          .append(r.envPrevHash() == null ? "" : r.envPrevHash())
          .append("\r\n");
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

  public static String jsonLd(String environment, List<AuditRecord> records) {
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
              .put("pl:prevHash", r.prevHash())
              .put("pl:envSeq", r.envSeq())
              .put("pl:envPrevHash", r.envPrevHash()));
    }
    return new JsonObject()
        .put(
            "@context",
            new JsonObject()
                .put("prov", "http://www.w3.org/ns/prov#")
                .put("pl", "https://w3id.org/plumbline#"))
        .put(
            "@id",
            "urn:plumbline:"
                + (environment == null ? "ledger" : "environment:" + environment + ":audit"))
        .put("@graph", graph)
        .encodePrettily();
  }
}
