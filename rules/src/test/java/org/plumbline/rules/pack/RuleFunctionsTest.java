package org.plumbline.rules.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuleFunctionsTest {
  private static final String PINNED = "text-embedding-3-small text-embedding-3-large";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gpt-4o",
        "gpt-4",
        "gpt-4o-mini",
        "gpt-3.5-turbo",
        "claude-3-5-sonnet-latest",
        "latest",
        "chatgpt-4o-latest",
        "gemini-1.5-pro",
        "llama3:latest",
        "openai/gpt-4o",
        "text-embedding-3-medium"
      })
  void aliases(String name) {
    assertTrue(RuleFunctions.isAlias(quoted(name), PINNED), name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gpt-4o-2024-08-06",
        "claude-3-5-sonnet-20241022",
        "claude-3-5-sonnet@20240620",
        "gpt-4-0613",
        "gpt-4-1106-preview",
        "gpt-3.5-turbo-0125",
        "text-embedding-ada-002",
        "anthropic.claude-v2",
        "anthropic.claude-v2:1",
        "gemini-1.5-pro-002",
        "mistral-large-2407",
        "claude-2.1",
        "anthropic.claude-3-5-sonnet-20241022-v2:0",
        "text-embedding-3-large",
        "openai/TEXT-EMBEDDING-3-SMALL"
      })
  void pinnedReleases(String name) {
    assertFalse(RuleFunctions.isAlias(quoted(name), PINNED), name);
  }

  @Test
  void onlyStringsCanBeAliases() {
    assertFalse(RuleFunctions.isAlias(null, PINNED));
    assertFalse(RuleFunctions.isAlias("4", PINNED));
    assertFalse(RuleFunctions.isAlias("\"\"", PINNED));
    assertFalse(RuleFunctions.isAlias("\"gpt-4o", PINNED));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0.8 | 0.75 0.7           | true",
        "0.8 | 0.72 0.72 0.719    | false", // 0.8 -> 0.72 is a 10 % step, not under 10 %
        "0.8 | 0.7                | false",
        "0.8 | 0.78 0.76          | false",
        "100 | 95 91 87           | true",
        "100 | 105 110 112        | true",
        "0   | 0.01 0.02          | false",
        "0.8 | 0.75 \"x\"         | false",
      })
  void gradualDrift(String expected, String trail, boolean drifted) {
    assertEquals(
        drifted,
        RuleFunctions.gradualDrift(expected, List.of(trail.trim().split("\\s+")), 0.10, 0.10));
  }

  @Test
  void globsAndDurations() {
    assertTrue(
        RuleFunctions.matchesAny("guardrails.toxicity.threshold", "security.* guardrails.*"));
    assertFalse(RuleFunctions.matchesAny("replicas", "*.replicas"));
    Instant t = Instant.parse("2026-11-20T10:00:00Z");
    assertTrue(RuleFunctions.longerThan(t.minusSeconds(30L * 86_400 + 1), t, "P30D"));
    assertFalse(RuleFunctions.longerThan(t.minusSeconds(30L * 86_400), t, "P30D"));
    assertEquals(List.of("approver", "model-risk"), RuleFunctions.roles(" approver, model-risk "));
  }

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }
}
