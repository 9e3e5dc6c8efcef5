package org.plumbline.ontology.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How many bytes a TDB2 folder's live generation uses, read cheaply from its files. The B+tree
 * index files are memory-mapped and grown sparsely in 8 MB steps (an empty store's files are 192 MB
 * long and hold under 1 MB), so their length says little. Each index's state file ({@code *.bpt}:
 * its root, and how many node and record blocks are allocated, three big-endian longs) says how
 * many 8 KB blocks it uses; the node table's object file ({@code *.obj}) and the journal are
 * appended to, so their length is their use. Blocks that superseded versions of an index hold are
 * in use until a compaction: that is the growth this measures.
 */
final class StoreFiles {
  static final int BLOCK = 8192;

  private StoreFiles() {}

  /** Bytes in use in the newest generation ({@code Data-NNNN}) under {@code folder}; -1 if none. */
  static long bytesInUse(Path folder) {
    Optional<Path> generation = newestGeneration(folder);
    if (generation.isEmpty()) {
      return -1;
    }
    long used = 0;
    try (Stream<Path> files = Files.list(generation.get())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.endsWith(".bpt")) {
          used += indexBytes(f);
        } else if (name.endsWith(".obj") || name.endsWith(".jrnl")) {
          used += length(f);
        }
      }
    } catch (IOException e) {
      return -1; // compaction switched generations while we looked: the next check reads again
    }
    return used;
  }

  private static Optional<Path> newestGeneration(Path folder) {
    try (Stream<Path> dirs = Files.list(folder)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("Data-"))
          .filter(Files::isDirectory)
          .max(Comparator.comparing(d -> d.getFileName().toString()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static long indexBytes(Path state) throws IOException {
    try (InputStream in = Files.newInputStream(state);
        DataInputStream data = new DataInputStream(in)) {
      data.readLong(); // the root block
      long nodeBlocks = data.readLong();
      long recordBlocks = data.readLong();
      return (nodeBlocks + recordBlocks) * BLOCK;
    } catch (java.io.EOFException e) {
      return 0; // an index not yet written
    }
  }

  private static long length(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return 0;
    }
  }
}
