package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.dateTime;
import static org.plumbline.ontology.internal.Literals.doubleLiteral;
import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.Vocab.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.plumbline.ontology.PromptVersion;
import org.plumbline.ontology.SemVer;

/** Prompts and their versions (text, content hash, evaluation), linked from the prompt. */
final class Prompts {
  private final Triples g;
  private final Facts facts;

  Prompts(Triples g) {
    this.g = g;
    this.facts = g.facts;
  }

  void put(PromptVersion pv, Instant registeredAt, String actorName) {
    Node prompt = promptNode(pv.id());
    Node v = promptVersionNode(pv.id(), pv.version());
    if (!g.contains(prompt, TYPE, PROMPT_CLASS)) {
      facts.add(prompt, TYPE, PROMPT_CLASS);
      facts.add(prompt, id, str(pv.id()));
    }
    facts.remove(v, Triples.ANY, Triples.ANY);
    facts.add(v, TYPE, PROMPT_VERSION_CLASS);
    facts.add(v, version, str(pv.version()));
    facts.add(v, text, str(pv.text()));
    facts.add(v, contentHash, str(pv.contentHash()));
    facts.addOptional(v, testedWithModel, pv.testedWithModel());
    if (pv.evalScore() != null) {
      facts.add(v, evalScore, doubleLiteral(pv.evalScore()));
    }
    facts.addOptional(v, evalSuite, pv.evalSuite());
    facts.addOptional(v, verifiedAt, pv.verifiedAt());
    facts.add(v, createdAt, dateTime(registeredAt));
    facts.add(v, createdBy, str(actorName));
    facts.add(v, content, str(JsonCodec.write(pv)));
    facts.add(prompt, hasVersion, v);
  }

  List<PromptVersion> versions(String promptId) {
    List<PromptVersion> out = new ArrayList<>();
    for (Triple t : g.find(promptNode(promptId), hasVersion, Triples.ANY)) {
      out.add(JsonCodec.read(g.string(t.getObject(), content), PromptVersion.class));
    }
    out.sort(Comparator.comparing(pv -> SemVer.parse(pv.version())));
    return out;
  }

  Optional<PromptVersion> version(String promptId, String ver) {
    Node v = promptVersionNode(promptId, ver);
    return g.contains(v, TYPE, PROMPT_VERSION_CLASS)
        ? Optional.of(JsonCodec.read(g.string(v, content), PromptVersion.class))
        : Optional.empty();
  }

  /** Every version of every prompt whose text has this content hash, by id then version. */
  List<PromptVersion> withHash(String hash) {
    List<PromptVersion> out = new ArrayList<>();
    for (Triple t : g.find(Triples.ANY, contentHash, str(hash))) {
      Node v = t.getSubject();
      if (g.contains(v, TYPE, PROMPT_VERSION_CLASS)) {
        out.add(JsonCodec.read(g.string(v, content), PromptVersion.class));
      }
    }
    out.sort(
        Comparator.comparing(PromptVersion::id).thenComparing(pv -> SemVer.parse(pv.version())));
    return out;
  }
}
