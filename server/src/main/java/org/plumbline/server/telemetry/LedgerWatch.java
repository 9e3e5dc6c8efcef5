package org.plumbline.server.telemetry;

import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.ledger.AuditLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full verifications of the audit ledger, the scheduled ones and those asked for over HTTP, told to
 * the ledger gauges ({@code plumbline_ledger_verified}); a failure is logged as an error.
 */
public final class LedgerWatch {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerWatch.class);
  private final GraphStore store;
  private final GovernanceMeters meters;

  public LedgerWatch(GraphStore store, GovernanceMeters meters) {
    this.store = store;
    this.meters = meters;
  }

  /** Verifies the whole ledger now (a read transaction; call on a worker thread). */
  public AuditLedger.Verification verify() {
    AuditLedger.Verification v = store.read(AuditLedger::verify);
    verified(v);
    return v;
  }

  /** A signed checkpoint published to the witness ({@code ok}), or an attempt that failed. */
  public void witnessed(boolean ok) {
    meters.witnessed(ok);
  }

  /** Records the outcome of a verification made elsewhere. */
  public void verified(AuditLedger.Verification v) {
    meters.verified(v.fullyValid());
    if (!v.valid()) {
      LOG.error(
          "the audit ledger fails verification at record {}: {}", v.firstBrokenSeq(), v.reason());
    }
  }
}
