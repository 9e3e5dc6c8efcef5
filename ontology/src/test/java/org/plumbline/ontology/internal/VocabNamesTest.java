package org.plumbline.ontology.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.jena.graph.NodeFactory;

/** Names the store reads back instead of looking them up. */
class VocabNamesTest {

  @Property(tries = 500)
  void aCurrentValueNodeNamesItsEnvironment(@ForAll String envId, @ForAll String configKey) {
    assertEquals(envId, Vocab.environmentOfCurrentValue(Vocab.currentValueNode(envId, configKey)));
  }

  @Example
  void aNodeNamedOtherwiseNamesNoEnvironment() {
    assertNull(Vocab.environmentOfCurrentValue(Vocab.environmentNode("credit-model-prod")));
    assertNull(
        Vocab.environmentOfCurrentValue(NodeFactory.createURI("urn:other:env/x/current/abc")));
  }
}
