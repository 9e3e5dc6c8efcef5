package org.plumbline.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.server.RulePacks;
import org.plumbline.server.ServerError;
import org.plumbline.server.cli.Main.Options;
import org.plumbline.server.export.AuditExport;
import org.plumbline.server.export.EvidencePdf;
import org.plumbline.server.export.EvidenceReport;
import org.plumbline.server.export.LedgerSigner;
import org.plumbline.server.export.ProofCheck;
import org.plumbline.server.export.SignedExportCheck;
import org.plumbline.server.export.SigningKeyRotation;
import org.plumbline.server.export.WitnessCheck;

/**
 * {@code plumbline audit verify|export|head}: checks the ledger or an export; exports the trail;
 * saves the signed tree head an auditor keeps.
 */
public final class AuditCommand {
  private final Main main;
  private final PrintStream out;
  private final PrintStream err;

  AuditCommand(Main main, PrintStream out, PrintStream err) {
    this.main = main;
    this.out = out;
    this.err = err;
  }

  int run(Options o) {
    if (o.words().isEmpty()) {
      throw new Main.UsageException("usage: plumbline audit verify|export|head|rotate-key ...");
    }
    return switch (o.words().get(0)) {
      case "verify" -> auditVerify(o);
      case "export" -> auditExport(o);
      case "rotate-key" -> rotateKey(o);
      case "head" -> new AuditHeadCommand(this, out).run(o);
      default -> throw new Main.UsageException("unknown audit command '" + o.words().get(0) + "'");
    };
  }

  /**
   * Verifies the stored ledger or an export and prints what that proved: one JSON line ({@code
   * valid}, {@code partial}, {@code records}, {@code firstBrokenSeq}, {@code checked}, {@code
   * notChecked}), then the same in words. Exit 0 only for a full check that passed, or a partial
   * one with {@code --allow-partial}; 1 otherwise.
   */
  private int auditVerify(Options o) {
    o.allow("data", "file", "extends", "allow-partial", "public-key", "witness");
    AuditLedger.Verification v;
    Boolean extension = null;
    if (o.flag("file") != null) {
      AuditExport.Parsed export = readExport(Path.of(o.flag("file")));
      v = AuditLedger.verifyScopedExport(export.records(), export.checkpoints(), export.claims());
      if (o.flag("public-key") != null) {
        v = checkSignatures(Path.of(o.flag("file")), export, v, key(o));
      }
      if (o.flag("witness") != null) {
        v = checkWitness(Path.of(o.flag("file")), export, v, Path.of(o.flag("witness")));
      }
      v = inclusion(Path.of(o.flag("file")), export, v);
      if (o.flag("extends") != null) {
        ExtendsCheck.Outcome e =
            ExtendsCheck.check(
                Path.of(o.flag("file")), export, v, Path.of(o.flag("extends")), key(o));
        v = e.verification();
        extension = e.extension();
      }
    } else {
      if (o.flag("extends") != null) {
        throw new Main.UsageException("--extends goes with --file");
      }
      try (GraphStore store =
          openOffline(o, "ask the server: GET URL/api/v1/audit/verify (the auditor role)")) {
        v = store.read(AuditLedger::verify);
      }
    }
    boolean allowPartial = o.flag("allow-partial") != null;
    out.println(verificationJson(v, extension).encode());
    if (!v.valid()) {
      out.println(
          "NOT VALID"
              + (v.firstBrokenSeq() == null ? "" : " at seq " + v.firstBrokenSeq())
              + ": "
              + v.reason());
    } else {
      out.println(
          (v.partial() ? "valid as far as checked (PARTIAL): " : "valid: ")
              + String.join("; ", v.checked()));
    }
    if (!v.notChecked().isEmpty()) {
      out.println("not checked: " + String.join("; ", v.notChecked()));
    }
    if (v.valid() && v.partial() && !allowPartial) {
      err.println(
          "partial check: not proved: "
              + String.join("; ", v.notChecked())
              + " (pass --allow-partial to accept a partial check)");
      return 1;
    }
    return v.valid() ? 0 : 1;
  }

