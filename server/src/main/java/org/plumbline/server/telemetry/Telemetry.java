package org.plumbline.server.telemetry;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;

/**
 * The server's one meter registry, exposed at {@code /metrics} in the Prometheus text format: the
 * JVM and process binders, the Vert.x figures (HTTP server, worker pools, event bus) through
 * vertx-micrometer-metrics, and the server's own meters. One registry per server, never
 * Micrometer's global one, so that servers in one JVM (tests) do not share counts.
 */
public final class Telemetry implements AutoCloseable {
  /** The content type of the exposition, as Prometheus asks for it. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Telemetry() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** A Vert.x instance whose HTTP servers, pools and event bus report to this registry. */
  public Vertx vertx() {
    return Vertx.builder()
        .with(
            new VertxOptions()
                .setMetricsOptions(
                    new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(false)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  /**
   * Measures how late the event loop runs a timer due every second: a loop blocked by store work or
   * a slow handler shows here before clients time out.
   */
  public void watchEventLoop(Vertx vertx) {
    Timer lag =
        Timer.builder("plumbline.event.loop.lag")
            .description("How late a one-second timer on an event loop fired.")
            .register(registry);
    long periodNanos = Duration.ofSeconds(1).toNanos();
    long[] due = {System.nanoTime() + periodNanos};
    vertx.setPeriodic(
        1000,
        id -> {
          long now = System.nanoTime();
          lag.record(Duration.ofNanos(Math.max(0, now - due[0])));
          due[0] = now + periodNanos;
        });
  }

  /** The exposition of every meter, in the Prometheus text format 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
