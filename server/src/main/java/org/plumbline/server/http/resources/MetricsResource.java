package org.plumbline.server.http.resources;

import java.util.Map;
import java.util.TreeMap;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.GraphStore;
import org.plumbline.server.http.Metrics;

/** {@code GET /metrics}: the request and ingest counters and the drifts by status. */
public final class MetricsResource {
  private final GraphStore store;
  private final Metrics metrics;

  public MetricsResource(GraphStore store, Metrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  public Reply prometheus() {
    Map<String, Long> byStatus =
        store.read(
            r -> {
              Map<String, Long> counts = new TreeMap<>();
              for (Environment e : r.environments()) {
                for (Drift d : r.drifts(e.id())) {
                  counts.merge(d.status().name(), 1L, Long::sum);
                }
              }
              return counts;
            });
    return new Reply(200, "text/plain; version=0.0.4", metrics.render(byStatus));
  }
}
