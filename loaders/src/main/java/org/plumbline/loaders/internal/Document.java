package org.plumbline.loaders.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One document of a file: its tree ({@code null} for an empty YAML document), its number (1-based)
 * and the line it starts on, so problems in files of several documents say which one; and the file
 * it is in when several files are read as one ({@code null} otherwise).
 */
public record Document(JsonNode root, int number, int line, String file) {

  public Document(JsonNode root, int number, int line) {
    this(root, number, line, null);
  }

  /** This document as one of the files of a folder read as a whole, named {@code file}. */
  public Document inFile(String file) {
    return new Document(root, number, line, file);
  }

  /**
   * The prefix of pointers into this document, and the pointer of its root: empty for a file of one
   * document, else {@code "document 2 (line 14)"}, so that {@link Problems#pointer(String, String)}
   * gives {@code "document 2 (line 14)/metadata"}.
   */
  public String base(boolean several) {
    if (file != null) {
      return file + ": document " + number + " (line " + line + ")";
    }
    return several ? "document " + number + " (line " + line + ")" : "";
  }

  /** The pointer of this document's root, for problems with the document as a whole. */
  public String rootPointer(boolean several) {
    return base(several);
  }
}
