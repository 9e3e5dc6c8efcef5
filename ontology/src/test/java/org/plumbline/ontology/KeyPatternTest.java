package org.plumbline.ontology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KeyPatternTest {
  @Test
  void starsMatchAnyRunDotsIncludedAndEverythingElseIsLiteral() {
    assertTrue(KeyPattern.of("guardrails.*").matches("guardrails.toxicity.threshold"));
    assertTrue(KeyPattern.of("*").matches(""));
    assertTrue(KeyPattern.of("llm.*.max").matches("llm.a.b.max"));
    assertFalse(KeyPattern.of("llm.*.max").matches("llm.max"));
    assertFalse(KeyPattern.of("llm?").matches("llmx"));
    assertFalse(KeyPattern.of("l.m").matches("lxm"));
    assertTrue(KeyPattern.of("a*").matches("a\nb"));
    assertTrue(KeyPattern.of("llm.temperature").isLiteral());
  }

  /** The walk answers what the regular expression it replaced answers (line breaks aside). */
  @Test
  void agreesWithTheRegularExpressionOnRandomGlobsAndKeys() {
    Random random = new Random(20261121L);
    String alphabet = "ab.*";
    for (int i = 0; i < 20_000; i++) {
      String glob = random(random, alphabet, 1 + random.nextInt(8));
      if (glob.isBlank()) {
        continue;
      }
      String key = random(random, "ab.", random.nextInt(10));
      assertEquals(regex(glob).matcher(key).matches(), KeyPattern.of(glob).matches(key), glob);
    }
  }

  /**
   * Found merging change requests: a posted glob with many stars made the regex backtrack for hours
   * on a key it does not match, on a worker thread that held the write lock. Long literal runs must
   * not cost length(glob) times length(key) either.
   */
  @Test
  void hostileGlobsCostTimeLinearInTheirLength() {
    String key = "a".repeat(200_000);
    for (String glob :
        List.of(
            "*a".repeat(30) + "b",
            "*a".repeat(50_000) + "*b",
            "*" + "a".repeat(100_000) + "b*",
            "a*" + "a".repeat(100_000) + "b*a")) {
      KeyPattern p = KeyPattern.of(glob);
      assertFalse(
          assertTimeoutPreemptively(Duration.ofSeconds(10), () -> p.matches(key)),
          glob.substring(0, 20));
    }
    assertTrue(KeyPattern.of("*a".repeat(50_000) + "*").matches(key));
  }

  private static String random(Random random, String alphabet, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static Pattern regex(String glob) {
    StringBuilder sb = new StringBuilder();
    int literalStart = 0;
    for (int i = 0; i < glob.length(); i++) {
      if (glob.charAt(i) == '*') {
        sb.append(Pattern.quote(glob.substring(literalStart, i))).append(".*");
        literalStart = i + 1;
      }
    }
    sb.append(Pattern.quote(glob.substring(literalStart)));
    return Pattern.compile(sb.toString(), Pattern.DOTALL);
  }
}
