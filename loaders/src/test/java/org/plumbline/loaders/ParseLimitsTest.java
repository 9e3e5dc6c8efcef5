package org.plumbline.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ParseLimitsTest {

  @Test
  void defaults() {
    assertEquals(16 * 1024 * 1024, ParseLimits.DEFAULT.maxDocumentBytes());
    assertEquals(64, ParseLimits.DEFAULT.maxNestingDepth());
    assertEquals(1024 * 1024, ParseLimits.DEFAULT.maxStringLength());
    assertEquals(1000, ParseLimits.DEFAULT.maxNumberLength());
  }

  @Test
  void limitsMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ParseLimits(1, 0, 1, 1));
    assertEquals("maxNestingDepth must be positive, got 0", e.getMessage());
  }
}
