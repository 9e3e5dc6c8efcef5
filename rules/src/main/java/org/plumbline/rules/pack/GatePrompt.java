package org.plumbline.rules.pack;

/**
 * A registered prompt version whose text is exactly the {@code prompt.system} that the version
 * under the gate declares.
 *
 * @param evalScore the evaluation's score; null when none was recorded
 * @param testedWithModel the model the evaluation ran against; null when not recorded
 */
public record GatePrompt(String id, String version, Double evalScore, String testedWithModel) {

  /** Whether it carries an evaluation score of at least {@code threshold}. */
  public boolean scoredAtLeast(double threshold) {
    return evalScore != null && evalScore >= threshold;
  }

  /** Whether it was tested with exactly {@code model}. */
  public boolean testedWith(String model) {
    return model != null && model.equals(testedWithModel);
  }

  /** {@code id@version}, the subject of a reason about it. */
  public String subject() {
    return id + "@" + version;
  }
}
