package org.plumbline.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.plumbline.ontology.Hashing;

/**
 * The raw inputs the server accepted, kept so a store can be rebuilt from them ({@code plumbline
 * rebuild}): every ingest body and every mutation, compressed and content-addressed under {@code
 * objects/}, and an append-only index that says in which order, when, by whom and of which kind. An
 * entry is written and forced to disk before its transaction runs, so a crash can leave an entry
 * whose write never committed (it was never acknowledged; replaying it is harmless), never the
 * opposite.
 *
 * <p>Once its transaction committed, an entry is marked with a line {@code {"committed": seq,
 * "ledger": n}}: the ledger's length after it. The ledger is one order of every command of every
 * server on a shared store, so the marks put several servers' journals in commit order ({@link
 * #commits}). A mark is written before the command is answered but not forced on its own (the next
 * entry's force carries it): a kill loses none, a power cut at most the last. Journals written
 * before marks existed read as before; they have no marks.
 */
public final class InputJournal implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One journal entry: the input's kind ({@code blueprint}, {@code snapshot}, {@code mutation},
   * {@code expiry}).
   */
  public record Entry(
      long seq,
      Instant at,
      String actor,
      String roles,
      String kind,
      String contentType,
      String object) {
    /** Who the entry was journaled for: its actor and roles. */
    public Caller caller() {
      return new Caller(
          actor, roles.isEmpty() ? java.util.Set.of() : java.util.Set.of(roles.split(",")));
    }
  }

  private final Path dir;
  private final FileChannel index;
  private long seq;

  private InputJournal(Path dir, FileChannel index, long seq) {
    this.dir = dir;
    this.index = index;
    this.seq = seq;
  }

  public static InputJournal open(Path dir) {
    try {
      Files.createDirectories(dir.resolve("objects"));
      long last = read(dir).size();
      FileChannel index =
          FileChannel.open(
              dir.resolve("index.jsonl"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
      return new InputJournal(dir, index, last);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the input journal in " + dir, e);
    }
  }

  /** One input to journal: when, for whom, of which kind, and its body. */
  record Input(
      Instant at, String actor, String roles, String kind, String contentType, byte[] body) {}

  /**
   * Records inputs durably, in order, before a transaction that applies them all (a bulk load, a
   * group of snapshots): each object is written and forced, then the index lines, forced once. An
   * index line never names an object that is not on disk, as with one input at a time.
   */
  synchronized List<Entry> appendAll(List<Input> inputs) {
    try {
      List<Entry> entries = new ArrayList<>(inputs.size());
      StringBuilder lines = new StringBuilder();
      long next = seq;
      for (Input in : inputs) {
        String sha = store(in.body());
        Entry e =
            new Entry(++next, in.at(), in.actor(), in.roles(), in.kind(), in.contentType(), sha);
        ObjectNode line = JSON.createObjectNode();
        line.put("seq", e.seq());
        line.put("at", e.at().toString());
        line.put("actor", e.actor());
        line.put("roles", e.roles());
        line.put("kind", e.kind());
        line.put("contentType", e.contentType());
        line.put("object", sha);
        lines.append(line).append('\n');
        entries.add(e);
      }
      ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        index.write(bytes);
      }
      index.force(false);
      seq = next;
      return entries;
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the input journal", ex);
    }
  }

  /** Writes a body under {@code objects/} (compressed, forced), unless it is there; its hash. */
  private String store(byte[] body) throws IOException {
    String sha = Hashing.sha256Hex(body);
    Path object = dir.resolve("objects").resolve(sha.substring(0, 2)).resolve(sha + ".gz");
    if (!Files.exists(object)) {
      Files.createDirectories(object.getParent());
      Path tmp = object.resolveSibling(sha + ".tmp");
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
        out.write(body);
      }
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(gz.toByteArray()));
        ch.force(true);
      }
      Files.move(tmp, object, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return sha;
  }

  /**
   * Marks entry {@code seq} as committed, the ledger then {@code ledger} records long. Not forced:
   * the next append forces the index, this mark with it.
   */
  synchronized void committed(long seq, long ledger) {
    try {
      index.write(
          ByteBuffer.wrap(
              ("{\"committed\":" + seq + ",\"ledger\":" + ledger + "}\n")
                  .getBytes(StandardCharsets.UTF_8)));
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the input journal", ex);
    }
  }

  /** The entries of a journal folder, in order; a torn last line (a crash mid-write) is ignored. */
  public static List<Entry> read(Path dir) throws IOException {
    List<Entry> out = new ArrayList<>();
    for (JsonNode n : lines(dir)) {
      if (n.has("committed")) {
        continue;
      }
      out.add(
          new Entry(
              n.path("seq").asLong(),
              Instant.parse(n.path("at").asText()),
              n.path("actor").asText(null),
              n.path("roles").asText(""),
              n.path("kind").asText(),
              n.path("contentType").asText(null),
              n.path("object").asText()));
    }
    return out;
  }

  /**
   * The commit marks of a journal folder: each committed entry's seq and the ledger's length just
   * after it. Empty for a journal written before marks existed.
   */
  public static java.util.Map<Long, Long> commits(Path dir) throws IOException {
    java.util.Map<Long, Long> out = new java.util.HashMap<>();
    for (JsonNode n : lines(dir)) {
      if (n.has("committed")) {
        out.put(n.path("committed").asLong(), n.path("ledger").asLong());
      }
    }
    return out;
  }

  private static List<JsonNode> lines(Path dir) throws IOException {
    Path file = dir.resolve("index.jsonl");
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(JSON.readTree(line));
      } catch (IOException torn) {
        break;
      }
    }
    return out;
  }

  public static byte[] body(Path dir, Entry e) throws IOException {
    Path object =
        dir.resolve("objects").resolve(e.object().substring(0, 2)).resolve(e.object() + ".gz");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(object))) {
      return in.readAllBytes();
    }
  }

  @Override
  public synchronized void close() {
    try {
      index.close();
    } catch (IOException e) {
      // Nothing is pending: every entry was forced when appended.
    }
  }
}
