package org.plumbline.ontology;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The published vocabulary of the governance graph: its terms and its SHACL shapes. */
public final class Ontology {
  private static final String TURTLE = load();

  private Ontology() {}

  /**
   * {@code vocabulary.ttl} followed by {@code shapes.ttl}, comments kept: one Turtle document (a
   * prefix may be declared again; neither file labels blank nodes, so none can collide).
   */
  public static String turtle() {
    return TURTLE;
  }

  private static String load() {
    StringBuilder out = new StringBuilder();
    for (String name : new String[] {"vocabulary.ttl", "shapes.ttl"}) {
      try (InputStream in = Ontology.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException(name + " is missing from the classpath");
        }
        out.append("# ---- ").append(name).append(" ----\n");
        out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString();
  }
}
