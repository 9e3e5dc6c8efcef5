package org.plumbline.server.console;

/** A read the page depends on failed: the page shows the code and message, nothing else. */
final class ConsoleException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient ConsoleGraphQL.Problem problem;

  ConsoleException(ConsoleGraphQL.Problem problem) {
    super(problem.code() + ": " + problem.message());
    this.problem = problem;
  }

  ConsoleGraphQL.Problem problem() {
    return problem;
  }
}
