package org.plumbline.server.http.resources;

import org.plumbline.server.telemetry.GovernanceMeters;
import org.plumbline.server.telemetry.Telemetry;

/** {@code GET /metrics}: every meter of the registry, the governance gauges brought up to date. */
public final class MetricsResource {
  private final Telemetry telemetry;
  private final GovernanceMeters governance;

  public MetricsResource(Telemetry telemetry, GovernanceMeters governance) {
    this.telemetry = telemetry;
    this.governance = governance;
  }

  /** Runs on a worker thread: refreshing the governance gauges may read the store. */
  public Reply prometheus() {
    governance.refresh();
    return new Reply(200, Telemetry.CONTENT_TYPE, telemetry.scrape());
  }
}
