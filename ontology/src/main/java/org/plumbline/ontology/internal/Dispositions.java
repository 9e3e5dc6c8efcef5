package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.Vocab.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.plumbline.ontology.Disposition;

/** Dispositions of drifts: the record as JSON, beside the fields the shapes check. */
final class Dispositions {
  private final Triples g;
  private final Facts facts;

  Dispositions(Triples g) {
    this.g = g;
    this.facts = g.facts;
  }

  void put(Disposition d) {
    Node n = dispositionNode(d.id());
    facts.remove(n, Triples.ANY, Triples.ANY);
    facts.add(n, TYPE, DISPOSITION_CLASS);
    facts.add(n, id, str(d.id()));
    facts.add(n, disposes, driftNode(d.drift()));
    facts.add(n, kind, str(d.kind().name()));
    facts.add(n, status, str(d.status().name()));
    facts.add(n, requestedBy, str(d.requestedBy()));
    facts.add(n, justification, str(d.justification()));
    facts.add(n, content, str(JsonCodec.write(d)));
  }

  Optional<Disposition> get(String dispositionId) {
    Node n = dispositionNode(dispositionId);
    return g.contains(n, TYPE, DISPOSITION_CLASS)
        ? Optional.of(JsonCodec.read(g.string(n, content), Disposition.class))
        : Optional.empty();
  }

  List<Disposition> of(String driftId) {
    List<Disposition> out = new ArrayList<>();
    for (Triple t : g.find(Triples.ANY, disposes, driftNode(driftId))) {
      out.add(JsonCodec.read(g.string(t.getSubject(), content), Disposition.class));
    }
    out.sort(Comparator.comparing(Disposition::requestedAt).thenComparing(Disposition::id));
    return out;
  }
}
