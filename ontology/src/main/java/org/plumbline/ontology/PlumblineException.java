package org.plumbline.ontology;

import java.util.List;

/**
 * A failure with a stable code and, where the problem is in an input, every problem found in it
 * (each detail names where: a JSON pointer, a key or file:line).
 */
public class PlumblineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ErrorCode code;
  private final List<String> details;

  public PlumblineException(ErrorCode code, String message) {
    this(code, message, List.of(), null);
  }

  public PlumblineException(ErrorCode code, String message, List<String> details) {
    this(code, message, details, null);
  }

  public PlumblineException(ErrorCode code, String message, List<String> details, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.details = List.copyOf(details);
  }

  public ErrorCode code() {
    return code;
  }

  public List<String> details() {
    return details;
  }
}
