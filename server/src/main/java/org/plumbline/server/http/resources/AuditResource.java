package org.plumbline.server.http.resources;

import static org.plumbline.server.http.resources.Requests.instantParam;
import static org.plumbline.server.http.resources.Requests.sizeParam;

import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.plumbline.governance.Governor;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.rules.RulePack;
import org.plumbline.server.ServerError;
import org.plumbline.server.cli.AuditCommand;
import org.plumbline.server.export.AuditExport;
import org.plumbline.server.export.CheckpointWitness;
import org.plumbline.server.export.EvidencePdf;
import org.plumbline.server.export.EvidenceReport;
import org.plumbline.server.export.LedgerProofs;
import org.plumbline.server.export.LedgerSigner;
import org.plumbline.server.export.SigningKeyRotation;

/**
 * The audit endpoints: ledger verification, the exports (JSON, CSV, JSON-LD, HTML report, PDF), the
 * public key, the signed tree head and RFC 9162 consistency proofs.
 */
public final class AuditResource implements AutoCloseable {
  private final Governor governor;
  private final GraphStore store;
  private final Clock clock;
  private final Supplier<RulePack> rulePack;
  private final java.util.function.Consumer<AuditLedger.Verification> verified;
  private final AtomicReference<LedgerSigner> signer;
  private CheckpointWitness witness; // set once by of(), before the server listens
  private final Path keyFile;
  private final boolean externalKey;
  // exports sign under the read lock, a rotation swaps the key under the write lock: no export
  // carries a key chain that its signature's key does not end
  private final ReentrantReadWriteLock keyLock = new ReentrantReadWriteLock();

  /**
   * @param verified told the outcome of every verification asked for (the ledger gauges)
   * @param keyFile the signing key's file; {@code externalKey}: it is {@code audit.signingKey}, in
   *     the operator's secret store, so the server does not rotate it
   */
  public AuditResource(
      Governor governor,
      Supplier<RulePack> rulePack,
      java.util.function.Consumer<AuditLedger.Verification> verified,
      Path keyFile,
      boolean externalKey) {
    this.governor = governor;
    this.store = governor.store();
    this.clock = governor.clock();
    this.rulePack = rulePack;
    this.verified = verified;
    this.keyFile = keyFile;
    this.externalKey = externalKey;
    if (!externalKey) {
      store.read(
          r -> {
            SigningKeyRotation.finishInterrupted(keyFile, r);
            return null;
          });
    }
    this.signer = new AtomicReference<>(LedgerSigner.read(keyFile, !externalKey));
  }

  /** The server's audit endpoints, signing with {@code audit.signingKey} or the data folder's. */
  public static AuditResource of(
      Governor governor,
      Supplier<RulePack> rulePack,
      org.plumbline.server.telemetry.LedgerWatch watch,
      org.plumbline.server.config.ServerConfig config) {
    AuditResource audit =
        new AuditResource(
            governor,
            rulePack,
            watch::verified,
            config.auditSigningKeyFile(),
            config.auditSigningKey() != null);
    if (config.auditWitness() != null) {
      // every committed write pokes the witness, which publishes new checkpoints on its thread
      CheckpointWitness witness =
          new CheckpointWitness(
              config.auditWitness(), governor.store(), audit::signer, watch::witnessed);
      audit.witness = witness;
      governor.listen((command, result) -> witness.poke());
    }
    return audit;
  }

  /** Stops the witness's thread, if there is one (the server is closing). */
  @Override
  public void close() {
    if (witness != null) {
      witness.close();
    }
  }

  /** The key signing exports and checkpoints now. */
  public LedgerSigner signer() {
    return signer.get();
  }

  /**
   * {@code POST /api/v1/audit/rotate-key} (admin): a new signing key, recorded in the ledger as a
   * rotation signed by the old one (see {@link SigningKeyRotation}). Refused with
   * SIGNING_KEY_EXTERNAL when the key is {@code audit.signingKey}.
   */
  public Reply rotateKey(RoutingContext ctx) {
    return rotateKey(Requests.caller(ctx));
  }

