package org.plumbline.governance;

/**
 * Hears every command the {@link Governor} executes, once it is answered: the server counts and
 * times them ({@code plumbline_command_seconds}) without this module depending on a metrics
 * library. Called on the thread that executed the command, outside the store transaction; it must
 * be quick and must not throw.
 */
@FunctionalInterface
public interface CommandListener {
  /** Hears nothing. */
  CommandListener NONE = (kind, outcome, nanos) -> {};

  /** What {@code outcome} a command ended with. */
  String OK = "ok";

  /** Refused with a coded error (bad input, a rule, a conflict): nothing of it was stored. */
  String REFUSED = "refused";

  /** Failed otherwise (a store or programming error): nothing of it was stored. */
  String FAILED = "failed";

  /**
   * One command answered.
   *
   * @param kind the command, in kebab case ({@code post-snapshot}, {@code check-observations}); a
   *     closed set, one per {@link Command} record
   * @param outcome {@link #OK}, {@link #REFUSED} or {@link #FAILED}
   * @param nanos from the call to the governor to the answer, waiting for the lock included; a
   *     command applied in a batch of n ({@link Governor#executeAll}) is given 1/n of the batch
   */
  void onCommand(String kind, String outcome, long nanos);

  /** The kind a command is reported as: its record's name in kebab case. */
  static String kindOf(Command<?> command) {
    String name = command.getClass().getSimpleName();
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0) {
          out.append('-');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The outcome a failure is reported as. */
  static String outcomeOf(Throwable failure) {
    return failure instanceof org.plumbline.ontology.PlumblineException ? REFUSED : FAILED;
  }
}
