package org.plumbline.loaders;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.plumbline.ontology.PlumblineException;

/**
 * The parsers' one property: any input parses or is refused with a {@link LoaderError}, never any
 * other exception. Mutations of valid documents reach far more code than random bytes would.
 */
class ParserFuzzTest {
  /** Mutations per seed; {@code -Dplumbline.fuzz.runs=200000} searches deeper. */
  private static final int RUNS = Integer.getInteger("plumbline.fuzz.runs", 2_000);

  private static final byte[] INTERESTING =
      "{}[]\":,-+.eE0123456789 \n\t\\&*!?|>#%@`'~nulltruefalse\u0000\u00ff"
          .getBytes(StandardCharsets.ISO_8859_1);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "snapshot-contract-example/input.json",
        "blueprint-contract-example-yaml/input.yaml",
        "blueprint-contract-example-json/input.json",
        "change-requests-contract-example/input.json",
        "prompt-contract-example/input.json",
        "metric-contract-example/input.json"
      })
  void mutationsParseOrFailWithALoaderError(String seedCase) {
    byte[] seed = BlueprintParserTest.resource(seedCase);
    Consumer<byte[]> parse = parserFor(seedCase);
    Random random =
        new Random(Long.getLong("plumbline.fuzz.seed", 20261120L) ^ seedCase.hashCode());
    for (int run = 0; run < RUNS; run++) {
      byte[] input = seed;
      for (int m = 1 + random.nextInt(4); m > 0; m--) {
        input = mutate(input, random);
      }
      try {
        parse.accept(input);
      } catch (PlumblineException e) {
        assertInstanceOf(LoaderError.class, e.code(), () -> describe(e));
      } catch (RuntimeException | StackOverflowError e) {
        byte[] failing = input;
        throw new AssertionError(
            "run " + run + " threw " + e + " for: " + new String(failing, StandardCharsets.UTF_8),
            e);
      }
    }
  }

  /**
   * The same property for every format {@link DocumentLoader} reads, detection included: a mutated
   * Terraform file may well read as something else, and that path must hold too.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "terraform-state-modules/input.json",
        "terraform-plan-refresh-only/input.json",
        "kubernetes-manifests-multidoc/input.yaml",
        "kubernetes-kubectl-list-noisy/input.json",
        "litellm-config-full/input.yaml",
        "otlp-alias-request/input.json",
        "otlp-jsonl-alias-moved/input.json",
        "flagd-flags/input.json",
        "launchdarkly-api-flags/input.json",
        "launchdarkly-sdk-data/input.json",
        "servicenow-table-api/input.json",
        "servicenow-display-value-all/input.json",
        "langfuse-prompts/input.json",
        "mlflow-model-versions/input.json",
        "terraform-raw-state/input.json",
        "terraform-raw-state-nested-sensitive/input.json",
        "terraform-show-format-0.1/input.json",
        "launchdarkly-flag-values/input.json",
        "launchdarkly-stream-put/input.json",
        "flagd-flags-array/input.json",
        "litellm-no-model-list/input.yaml",
        "servicenow-single-result/input.json",
        "servicenow-jsonl/input.json",
        "servicenow-standard-changes/input.json",
        "langfuse-v2-paged-list/input.json",
        "mlflow-v3-prompt-versions/input.json"
      })
  void formatMutationsLoadOrFailWithALoaderError(String seedCase) {
    DocumentLoader loader = new DocumentLoader();
    LoadContext withEnvironment =
        LoadContext.fallingBackTo(java.time.Instant.parse("2026-11-20T00:00:00Z"))
            .withEnvironment("fuzz-env");
    LoadContext bare = LoadContext.fallingBackTo(java.time.Instant.parse("2026-11-20T00:00:00Z"));
    Format format = Format.named(seedCase.substring(0, seedCase.indexOf('-')));
    byte[] seed = BlueprintParserTest.resource(seedCase);
    Random random =
        new Random(Long.getLong("plumbline.fuzz.seed", 20261120L) ^ seedCase.hashCode());
    for (int run = 0; run < RUNS; run++) {
      byte[] input = seed;
      for (int m = 1 + random.nextInt(4); m > 0; m--) {
        input = mutate(input, random);
      }
      // Alternate: detect with an environment, force the format, and detect with no options.
      LoadContext context = run % 3 == 2 ? bare : withEnvironment;
      Format given = run % 3 == 1 ? format : null;
      try {
        loader.load(input, given, context);
      } catch (PlumblineException e) {
        assertInstanceOf(LoaderError.class, e.code(), () -> describe(e));
      } catch (RuntimeException | StackOverflowError e) {
        byte[] failing = input;
        throw new AssertionError(
            "run " + run + " threw " + e + " for: " + new String(failing, StandardCharsets.UTF_8),
            e);
      }
    }
  }

  private static Consumer<byte[]> parserFor(String seedCase) {
    if (seedCase.startsWith("snapshot-")) {
      SnapshotParser parser = new SnapshotParser();
      return parser::parse;
    }
    if (seedCase.startsWith("change-requests-")) {
      ChangeRequestParser parser = new ChangeRequestParser();
      return parser::parse;
    }
    if (seedCase.startsWith("prompt-")) {
      PromptParser parser = new PromptParser();
      return parser::parse;
    }
    if (seedCase.startsWith("metric-")) {
      MetricSampleParser parser = new MetricSampleParser();
      return parser::parse;
    }
    BlueprintParser parser = new BlueprintParser();
    return input -> parser.parse(input, null);
  }

  private static byte[] mutate(byte[] input, Random random) {
    int at = input.length == 0 ? 0 : random.nextInt(input.length);
    byte b =
        random.nextBoolean()
            ? INTERESTING[random.nextInt(INTERESTING.length)]
            : (byte) random.nextInt(256);
    switch (random.nextInt(5)) {
      case 0: // replace
        if (input.length > 0) {
          byte[] out = input.clone();
          out[at] = b;
          return out;
        }
        return new byte[] {b};
      case 1: // insert
        byte[] inserted = new byte[input.length + 1];
        System.arraycopy(input, 0, inserted, 0, at);
        inserted[at] = b;
        System.arraycopy(input, at, inserted, at + 1, input.length - at);
        return inserted;
      case 2: // delete a run
        int end = Math.min(input.length, at + 1 + random.nextInt(8));
        byte[] deleted = new byte[input.length - (end - at)];
        System.arraycopy(input, 0, deleted, 0, at);
        System.arraycopy(input, end, deleted, at, input.length - end);
        return deleted;
      case 3: // duplicate a run
        int to = Math.min(input.length, at + 1 + random.nextInt(32));
        byte[] run = Arrays.copyOfRange(input, at, to);
        byte[] doubled = new byte[input.length + run.length];
        System.arraycopy(input, 0, doubled, 0, to);
        System.arraycopy(run, 0, doubled, to, run.length);
        System.arraycopy(input, to, doubled, to + run.length, input.length - to);
        return doubled;
      default: // truncate
        return Arrays.copyOf(input, at);
    }
  }

  private static String describe(PlumblineException e) {
    return e.code() + " " + e.getMessage() + " " + e.details();
  }
}