  /** The rotation, asked by {@code caller}. */
  public Reply rotateKey(org.plumbline.governance.Caller caller) {
    if (externalKey) {
      throw new PlumblineException(
          ServerError.SIGNING_KEY_EXTERNAL,
          "the signing key is audit.signingKey ("
              + keyFile
              + "), kept in your secret store: make the new key there, stop the server, run"
              + " 'plumbline audit rotate-key --data DIR --key OLD.pem --new-key NEW.pem', then"
              + " point audit.signingKey at NEW.pem",
          List.of("/audit/signingKey: " + keyFile));
    }
    keyLock.writeLock().lock();
    try {
      SigningKeyRotation.Rotated r = SigningKeyRotation.rotateFile(keyFile, governor, caller);
      signer.set(r.signer());
      return Reply.json(200, rotatedJson(r));
    } finally {
      keyLock.writeLock().unlock();
    }
  }

  /** What a rotation answers (the route and the command line alike). */
  public static java.util.Map<String, Object> rotatedJson(SigningKeyRotation.Rotated r) {
    return java.util.Map.of(
        "oldFingerprint", r.rotation().oldFingerprint(),
        "newFingerprint", r.rotation().newFingerprint(),
        "ledgerSizeAtRotation", r.rotation().ledgerSize(),
        "auditRecords", r.ledgerSize(),
        "publicKey", r.rotation().newPublicKey());
  }

  /** The paths under {@code /api/v1/audit/}, each for the auditor role. */
  public static final List<String> PATHS =
      List.of("verify", "public-key", "export", "head", "consistency");

  /** The answer to {@code GET /api/v1/audit/PATH}. */
  public Reply get(RoutingContext ctx, String path) {
    return switch (path) {
      case "verify" -> verify();
      case "public-key" -> publicKey();
      case "head" -> head();
      case "consistency" -> consistency(ctx);
      default -> export(ctx, null);
    };
  }

  /** The PEM of the public key the ledger's checkpoints and exports are signed with. */
  public Reply publicKey() {
    return new Reply(200, "application/x-pem-file", signer.get().publicKeyPem());
  }

  /** The ledger's signed tree head now: what an auditor keeps to hold the server to it later. */
  public Reply head() {
    return new Reply(
        200,
        "application/json",
        store.read(r -> LedgerProofs.head(r, clock.instant(), signer.get())).encodePrettily());
  }

  /** The RFC 9162 consistency proof from the ledger of size {@code first} to {@code second}. */
  public Reply consistency(RoutingContext ctx) {
    Long first = sizeParam(ctx, "first");
    if (first == null) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "first (the ledger size of the tree head kept earlier) is required",
          List.of("first"));
    }
    Long second = sizeParam(ctx, "second");
    return new Reply(
        200,
        "application/json",
        store
            .read(r -> LedgerProofs.consistency(r, first, second, clock.instant(), signer.get()))
            .encodePrettily());
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
    Long sinceSize = sizeParam(ctx, "sinceSize");
    if (sinceSize != null && !format.equals("json")) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "sinceSize (a consistency proof) goes with format=json",
          List.of("format: " + format));
    }
    Reply reply;
    keyLock.readLock().lock();
    try {
      reply =
          store.read(
              r -> {
                if (environment != null && r.environment(environment).isEmpty()) {
                  throw new PlumblineException(
                      StoreError.UNKNOWN_ENVIRONMENT,
                      "no environment '" + environment + "'",
                      List.of("id: " + environment));
                }
                return render(r, scope, format, sinceSize);
              });
    } finally {
      keyLock.readLock().unlock();
    }
    if (!format.equals("pdf")) {
      return reply;
    }
    return Reply.file(
        "application/pdf",
        EvidencePdf.render(reply.body()),
        "plumbline-evidence-" + environment.replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf");
  }

  /** One export in one of the formats; the evidence report needs an environment. */
  private Reply render(StoreReader r, AuditExport.Scope scope, String format, Long sinceSize) {
    Instant now = clock.instant();
    return switch (format) {
      case "json" ->
          new Reply(
              200, "application/json", AuditExport.json(r, scope, now, signer.get(), sinceSize));
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
        r, rulePack.get(), scope.environment(), since, until, now, signer.get().fingerprint());
  }
}
