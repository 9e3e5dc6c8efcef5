package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.dateTime;
import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.Vocab.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.Tier;

/**
 * Environments: the whole record is one literal (store format 2), read with one look-up; the fields
 * the shapes check and queries select by (tier, status, governing bundle) are written beside it as
 * their own statements.
 */
final class Environments {
  private final Triples g;
  private final Facts facts;
  private final DecodedValues decoded;

  Environments(Triples g, DecodedValues decoded) {
    this.g = g;
    this.facts = g.facts;
    this.decoded = decoded;
  }

  List<Environment> all() {
    List<Environment> out = new ArrayList<>();
    for (Triple t : g.find(Triples.ANY, TYPE, ENVIRONMENT_CLASS)) {
      out.add(read(t.getSubject()));
    }
    out.sort(Comparator.comparing(Environment::id));
    return out;
  }

  List<Environment> of(Tier t) {
    List<Environment> out = new ArrayList<>();
    for (Triple tr : g.find(Triples.ANY, tier, str(t.name()))) {
      if (g.contains(tr.getSubject(), TYPE, ENVIRONMENT_CLASS)) {
        out.add(read(tr.getSubject()));
      }
    }
    out.sort(Comparator.comparing(Environment::id));
    return out;
  }

  Optional<Environment> get(String envId) {
    Node n = environmentNode(envId);
    return g.contains(n, TYPE, ENVIRONMENT_CLASS) ? Optional.of(read(n)) : Optional.empty();
  }

  /**
   * One look-up, not a scan of the node's properties: an environment node also links its drifts and
   * audit records, so a scan would grow with its history.
   */
  private Environment read(Node n) {
    String text = g.string(n, environmentRecord);
    return decoded.get(
        "environment#" + text, () -> JsonCodec.read(text, Environment.class), e -> 1);
  }

  void put(Environment e) {
    Node n = environmentNode(e.id());
    for (Node p :
        List.of(
            TYPE,
            id,
            name,
            tier,
            owner,
            system,
            status,
            registeredAt,
            expiresAt,
            governedBy,
            bundleVersion,
            environmentRecord)) {
      facts.remove(n, p, Triples.ANY);
    }
    facts.add(n, environmentRecord, str(JsonCodec.write(e)));
    facts.add(n, TYPE, ENVIRONMENT_CLASS);
    facts.add(n, id, str(e.id()));
    facts.addOptional(n, name, e.name());
    facts.add(n, tier, str(e.tier().name()));
    facts.addOptional(n, owner, e.owner());
    facts.addOptional(n, system, e.system());
    facts.add(n, status, str(e.status()));
    facts.add(n, registeredAt, dateTime(e.registeredAt()));
    if (e.expiresAt() != null) {
      facts.add(n, expiresAt, dateTime(e.expiresAt()));
    }
    facts.add(n, governedBy, bundleNode(e.bundle()));
    facts.add(n, bundleVersion, str(e.bundleVersion()));
  }
}
