package org.plumbline.ontology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The compiled set answers exactly as the globs one by one would. */
class KeyPatternSetTest {
  @Provide
  Arbitrary<String> globs() {
    // a small alphabet with dots and stars, so that matches are frequent
    return Arbitraries.strings().withChars("ab.*").ofMinLength(1).ofMaxLength(6);
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.strings().withChars("ab.").ofMaxLength(8);
  }

  @Property(tries = 2000)
  void matchesLikeEachGlobAlone(
      @ForAll("keys") String key, @ForAll List<@net.jqwik.api.From("globs") String> globs) {
    boolean any = globs.stream().anyMatch(g -> KeyPattern.of(g).matches(key));
    assertEquals(any, KeyPatternSet.of(globs).matches(key), () -> globs + " on '" + key + "'");
  }

  @Test
  void thousandsOfGlobsOfEachShape() {
    List<String> globs = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      globs.add("literal.key" + i);
      globs.add("prefix" + i + ".*");
      globs.add("*.suffix" + i);
    }
    globs.add("a*b*c");
    KeyPatternSet set = KeyPatternSet.of(globs);
    assertTrue(set.matches("literal.key2999"));
    assertTrue(set.matches("prefix17.anything.at.all"));
    assertTrue(set.matches("deep.path.suffix42"));
    assertTrue(set.matches("a.x.b.y.c"));
    assertFalse(set.matches("literal.key3000"));
    assertFalse(set.matches("prefix17"));
    assertFalse(set.matches("suffix42"));
  }
}
