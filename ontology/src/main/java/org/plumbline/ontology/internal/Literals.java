package org.plumbline.ontology.internal;

import java.time.Instant;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;

/** The typed literals the store writes. */
final class Literals {
  private Literals() {}

  static Node str(String s) {
    return NodeFactory.createLiteralString(s);
  }

  static Node dateTime(Instant i) {
    return NodeFactory.createLiteralDT(i.toString(), XSDDatatype.XSDdateTime);
  }

  static Node integer(int i) {
    return NodeFactory.createLiteralDT(Integer.toString(i), XSDDatatype.XSDint);
  }

  static Node longLiteral(long l) {
    return NodeFactory.createLiteralDT(Long.toString(l), XSDDatatype.XSDlong);
  }

  /**
   * Double.toString round-trips exactly and is a valid xsd:double lexical form for finite values.
   */
  static Node doubleLiteral(double d) {
    return NodeFactory.createLiteralDT(Double.toString(d), XSDDatatype.XSDdouble);
  }

  static Node bool(boolean b) {
    return NodeFactory.createLiteralDT(Boolean.toString(b), XSDDatatype.XSDboolean);
  }
}