  /**
   * Rotates the ledger's signing key with the server stopped: the data folder's key is replaced by
   * a new one, or, with {@code --key OLD --new-key NEW} (an {@code audit.signingKey} kept in the
   * operator's secret store), the rotation from OLD to NEW is recorded and no file is touched.
   * Prints the rotation as JSON.
   */
  private int rotateKey(Options o) {
    o.allow("data", "key", "new-key");
    if (o.flag("data") == null) {
      throw new Main.UsageException(
          "rotate-key needs --data DIR (server stopped) [--key OLD.pem --new-key NEW.pem]");
    }
    if ((o.flag("key") == null) != (o.flag("new-key") == null)) {
      throw new Main.UsageException("--key and --new-key go together");
    }
    Path data = dataFolder(o);
    Path keyFile = data.resolve(LedgerSigner.KEY_FILE);
    try (GraphStore store =
            openOffline(o, "rotate through it: POST URL/api/v1/audit/rotate-key (the admin role)");
        org.plumbline.governance.InputJournal journal =
            org.plumbline.governance.InputJournal.open(data.resolve("journal"))) {
      org.plumbline.governance.Governor governor =
          new org.plumbline.governance.Governor(store, () -> null, Clock.systemUTC(), journal);
      org.plumbline.governance.Caller caller =
          org.plumbline.governance.Governor.system(System.getProperty("user.name", "plumbline"));
      SigningKeyRotation.Rotated r;
      if (o.flag("key") != null) {
        r =
            SigningKeyRotation.rotateTo(
                Path.of(o.flag("key")), Path.of(o.flag("new-key")), governor, caller);
      } else {
        store.read(
            x -> {
              SigningKeyRotation.finishInterrupted(keyFile, x);
              return null;
            });
        if (!Files.exists(keyFile)) {
          throw new Main.UsageException(
              "no signing key in "
                  + data
                  + " ("
                  + LedgerSigner.KEY_FILE
                  + "); for an audit.signingKey give --key OLD.pem --new-key NEW.pem");
        }
        r = SigningKeyRotation.rotateFile(keyFile, governor, caller);
      }
      out.println(
          new io.vertx.core.json.JsonObject(
                  org.plumbline.server.http.resources.AuditResource.rotatedJson(r))
              .encode());
      out.println(
          "rotated the ledger's signing key "
              + r.rotation().oldFingerprint()
              + " -> "
              + r.rotation().newFingerprint()
              + " at ledger size "
              + r.rotation().ledgerSize()
              + "; give auditors the new public key (GET /api/v1/audit/public-key) or let them"
              + " follow the key chain exports carry from the old one");
      return 0;
    }
  }

  /** The verification as the CLI and {@code GET /api/v1/audit/verify} answer it. */
  public static io.vertx.core.json.JsonObject verificationJson(
      AuditLedger.Verification v, Boolean extension) {
    io.vertx.core.json.JsonObject o =
        new io.vertx.core.json.JsonObject()
            .put("valid", v.valid())
            .put("partial", v.partial())
            .put("records", v.records());
    if (v.root() != null) {
      o.put("root", v.root());
    }
    if (!v.valid()) {
      o.put("firstBrokenSeq", v.firstBrokenSeq()).put("reason", v.reason());
    }
    if (extension != null) {
      o.put("extends", extension);
    }
    return o.put("checked", new io.vertx.core.json.JsonArray(v.checked()))
        .put("notChecked", new io.vertx.core.json.JsonArray(v.notChecked()));
  }

  /** The public key {@code --public-key} names (a PEM), or null. */
  private static java.security.PublicKey key(Options o) {
    if (o.flag("public-key") == null) {
      return null;
    }
    Path keyFile = Path.of(o.flag("public-key"));
    try {
      return SignedExportCheck.publicKey(Files.readString(keyFile));
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new Main.UsageException(
          "cannot read the public key " + keyFile + " (a PEM PUBLIC KEY): " + e.getMessage());
    }
  }

