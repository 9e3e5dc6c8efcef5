package org.plumbline.server.http.resources;

import static org.plumbline.server.http.resources.Requests.instantParam;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.rules.RulePack;
import org.plumbline.server.ServerError;
import org.plumbline.server.cli.AuditCommand;
import org.plumbline.server.export.AuditExport;
import org.plumbline.server.export.EvidencePdf;
import org.plumbline.server.export.EvidenceReport;
import org.plumbline.server.export.LedgerSigner;

/**
 * The audit endpoints: ledger verification and the exports (JSON, CSV, JSON-LD, HTML report, PDF).
 */
public final class AuditResource {
  private final GraphStore store;
  private final Clock clock;
  private final Supplier<RulePack> rulePack;
  private final java.util.function.Consumer<AuditLedger.Verification> verified;
  private final LedgerSigner signer;

  /**
   * @param verified told the outcome of every verification asked for (the ledger gauges)
   */
  public AuditResource(
      GraphStore store,
      Clock clock,
      Supplier<RulePack> rulePack,
      java.util.function.Consumer<AuditLedger.Verification> verified,
      LedgerSigner signer) {
    this.signer = signer;
    this.store = store;
    this.clock = clock;
    this.rulePack = rulePack;
    this.verified = verified;
  }

  /** The server's audit endpoints, signing with {@code audit.signingKey} or the data folder's. */
  public static AuditResource of(
      GraphStore store,
      Clock clock,
      Supplier<RulePack> rulePack,
      org.plumbline.server.telemetry.LedgerWatch watch,
      org.plumbline.server.config.ServerConfig config) {
    return new AuditResource(
        store,
        clock,
        rulePack,
        watch::verified,
        LedgerSigner.read(config.auditSigningKeyFile(), config.auditSigningKey() == null));
  }

  /** The paths under {@code /api/v1/audit/}, each for the auditor role. */
  public static final List<String> PATHS = List.of("verify", "public-key", "export");

  /** The answer to {@code GET /api/v1/audit/PATH}. */
  public Reply get(RoutingContext ctx, String path) {
    return switch (path) {
      case "verify" -> verify();
      case "public-key" -> publicKey();
      default -> export(ctx, null);
    };
  }

  /** The PEM of the public key the ledger's checkpoints and exports are signed with. */
  public Reply publicKey() {
    return new Reply(200, "application/x-pem-file", signer.publicKeyPem());
  }

  public Reply verify() {
    AuditLedger.Verification v = store.read(AuditLedger::verify);
    verified.accept(v);
    return new Reply(200, "application/json", AuditCommand.verificationJson(v, null).encode());
  }

  /** The audit trail of one environment, or of all when {@code environment} is null. */
  public Reply export(RoutingContext ctx, String environment) {
    AuditExport.Scope scope =
        new AuditExport.Scope(environment, instantParam(ctx, "since"), instantParam(ctx, "until"));
    String format = ctx.request().getParam("format", "json");
    Reply reply =
        store.read(
            r -> {
              if (environment != null && r.environment(environment).isEmpty()) {
                throw new PlumblineException(
                    StoreError.UNKNOWN_ENVIRONMENT,
                    "no environment '" + environment + "'",
                    List.of("id: " + environment));
              }
              return render(r, scope, format);
            });
    if (!format.equals("pdf")) {
      return reply;
    }
    return Reply.file(
        "application/pdf",
        EvidencePdf.render(reply.body()),
        "plumbline-evidence-" + environment.replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf");
  }

  /** One export in one of the formats; the evidence report needs an environment. */
  private Reply render(StoreReader r, AuditExport.Scope scope, String format) {
    Instant now = clock.instant();
    return switch (format) {
      case "json" -> new Reply(200, "application/json", AuditExport.json(r, scope, now, signer));
      case "csv" -> new Reply(200, "text/csv", AuditExport.csv(scope.records(r)));
      case "jsonld" ->
          new Reply(
              200,
              "application/ld+json",
              AuditExport.jsonLd(scope.environment(), scope.records(r)));
      // the pdf is laid out from this page after the read transaction (see export)
      case "html", "pdf" ->
          new Reply(200, "text/html; charset=utf-8", report(r, scope, now, format));
      default ->
          throw new PlumblineException(
              ServerError.INVALID_REQUEST,
              "format must be json, csv, jsonld, html or pdf, was '" + format + "'",
              List.of("format: " + format));
    };
  }

  /** The evidence report of one environment (90 days to now unless the scope says). */
  private String report(StoreReader r, AuditExport.Scope scope, Instant now, String format) {
    if (scope.environment() == null) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "the evidence report is per environment",
          List.of("format: " + format));
    }
    Instant until = scope.until() == null ? now : scope.until();
    Instant since = scope.since() == null ? until.minus(Duration.ofDays(90)) : scope.since();
    return EvidenceReport.html(
        r, rulePack.get(), scope.environment(), since, until, now, signer.fingerprint());
  }
}
