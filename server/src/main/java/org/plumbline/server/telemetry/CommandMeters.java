package org.plumbline.server.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.plumbline.governance.CommandListener;
import org.plumbline.server.http.Metrics;

/**
 * Counts and times every command the governor executes, whoever issued it (HTTP ingest, GraphQL
 * mutations, the scheduler's ticks, webhook cursors, the demo): {@code plumbline_command_seconds}
 * by {@code kind} (one per command record, a closed set) and {@code outcome} ({@code ok}, {@code
 * refused}, {@code failed}), with the buckets of the ingest histogram. The HTTP resources time
 * requests only ({@code plumbline_http_request_seconds}, {@code plumbline_ingest_seconds}).
 */
public final class CommandMeters implements CommandListener {
  private final MeterRegistry registry;

  public CommandMeters(MeterRegistry registry) {
    this.registry = registry;
    // the series a dashboard rates from the start: snapshots posted, and the scheduler's tick
    timer("post-snapshot", OK);
    timer("check-observations", OK);
  }

  private Timer timer(String kind, String outcome) {
    return Timer.builder("plumbline.command")
        .description(
            "Commands executed by the governor, by kind and outcome: waiting for the lock, the"
                + " journal and the write transaction.")
        .tags("kind", kind, "outcome", outcome)
        .serviceLevelObjectives(Metrics.latencyBuckets())
        .register(registry);
  }

  @Override
  public void onCommand(String kind, String outcome, long nanos) {
    timer(kind, outcome).record(nanos, TimeUnit.NANOSECONDS);
  }
}
