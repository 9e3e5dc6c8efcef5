package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.dateTime;
import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.Vocab.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.plumbline.ontology.ChangeRequest;

/** Change requests (approved windows of change), linked from their environment. */
final class ChangeRequests {
  private final Triples g;
  private final Facts facts;
  private final Index index;

  ChangeRequests(Triples g) {
    this.g = g;
    this.facts = g.facts;
    this.index = g.index;
  }

  void put(ChangeRequest r, Instant receivedAt, String actorName) {
    Node n = changeRequestNode(r.id());
    facts.remove(n, Triples.ANY, Triples.ANY);
    facts.add(n, TYPE, CHANGE_REQUEST_CLASS);
    facts.add(n, id, str(r.id()));
    facts.add(n, environment, environmentNode(r.environment()));
    for (String glob : r.keys()) {
      facts.add(n, keyGlob, str(glob));
    }
    facts.add(n, windowFrom, dateTime(r.from()));
    facts.add(n, windowUntil, dateTime(r.until()));
    facts.addOptional(n, approvedBy, r.approvedBy());
    facts.add(n, createdAt, dateTime(receivedAt));
    facts.add(n, createdBy, str(actorName));
    // The record as JSON too: the key globs' order is part of what a replay must repeat.
    facts.add(n, content, str(JsonCodec.write(r)));
    index.add(environmentNode(r.environment()), hasChangeRequest, n);
  }

  Optional<ChangeRequest> get(String requestId) {
    Node n = changeRequestNode(requestId);
    return g.contains(n, TYPE, CHANGE_REQUEST_CLASS)
        ? Optional.of(JsonCodec.read(g.string(n, content), ChangeRequest.class))
        : Optional.empty();
  }

  List<ChangeRequest> of(String envId) {
    List<ChangeRequest> out = new ArrayList<>();
    for (Triple t : g.find(environmentNode(envId), hasChangeRequest, Triples.ANY)) {
      out.add(JsonCodec.read(g.string(t.getObject(), content), ChangeRequest.class));
    }
    out.sort(Comparator.comparing(ChangeRequest::from).thenComparing(ChangeRequest::id));
    return out;
  }
}
