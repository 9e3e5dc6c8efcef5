package org.plumbline.rules;

import java.util.ArrayList;
import java.util.List;
import org.plumbline.ontology.PlumblineException;

/**
 * The outcome of running a pack's golden cases, in file and case order.
 *
 * @param results one entry per case
 */
public record TestReport(List<CaseResult> results) {

  /**
   * One golden case's outcome.
   *
   * @param name the case's name
   * @param file the case file's name, relative to the tests folder
   * @param passed whether the assessment matched every expected field
   * @param message what did not match ({@code expected severity HIGH, got MEDIUM}); empty when
   *     passed
   */
  public record CaseResult(String name, String file, boolean passed, String message) {}

  public TestReport {
    results = List.copyOf(results);
  }

  public int total() {
    return results.size();
  }

  public int passed() {
    return (int) results.stream().filter(CaseResult::passed).count();
  }

  public int failed() {
    return total() - passed();
  }

  public boolean allPassed() {
    return failed() == 0;
  }

  public List<CaseResult> failures() {
    return results.stream().filter(r -> !r.passed()).toList();
  }

  /**
   * One line per case ({@code PASS file: name} or {@code FAIL file: name: message}), then {@code N
   * passed, N failed}.
   */
  public String render() {
    List<String> lines = new ArrayList<>();
    for (CaseResult r : results) {
      lines.add(r.passed() ? "PASS " + r.file() + ": " + r.name() : "FAIL " + line(r));
    }
    lines.add(passed() + " passed, " + failed() + " failed");
    return String.join("\n", lines) + "\n";
  }

  /**
   * Throws unless every case passed, so that a pack is activated only when its authors' own
   * expectations hold.
   *
   * @throws PlumblineException {@link RuleError#PACK_TEST_FAILED} with one detail per failed case
   */
  public void requirePassed() {
    if (!allPassed()) {
      throw new PlumblineException(
          RuleError.PACK_TEST_FAILED,
          failed() + " of " + total() + " golden cases failed",
          failures().stream().map(TestReport::line).toList());
    }
  }

  private static String line(CaseResult r) {
    return r.file() + ": " + r.name() + ": " + r.message();
  }
}