  /** The export's signatures checked with the public key. */
  private static AuditLedger.Verification checkSignatures(
      Path file,
      AuditExport.Parsed export,
      AuditLedger.Verification v,
      java.security.PublicKey key) {
    try {
      return SignedExportCheck.check(Files.readAllBytes(file), export, v, key);
    } catch (IOException | RuntimeException e) {
      throw new Main.UsageException("cannot read audit export " + file + ": " + e.getMessage());
    }
  }

  /** The export held against the witness log {@code log} ({@link WitnessCheck}). */
  private static AuditLedger.Verification checkWitness(
      Path file, AuditExport.Parsed export, AuditLedger.Verification v, Path log) {
    try {
      return WitnessCheck.check(Files.readAllBytes(file), export, v, log);
    } catch (IOException | RuntimeException e) {
      throw new Main.UsageException(
          "cannot read the witness log " + log + " or the export: " + e.getMessage());
    }
  }

  /** The inclusion proof of the export's last record checked against its declared tree head. */
  private static AuditLedger.Verification inclusion(
      Path file, AuditExport.Parsed export, AuditLedger.Verification v) {
    try {
      return ProofCheck.inclusion(Files.readAllBytes(file), export, v);
    } catch (IOException | RuntimeException e) {
      throw new Main.UsageException("cannot read audit export " + file + ": " + e.getMessage());
    }
  }

  static AuditExport.Parsed readExport(Path file) {
    try {
      return AuditExport.parse(Files.readAllBytes(file));
    } catch (IOException | RuntimeException e) {
      throw new Main.UsageException("cannot read audit export " + file + ": " + e.getMessage());
    }
  }

  static Path dataFolder(Options o) {
    return Path.of(o.flag("data") == null ? "data" : o.flag("data"));
  }

