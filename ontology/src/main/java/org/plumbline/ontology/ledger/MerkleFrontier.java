package org.plumbline.ontology.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The RFC 9162 Merkle Tree Hash of a growing list of leaves, kept incrementally as the roots of its
 * perfect subtrees (at most log2(n) of them, largest first). Appending is O(log n); the root of the
 * first n leaves never changes once n leaves exist, so a root published with an export proves what
 * any later ledger must begin with.
 */
public final class MerkleFrontier {
  private static final HexFormat HEX = HexFormat.of();

  private record Subtree(long size, byte[] hash) {}

  private final List<Subtree> subtrees;

  private MerkleFrontier(List<Subtree> subtrees) {
    this.subtrees = subtrees;
  }

  public static MerkleFrontier empty() {
    return new MerkleFrontier(new ArrayList<>());
  }

  /** Leaves are audit records, each represented by its chained hash. */
  public void append(String recordHash) {
    byte[] h = leafHash(recordHash);
    long size = 1;
    while (!subtrees.isEmpty() && subtrees.get(subtrees.size() - 1).size() == size) {
      Subtree left = subtrees.remove(subtrees.size() - 1);
      h = nodeHash(left.hash(), h);
      size *= 2;
    }
    subtrees.add(new Subtree(size, h));
  }

  public long size() {
    return subtrees.stream().mapToLong(Subtree::size).sum();
  }

  /** The Merkle Tree Hash of all leaves so far (SHA-256 of nothing when there are none). */
  public String root() {
    if (subtrees.isEmpty()) {
      return HEX.formatHex(sha256(new byte[0]));
    }
    byte[] acc = subtrees.get(subtrees.size() - 1).hash();
    for (int i = subtrees.size() - 2; i >= 0; i--) {
      acc = nodeHash(subtrees.get(i).hash(), acc);
    }
    return HEX.formatHex(acc);
  }

  /** A compact text form: {@code size:hex} per subtree, comma-separated. */
  public String encode() {
    StringBuilder sb = new StringBuilder();
    for (Subtree s : subtrees) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(s.size()).append(':').append(HEX.formatHex(s.hash()));
    }
    return sb.toString();
  }

  public static MerkleFrontier decode(String text) {
    List<Subtree> out = new ArrayList<>();
    if (text != null && !text.isEmpty()) {
      for (String part : text.split(",")) {
        int colon = part.indexOf(':');
        out.add(
            new Subtree(
                Long.parseLong(part.substring(0, colon)), HEX.parseHex(part.substring(colon + 1))));
      }
    }
    return new MerkleFrontier(out);
  }

  /** The root over a list of record hashes, computed from scratch. */
  public static String rootOf(List<String> recordHashes) {
    MerkleFrontier f = empty();
    recordHashes.forEach(f::append);
    return f.root();
  }

  /** RFC 9162 section 2.1.1: a leaf is hashed as SHA-256(0x00 || the record hash in ASCII). */
  static byte[] leafHash(String recordHash) {
    byte[] data = recordHash.getBytes(StandardCharsets.US_ASCII);
    byte[] in = new byte[data.length + 1];
    in[0] = 0x00; // RFC 9162 domain separation: leaves and interior nodes never collide
    System.arraycopy(data, 0, in, 1, data.length);
    return sha256(in);
  }

  /** RFC 9162 section 2.1.1: an interior node is hashed as SHA-256(0x01 || left || right). */
  static byte[] nodeHash(byte[] left, byte[] right) {
    byte[] in = new byte[1 + left.length + right.length];
    in[0] = 0x01;
    System.arraycopy(left, 0, in, 1, left.length);
    System.arraycopy(right, 0, in, 1 + left.length, right.length);
    return sha256(in);
  }

  static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
