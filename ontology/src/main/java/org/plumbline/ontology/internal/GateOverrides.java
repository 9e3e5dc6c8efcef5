package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.Vocab.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.plumbline.ontology.GateOverride;

/** Overrides of promotion gate denials: the record as JSON, beside the fields the shapes check. */
final class GateOverrides {
  private final Triples g;
  private final Facts facts;

  GateOverrides(Triples g) {
    this.g = g;
    this.facts = g.facts;
  }

  void put(GateOverride o) {
    Node n = gateOverrideNode(o.id());
    facts.remove(n, Triples.ANY, Triples.ANY);
    facts.add(n, TYPE, GATE_OVERRIDE_CLASS);
    facts.add(n, id, str(o.id()));
    facts.add(n, overridesGateOf, environmentNode(o.environment()));
    facts.add(n, status, str(o.status().name()));
    facts.add(n, requestedBy, str(o.requestedBy()));
    facts.add(n, justification, str(o.justification()));
    facts.add(n, content, str(JsonCodec.write(o)));
  }

  Optional<GateOverride> get(String overrideId) {
    Node n = gateOverrideNode(overrideId);
    return g.contains(n, TYPE, GATE_OVERRIDE_CLASS)
        ? Optional.of(JsonCodec.read(g.string(n, content), GateOverride.class))
        : Optional.empty();
  }

  /** An environment's overrides, oldest first. */
  List<GateOverride> of(String environmentId) {
    List<GateOverride> out = new ArrayList<>();
    for (Triple t : g.find(Triples.ANY, overridesGateOf, environmentNode(environmentId))) {
      out.add(JsonCodec.read(g.string(t.getSubject(), content), GateOverride.class));
    }
    out.sort(Comparator.comparing(GateOverride::requestedAt).thenComparing(GateOverride::id));
    return out;
  }
}