  private int auditExport(Options o) {
    o.allow(
        "environment",
        "since",
        "until",
        "format",
        "data",
        "rules",
        "out",
        "server",
        "token",
        "token-file",
        "since-size",
        "since-head");
    AuditExport.Scope scope =
        new AuditExport.Scope(
            o.flag("environment"),
            Main.instant(o.flag("since"), "since"),
            Main.instant(o.flag("until"), "until"));
    String format = o.flag("format") == null ? "json" : o.flag("format");
    if (!List.of("json", "csv", "jsonld", "html", "pdf").contains(format)) {
      throw new Main.UsageException("--format must be json, csv, jsonld, html or pdf");
    }
    if ((format.equals("html") || format.equals("pdf")) && scope.environment() == null) {
      throw new Main.UsageException("the " + format + " evidence report needs --environment ID");
    }
    Long sinceSize = AuditHeadCommand.sinceSize(o);
    if (sinceSize != null && !format.equals("json")) {
      throw new Main.UsageException("--since-size and --since-head go with --format json");
    }
    byte[] export;
    if (o.flag("server") != null) {
      if (o.flag("data") != null) {
        throw new Main.UsageException("give --server or --data, not both");
      }
      export = exportFromServer(o, scope, format, sinceSize);
    } else {
      String text = exportFromStore(o, scope, format, sinceSize);
      // the PDF is laid out from the report after the store is closed again
      export =
          format.equals("pdf")
              ? EvidencePdf.render(text)
              : (text + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
    }
    if (o.flag("out") != null) {
      try {
        Files.write(Path.of(o.flag("out")), export);
      } catch (IOException e) {
        throw new Main.UsageException("cannot write " + o.flag("out") + ": " + e.getMessage());
      }
      out.println("wrote " + o.flag("out"));
    } else {
      out.write(export, 0, export.length);
      out.flush();
    }
    return 0;
  }

  /** Reads the export through a running server's REST API (the auditor role). */
  private byte[] exportFromServer(
      Options o, AuditExport.Scope scope, String format, Long sinceSize) {
    StringBuilder url = new StringBuilder(o.flag("server").replaceAll("/$", ""));
    url.append(
        scope.environment() == null
            ? "/api/v1/audit/export"
            : "/api/v1/environments/"
                + java.net.URLEncoder.encode(scope.environment(), StandardCharsets.UTF_8)
                + "/audit");
    url.append("?format=").append(format);
    if (scope.since() != null) url.append("&since=").append(scope.since());
    if (scope.until() != null) url.append("&until=").append(scope.until());
    if (sinceSize != null) url.append("&sinceSize=").append(sinceSize);
    byte[] body = get(o, url.toString());
    if (format.equals("pdf")) {
      return body;
    }
    return (new String(body, StandardCharsets.UTF_8) + System.lineSeparator())
        .getBytes(StandardCharsets.UTF_8);
  }

  /** GETs {@code url} from the server with the caller's token; anything but 200 is an error. */
  byte[] get(Options o, String url) {
    String token = main.token(o);
    if (token == null) {
      throw new Main.UsageException("--server needs --token-file F (or PLUMBLINE_TOKEN)");
    }
    try {
      HttpResponse<byte[]> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url))
                      .header("Authorization", "Bearer " + token)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        throw new PlumblineException(
            ServerError.SERVER_UNREACHABLE,
            o.flag("server") + " answered " + r.statusCode(),
            List.of(body.length() > 500 ? body.substring(0, 500) : body));
      }
      return r.body();
    } catch (IOException e) {
      throw new PlumblineException(
          ServerError.SERVER_UNREACHABLE,
          "cannot reach " + o.flag("server") + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlumblineException(ServerError.SERVER_UNREACHABLE, "interrupted");
    }
  }

  /**
   * Opens the data folder for an offline read; a folder a running server holds is refused with
   * STORE_LOCKED and the two ways forward.
   */
  static GraphStore openOffline(Options o, String what) {
    try {
      return GraphStore.openTdb2(dataFolder(o));
    } catch (PlumblineException e) {
      if (e.code() == org.plumbline.ontology.StoreError.STORE_LOCKED) {
        throw new PlumblineException(
            e.code(),
            "the data folder "
                + dataFolder(o)
                + " is in use by a running server; "
                + what
                + ", or take a copy"
                + " with 'plumbline backup --server URL --token-file F', restore it with"
                + " 'plumbline restore --from BACKUP --data COPY_DIR' and use --data COPY_DIR",
            e.details());
      }
      throw e;
    }
  }

  private String exportFromStore(
      Options o, AuditExport.Scope scope, String format, Long sinceSize) {
    try (GraphStore store =
        openOffline(
            o, "read the export through it: --server URL --token-file F (the auditor role)")) {
      // No rules folder is needed: the report names the pack recorded in the store, and a
      // departure without a stored drift shows by its key only. --rules is still honoured.
      var pack = o.flag("rules") == null ? null : RulePacks.load(Path.of(o.flag("rules")));
      Instant now = Clock.systemUTC().instant();
      // The data folder's signing key, when it has one: a copy of it signs as the server would.
      LedgerSigner signer = LedgerSigner.ofDataIfPresent(dataFolder(o));
      return store.read(
          r -> {
            if (scope.environment() != null && r.environment(scope.environment()).isEmpty()) {
              throw new PlumblineException(
                  org.plumbline.ontology.StoreError.UNKNOWN_ENVIRONMENT,
                  "no environment '" + scope.environment() + "'");
            }
            return switch (format) {
              case "csv" -> AuditExport.csv(scope.records(r));
              case "jsonld" -> AuditExport.jsonLd(scope.environment(), scope.records(r));
              case "html", "pdf" -> {
                Instant until = scope.until() == null ? now : scope.until();
                Instant since =
                    scope.since() == null
                        ? until.minus(java.time.Duration.ofDays(90))
                        : scope.since();
                yield EvidenceReport.html(
                    r,
                    pack,
                    scope.environment(),
                    since,
                    until,
                    now,
                    signer == null ? null : signer.fingerprint());
              }
              default -> AuditExport.json(r, scope, now, signer, sinceSize);
            };
          });
    }
  }
}
