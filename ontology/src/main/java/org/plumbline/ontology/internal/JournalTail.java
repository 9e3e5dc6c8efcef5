package org.plumbline.ontology.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Adler32;

/**
 * TDB2 writes each commit to its journal and forces it before the commit returns, but its recovery
 * refuses a journal whose last entry was cut short ("Failed to read the journal entry data"): a
 * kill in the middle of writing a commit leaves the store unopenable. Such a tail belongs to a
 * commit that never returned, so never to an acknowledged write; cutting it off is what recovery
 * would do if it tolerated it. Entries are a 16-byte header (data length, -1 for none; Adler-32
 * over header and data with the checksum field zeroed; type; component) and their data. {@code
 * JournalTailTest} checks this reading against journals written by TDB2's own code.
 */
final class JournalTail {
  private static final int HEADER = 16;

  private JournalTail() {}

  /**
   * Cuts torn tails off the journals of a data folder not held by another live process; returns the
   * bytes cut from each journal that had one.
   */
  static List<String> repair(Path dataFolder) throws IOException {
    List<String> cut = new ArrayList<>();
    if (heldByAnotherProcess(dataFolder.resolve("tdb.lock"))) {
      return cut; // opening will fail with STORE_LOCKED; never touch a live store's journal
    }
    try (Stream<Path> entries = Files.list(dataFolder)) {
      for (Path generation :
          entries.filter(p -> p.getFileName().toString().startsWith("Data-")).toList()) {
        Path journal = generation.resolve("journal.jrnl");
        if (Files.isRegularFile(journal)) {
          long bytes = truncateTornTail(journal);
          if (bytes > 0) {
            cut.add(journal + ": " + bytes + " bytes");
          }
        }
      }
    }
    return cut;
  }

  private static boolean heldByAnotherProcess(Path lock) throws IOException {
    if (!Files.isRegularFile(lock)) {
      return false;
    }
    String text = Files.readString(lock).strip();
    try {
      long pid = Long.parseLong(text);
      return pid != ProcessHandle.current().pid()
          && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Truncates after the last whole, checksum-valid entry; returns the bytes removed. */
  static long truncateTornTail(Path journal) throws IOException {
    try (FileChannel ch =
        FileChannel.open(journal, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long pos = 0;
      while (size - pos >= HEADER) {
        ByteBuffer header = read(ch, pos, HEADER);
        // A COMMIT or ABORT entry carries no data and records its length as -1.
        int length = Math.max(0, header.getInt(0));
        int crc = header.getInt(4);
        if (size - pos - HEADER < length) {
          break;
        }
        ByteBuffer data = read(ch, pos + HEADER, length);
        header.putInt(4, 0);
        Adler32 adler = new Adler32();
        adler.update(header.array());
        adler.update(data.array());
        if ((int) adler.getValue() != crc) {
          break;
        }
        pos += HEADER + length;
      }
      if (pos == size) {
        return 0;
      }
      ch.truncate(pos);
      ch.force(true);
      return size - pos;
    }
  }

  private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining() && ch.read(b, at + b.position()) >= 0) {
      // a regular file returns what it has; -1 only past its end, checked by the caller
    }
    return b;
  }
}
