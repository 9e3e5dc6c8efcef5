package org.plumbline.loaders.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One document of a file: its tree ({@code null} for an empty YAML document), its number (1-based)
 * and the line it starts on, so problems in files of several documents say which one.
 */
public record Document(JsonNode root, int number, int line) {

  /**
   * The prefix of pointers into this document, and the pointer of its root: empty for a file of one
   * document, else {@code "document 2 (line 14)"}, so that {@link Problems#pointer(String, String)}
   * gives {@code "document 2 (line 14)/metadata"}.
   */
  public String base(boolean several) {
    return several ? "document " + number + " (line " + line + ")" : "";
  }

  /** The pointer of this document's root, for problems with the document as a whole. */
  public String rootPointer(boolean several) {
    return base(several);
  }
}
