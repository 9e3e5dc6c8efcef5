package org.plumbline.loaders;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.plumbline.ontology.PlumblineException;

/**
 * Jazzer targets for the parsers (issue 9 point 6). Every build runs them in regression mode over
 * the seed corpora in {@code src/test/resources/org/plumbline/loaders/ParsersFuzzTestInputs/}: the
 * contract's examples, hostile documents and every crasher ever found. {@code JAZZER_FUZZ=1} makes
 * them fuzz; a crasher Jazzer finds is written beside the seeds, and kept there.
 *
 * <p>The property: any input parses, or is refused with a {@link LoaderError}; nothing else.
 */
class ParsersFuzzTest {
  private static final SnapshotParser SNAPSHOTS = new SnapshotParser();
  private static final BlueprintParser BLUEPRINTS = new BlueprintParser();
  private static final ChangeRequestParser CHANGE_REQUESTS = new ChangeRequestParser();
  private static final PromptParser PROMPTS = new PromptParser();

  @FuzzTest(maxDuration = "60s")
  void snapshotParser(byte[] input) {
    try {
      SNAPSHOTS.parse(input);
    } catch (PlumblineException e) {
      assertInstanceOf(LoaderError.class, e.code(), e::getMessage);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void blueprintParser(FuzzedDataProvider data) {
    String hint = data.pickValue(new String[] {"json", "yaml", "none"});
    byte[] input = data.consumeRemainingAsBytes();
    try {
      BLUEPRINTS.parse(input, hint.equals("none") ? null : hint);
    } catch (PlumblineException e) {
      assertInstanceOf(LoaderError.class, e.code(), e::getMessage);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void changeRequestParser(byte[] input) {
    try {
      CHANGE_REQUESTS.parse(input);
    } catch (PlumblineException e) {
      assertInstanceOf(LoaderError.class, e.code(), e::getMessage);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void promptParser(byte[] input) {
    try {
      PROMPTS.parse(input);
    } catch (PlumblineException e) {
      assertInstanceOf(LoaderError.class, e.code(), e::getMessage);
    }
  }
}
