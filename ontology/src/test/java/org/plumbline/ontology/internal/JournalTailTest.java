package org.plumbline.ontology.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.apache.jena.dboe.base.file.Location;
import org.apache.jena.dboe.transaction.txn.ComponentId;
import org.apache.jena.dboe.transaction.txn.journal.Journal;
import org.apache.jena.dboe.transaction.txn.journal.JournalEntryType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The torn-tail check reads the journal exactly as TDB2 writes it: every whole entry that TDB2's
 * own {@link Journal} wrote is kept, and only a cut-short or corrupted last entry is removed.
 */
class JournalTailTest {

  @Test
  void wholeEntriesWrittenByTdb2AreKeptAndOnlyATornTailIsCut(@TempDir Path dir) throws Exception {
    Journal journal = Journal.create(Location.create(dir));
    Random random = new Random(5);
    ComponentId component = ComponentId.allocLocal();
    journal.write(JournalEntryType.REDO, component, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
    for (int i = 1; i < 50; i++) {
      byte[] data = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(9000)];
      random.nextBytes(data);
      journal.write(JournalEntryType.REDO, component, ByteBuffer.wrap(data));
      if (i % 7 == 6) {
        journal.write(JournalEntryType.COMMIT, component, null);
      }
    }
    journal.sync();
    journal.close();
    Path file = dir.resolve("journal.jrnl");
    long whole = Files.size(file);
    assertEquals(0, JournalTail.truncateTornTail(file), "a journal of whole entries is kept");
    assertEquals(whole, Files.size(file));

    // The header of one more entry and part of its data, as a kill mid-write leaves it.
    byte[] all = Files.readAllBytes(file);
    ByteBuffer torn = ByteBuffer.allocate(16 + 100);
    torn.putInt(4096).putInt(0).putInt(1).putInt(1);
    Files.write(file, torn.array(), StandardOpenOption.APPEND);
    assertEquals(116, JournalTail.truncateTornTail(file));
    assertEquals(whole, Files.size(file));

    // A last entry of the right length whose bytes did not all reach the disk: its checksum fails.
    byte[] copy = Arrays.copyOf(all, 16 + 5); // the first entry, with its data
    copy[copy.length - 1] ^= 0x55;
    Files.write(file, copy, StandardOpenOption.APPEND);
    assertEquals(copy.length, JournalTail.truncateTornTail(file));
    assertEquals(whole, Files.size(file));

    // TDB2 reads what is left, to its end.
    Journal reread = Journal.create(Location.create(dir));
    int entries = 0;
    for (var it = reread.entries(); it.hasNext(); it.next()) {
      entries++;
    }
    reread.close();
    assertEquals(50 + 7, entries);
  }
}
