package org.plumbline.server.http.resources;

import static org.plumbline.server.http.resources.Requests.bytes;
import static org.plumbline.server.http.resources.Requests.caller;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.plumbline.governance.Governance;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.http.Metrics;
import org.plumbline.server.write.WritePath;

/** The ingest endpoints: blueprints, snapshots, change requests, prompts and metric samples. */
public final class IngestResource {
  private final WritePath writes;
  private final Metrics metrics;

  public IngestResource(WritePath writes, Metrics metrics) {
    this.writes = writes;
    this.metrics = metrics;
  }

  public Reply snapshot(RoutingContext ctx) {
    return ingest("snapshot", () -> writes.ingestSnapshot(bytes(ctx), caller(ctx)));
  }

  /**
   * The loader checks the document, the rules whether its values suit the kind; both refuse with
   * INVALID_METRIC_SAMPLE and every problem's pointer, before anything is stored.
   */
  public Reply metric(RoutingContext ctx) {
    return ingest("metric", () -> writes.ingestMetric(bytes(ctx), caller(ctx)));
  }

  public Reply blueprint(RoutingContext ctx) {
    return ingest(
        "blueprint",
        () ->
            writes.ingestBlueprint(
                bytes(ctx), ctx.request().getHeader("Content-Type"), caller(ctx)));
  }

  public Reply changeRequests(RoutingContext ctx) {
    return ingest("change-request", () -> writes.ingestChangeRequests(bytes(ctx), caller(ctx)));
  }

  public Reply prompt(RoutingContext ctx) {
    return ingest("prompt", () -> writes.registerPrompt(bytes(ctx), caller(ctx)));
  }

  /** What a load of the posted files would do, rehearsed and rolled back: stores nothing. */
  public Reply dryRun(RoutingContext ctx) {
    return Reply.json(200, writes.dryRun(bytes(ctx), caller(ctx)));
  }

  private Reply ingest(String kind, Supplier<Governance.IngestResult> work) {
    // Timed here for now; the governor is where commands will be timed once writes go through it.
    long start = System.nanoTime();
    try {
      Governance.IngestResult r = work.get();
      metrics.ingest(kind, r.replay() ? "replay" : "created", System.nanoTime() - start);
      Map<String, Object> body = new TreeMap<>(r.summary());
      // A bundle version held for approval is stored (201, as CONTRACT section 4 answers every
      // ingest that stored something) and says it is not yet in effect.
      body.put("status", org.plumbline.server.write.DryRuns.status(r));
      return Reply.json(r.replay() ? 200 : 201, body);
    } catch (PlumblineException e) {
      metrics.ingest(kind, "refused", System.nanoTime() - start);
      throw e;
    }
  }
}
