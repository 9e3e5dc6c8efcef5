package org.plumbline.ontology.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Merkle audit paths and consistency proofs over the audit ledger, as RFC 9162 (Certificate
 * Transparency 2.0) defines them, with the same leaf and node hashing as {@link MerkleFrontier}: a
 * leaf is one audit record, hashed from its chained hash.
 *
 * <ul>
 *   <li>An <em>inclusion proof</em> (section 2.1.3) shows that the record at a leaf index is in the
 *       tree of a given size and root, with about log2(size) hashes.
 *   <li>A <em>consistency proof</em> (section 2.1.4) shows that the tree of size {@code first} is a
 *       prefix of the tree of size {@code second}: whoever kept the first root (a signed tree head)
 *       can check that the ledger only grew since, without keeping or reading any record.
 * </ul>
 *
 * Proofs are lists of lower-case hex SHA-256 hashes. Verification never throws: anything malformed
 * (a hash that is not 32 bytes of hex, a size or index out of range) is a proof that fails.
 */
public final class MerkleProofs {
  private static final HexFormat HEX = HexFormat.of();
  private static final int HASH_BYTES = 32;

  private MerkleProofs() {}

  /**
   * The inclusion proof (RFC 9162 section 2.1.3.1, {@code PATH(m, D[n])}) of the leaf at {@code
   * index} (0-based: the record of seq {@code index + 1}) in the tree over all {@code
   * recordHashes}.
   *
   * @throws IllegalArgumentException when the index is not a leaf of that tree
   */
  public static List<String> inclusion(List<String> recordHashes, long index) {
    if (index < 0 || index >= recordHashes.size()) {
      throw new IllegalArgumentException(
          "leaf " + index + " is not in a tree of " + recordHashes.size() + " leaves");
    }
    byte[][] leaves = leafHashes(recordHashes);
    List<String> path = new ArrayList<>();
    path(leaves, (int) index, 0, leaves.length, path);
    return path;
  }

  /**
   * Whether {@code path} proves that the record with {@code recordHash} is the leaf at {@code
   * index} of the tree of {@code size} leaves whose root is {@code root}: the verification of RFC
   * 9162 section 2.1.3.2.
   */
  public static boolean verifyInclusion(
      String recordHash, long index, long size, List<String> path, String root) {
    byte[][] p = decode(path);
    byte[] expected = decode(root);
    if (recordHash == null || p == null || expected == null || index < 0 || index >= size) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = MerkleFrontier.leafHash(recordHash);
    for (byte[] sibling : p) {
      if (sn == 0) {
        return false; // the path is longer than the tree is deep
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleFrontier.nodeHash(sibling, r);
        if ((fn & 1) == 0) {
          // a right edge: climb past the levels where this subtree has no right sibling
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = MerkleFrontier.nodeHash(r, sibling);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(r, expected);
  }

  /**
   * The consistency proof (RFC 9162 section 2.1.4.1, {@code PROOF(m, D[n])}) that the tree over the
   * first {@code first} of {@code recordHashes} is a prefix of the tree over all of them. It is
   * empty when {@code first} is 0 or all of them (nothing to prove).
   *
   * @throws IllegalArgumentException when {@code first} is negative or beyond the list
   */
  public static List<String> consistency(List<String> recordHashes, long first) {
    if (first < 0 || first > recordHashes.size()) {
      throw new IllegalArgumentException(
          "size " + first + " is not a prefix of a tree of " + recordHashes.size() + " leaves");
    }
    List<String> proof = new ArrayList<>();
    if (first > 0 && first < recordHashes.size()) {
      subproof(leafHashes(recordHashes), (int) first, 0, recordHashes.size(), true, proof);
    }
    return proof;
  }

  /**
   * Whether {@code proof} shows that the tree of {@code first} leaves with root {@code firstRoot}
   * is a prefix of the tree of {@code second} leaves with root {@code secondRoot}: the verification
   * of RFC 9162 section 2.1.4.2. Equal sizes need an empty proof and equal roots; the empty tree
   * (size 0) is a prefix of every tree, with an empty proof.
   */
  public static boolean verifyConsistency(
      long first, long second, String firstRoot, String secondRoot, List<String> proof) {
    byte[][] p = decode(proof);
    byte[] oldRoot = decode(firstRoot);
    byte[] newRoot = decode(secondRoot);
    if (p == null || oldRoot == null || newRoot == null || first < 0 || first > second) {
      return false;
    }
    if (first == 0 || first == second) {
      return p.length == 0 && (first == 0 || Arrays.equals(oldRoot, newRoot));
    }
    if (p.length == 0) {
      return false;
    }
    List<byte[]> path = new ArrayList<>(Arrays.asList(p));
    if (Long.bitCount(first) == 1) {
      path.add(0, oldRoot); // the old tree is a complete subtree: its root starts the walk
    }
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleFrontier.nodeHash(c, fr);
        sr = MerkleFrontier.nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = MerkleFrontier.nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(fr, oldRoot) && Arrays.equals(sr, newRoot);
  }

  /** {@code PATH(m, D[from:to])}, appended to {@code out} deepest first. */
  private static void path(byte[][] leaves, int m, int from, int to, List<String> out) {
    if (to - from <= 1) {
      return;
    }
    int k = split(to - from);
    if (m < k) {
      path(leaves, m, from, from + k, out);
      out.add(HEX.formatHex(treeHash(leaves, from + k, to)));
    } else {
      path(leaves, m - k, from + k, to, out);
      out.add(HEX.formatHex(treeHash(leaves, from, from + k)));
    }
  }

  /** {@code SUBPROOF(m, D[from:to], b)}, appended to {@code out} deepest first. */
  private static void subproof(
      byte[][] leaves, int m, int from, int to, boolean whole, List<String> out) {
    if (m == to - from) {
      if (!whole) {
        out.add(HEX.formatHex(treeHash(leaves, from, to)));
      }
      return;
    }
    int k = split(to - from);
    if (m <= k) {
      subproof(leaves, m, from, from + k, whole, out);
      out.add(HEX.formatHex(treeHash(leaves, from + k, to)));
    } else {
      subproof(leaves, m - k, from + k, to, false, out);
      out.add(HEX.formatHex(treeHash(leaves, from, from + k)));
    }
  }

  /** The Merkle Tree Hash of {@code leaves[from:to]} (RFC 9162 section 2.1.1), to > from. */
  private static byte[] treeHash(byte[][] leaves, int from, int to) {
    if (to - from == 1) {
      return leaves[from];
    }
    int k = split(to - from);
    return MerkleFrontier.nodeHash(
        treeHash(leaves, from, from + k), treeHash(leaves, from + k, to));
  }

  /** The largest power of two smaller than {@code n} (n > 1). */
  private static int split(int n) {
    return Integer.highestOneBit(n - 1);
  }

  private static byte[][] leafHashes(List<String> recordHashes) {
    byte[][] out = new byte[recordHashes.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = MerkleFrontier.leafHash(recordHashes.get(i));
    }
    return out;
  }

  private static byte[][] decode(List<String> hashes) {
    if (hashes == null) {
      return null;
    }
    byte[][] out = new byte[hashes.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = decode(hashes.get(i));
      if (out[i] == null) {
        return null;
      }
    }
    return out;
  }

  private static byte[] decode(String hex) {
    if (hex == null || hex.length() != 2 * HASH_BYTES) {
      return null;
    }
    try {
      return HEX.parseHex(hex);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
