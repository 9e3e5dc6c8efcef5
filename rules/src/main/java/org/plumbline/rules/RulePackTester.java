package org.plumbline.rules;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.plumbline.ontology.PlumblineException;

/**
 * Runs a pack's golden cases: every {@code *.json} file in the {@code tests} folder beside the pack
 * files holds a list of cases, each facts in and (part of) an assessment out. What {@code plumbline
 * rules test [DIR]} and a rule-pack reload run, so governance teams test their own rules.
 *
 * <p>A case file is a JSON array of objects with {@code name}, one of {@code facts} (a drift to
 * assess), {@code approvals} ({@code {"tier", "severity"}}, to ask the approvals table alone) or
 * {@code limits} (a tier, to ask the limits table), and {@code expected}. See {@code
 * packs/default/tests/README.md} for the fields and their defaults.
 */
public final class RulePackTester {
  private RulePackTester() {}

  /**
   * Compiles the pack in {@code packDir} (resolved as {@link RulePack#compile} does) and runs the
   * cases in its {@code tests} folder.
   *
   * @throws PlumblineException any {@link RulePack#compile} error, or {@link
   *     RuleError#INVALID_TEST_CASE} listing every malformed case
   */
  public static TestReport run(Path packDir) {
    RulePack pack = RulePack.compile(packDir);
    return run(pack, pack.directory().resolve("tests"));
  }

  /**
   * Runs the cases in {@code testsDir} against an already compiled pack (so a reload can test
   * exactly the pack it is about to activate). A missing folder gives an empty report.
   *
   * @throws PlumblineException {@link RuleError#INVALID_TEST_CASE} listing every malformed case
   */
  public static TestReport run(RulePack pack, Path testsDir) {
    Objects.requireNonNull(pack, "pack");
    Objects.requireNonNull(testsDir, "testsDir");
    List<GoldenCase> cases = GoldenCase.readAll(testsDir);
    return new TestReport(cases.stream().map(c -> c.check(pack)).toList());
  }
}
