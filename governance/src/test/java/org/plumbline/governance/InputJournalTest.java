package org.plumbline.governance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input journal: what a batch journals reads back as if journaled one input at a time. */
class InputJournalTest {
  static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path dir;

  static byte[] body(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aBatchReadsBackInOrderAfterSingleEntriesAndAcrossAReopen() throws Exception {
    try (InputJournal journal = InputJournal.open(dir)) {
      journal.appendAll(
          List.of(
              new InputJournal.Input(
                  T0, "loader", "loader", "snapshot", "application/json", body("{\"a\":1}"))));
      List<InputJournal.Entry> batch =
          journal.appendAll(
              List.of(
                  new InputJournal.Input(
                      T0.plusSeconds(1), "bulk", "", "snapshot", "application/json", body("{}")),
                  // the same body twice is one object, two entries
                  new InputJournal.Input(
                      T0.plusSeconds(2), "bulk", "", "snapshot", "application/json", body("{}")),
                  new InputJournal.Input(
                      T0.plusSeconds(3),
                      "bulk",
                      "admin,loader",
                      "blueprint",
                      "application/yaml",
                      body("bundle: b"))));
      assertEquals(List.of(2L, 3L, 4L), batch.stream().map(InputJournal.Entry::seq).toList());
      journal.committed(4, 7);
    }
    try (InputJournal reopened = InputJournal.open(dir)) {
      reopened.appendAll(
          List.of(
              new InputJournal.Input(
                  T0.plusSeconds(4), "x", "", "snapshot", "application/json", body("[]"))));
    }
    List<InputJournal.Entry> read = InputJournal.read(dir);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), read.stream().map(InputJournal.Entry::seq).toList());
    assertEquals(
        List.of("snapshot", "snapshot", "snapshot", "blueprint", "snapshot"),
        read.stream().map(InputJournal.Entry::kind).toList());
    assertEquals(T0.plusSeconds(3), read.get(3).at());
    assertEquals("admin,loader", read.get(3).roles());
    assertEquals(read.get(1).object(), read.get(2).object());
    assertArrayEquals(body("bundle: b"), InputJournal.body(dir, read.get(3)));
    assertArrayEquals(body("{\"a\":1}"), InputJournal.body(dir, read.get(0)));
    assertEquals(java.util.Map.of(4L, 7L), InputJournal.commits(dir));
    try (var objects = Files.walk(dir.resolve("objects"))) {
      assertEquals(
          4, objects.filter(p -> p.toString().endsWith(".gz")).count(), "one object per body");
    }
  }
}
