package org.plumbline.loaders;

/**
 * Bounds every parser enforces before and while it reads, so a hostile document costs at most this
 * much: the loaders' configuration.
 *
 * @param maxDocumentBytes larger documents are refused with {@link LoaderError#PAYLOAD_TOO_LARGE}
 *     (default 16 MiB)
 * @param maxNestingDepth deepest nesting of objects and arrays (default 64)
 * @param maxStringLength longest string value, in characters (default 1 MiB)
 * @param maxNumberLength longest number literal, in characters (default 1000)
 */
public record ParseLimits(
    int maxDocumentBytes, int maxNestingDepth, int maxStringLength, int maxNumberLength) {

  /** The defaults listed above. */
  public static final ParseLimits DEFAULT =
      new ParseLimits(16 * 1024 * 1024, 64, 1024 * 1024, 1000);

  public ParseLimits {
    positive("maxDocumentBytes", maxDocumentBytes);
    positive("maxNestingDepth", maxNestingDepth);
    positive("maxStringLength", maxStringLength);
    positive("maxNumberLength", maxNumberLength);
  }

  /** These limits with another document size limit. */
  public ParseLimits withMaxDocumentBytes(int bytes) {
    return new ParseLimits(bytes, maxNestingDepth, maxStringLength, maxNumberLength);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
