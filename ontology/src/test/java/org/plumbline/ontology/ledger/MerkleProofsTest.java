package org.plumbline.ontology.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * RFC 9162 inclusion and consistency proofs over random ledgers: every generated proof verifies
 * against the root {@link MerkleFrontier} keeps (an independent, incremental computation), and
 * every edit of a proof or of what it is checked against fails.
 */
class MerkleProofsTest {
  /** Record hashes as the ledger has them: 64 hex characters, distinct per seq and history. */
  static List<String> ledger(int n, String history) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(
          HexFormat.of()
              .formatHex(
                  MerkleFrontier.sha256((history + ":" + i).getBytes(StandardCharsets.UTF_8))));
    }
    return out;
  }

  static String root(List<String> hashes, int n) {
    return MerkleFrontier.rootOf(hashes.subList(0, n));
  }

  @Property(tries = 300)
  void everyInclusionProofVerifiesAgainstTheFrontiersRoot(
      @ForAll @IntRange(min = 1, max = 300) int size, @ForAll @IntRange(min = 0, max = 299) int i) {
    Assume.that(i < size);
    List<String> hashes = ledger(size, "h");
    List<String> path = MerkleProofs.inclusion(hashes, i);
    String root = root(hashes, size);
    assertTrue(MerkleProofs.verifyInclusion(hashes.get(i), i, size, path, root));
    assertTrue(path.size() <= 64 - Long.numberOfLeadingZeros(size - 1L), path.toString());
  }

  @Property(tries = 300)
  void anEditedInclusionProofOrClaimFails(
      @ForAll @IntRange(min = 2, max = 300) int size,
      @ForAll @IntRange(min = 0, max = 299) int i,
      @ForAll @IntRange(min = 0, max = 299) int other,
      @ForAll @IntRange(min = 0, max = 63) int position) {
    Assume.that(i < size);
    List<String> hashes = ledger(size, "h");
    List<String> path = MerkleProofs.inclusion(hashes, i);
    String root = root(hashes, size);
    String leaf = hashes.get(i);
    // a flipped byte anywhere in the path
    for (int k = 0; k < path.size(); k++) {
      List<String> flipped = new ArrayList<>(path);
      flipped.set(k, flip(path.get(k), position));
      assertFalse(MerkleProofs.verifyInclusion(leaf, i, size, flipped, root), "flipped " + k);
    }
    // another record, or the same record claimed at another index
    int j = other % size;
    if (j != i) {
      assertFalse(MerkleProofs.verifyInclusion(hashes.get(j), i, size, path, root));
      assertFalse(MerkleProofs.verifyInclusion(leaf, j, size, path, root), "index " + j);
    }
    assertFalse(MerkleProofs.verifyInclusion(flip(leaf, position), i, size, path, root));
    // the tree head of another size (its size and root, as a signed head binds them)
    int otherSize = 1 + other % 300;
    if (otherSize != size && otherSize > i) {
      List<String> longer = ledger(Math.max(size, otherSize), "h");
      assertFalse(
          MerkleProofs.verifyInclusion(leaf, i, otherSize, path, root(longer, otherSize)),
          "size " + otherSize);
    }
    // a truncated or lengthened path, a wrong root
    assertFalse(
        MerkleProofs.verifyInclusion(leaf, i, size, path.subList(0, path.size() - 1), root));
    List<String> longerPath = new ArrayList<>(path);
    longerPath.add(root);
    assertFalse(MerkleProofs.verifyInclusion(leaf, i, size, longerPath, root));
    assertFalse(MerkleProofs.verifyInclusion(leaf, i, size, path, flip(root, position)));
    // the same leaf in a history rewritten elsewhere: the honest root no longer matches
    List<String> rewritten = new ArrayList<>(hashes);
    int victim = (i + 1 + other) % size;
    if (victim != i) {
      rewritten.set(victim, flip(rewritten.get(victim), position));
      assertFalse(
          MerkleProofs.verifyInclusion(leaf, i, size, MerkleProofs.inclusion(rewritten, i), root));
    }
  }

  @Property(tries = 300)
  void everyConsistencyProofVerifiesBetweenTheFrontiersRoots(
      @ForAll @IntRange(min = 0, max = 300) int first,
      @ForAll @IntRange(min = 0, max = 300) int second) {
    Assume.that(first <= second);
    List<String> hashes = ledger(second, "h");
    List<String> proof = MerkleProofs.consistency(hashes, first);
    assertTrue(
        MerkleProofs.verifyConsistency(
            first, second, root(hashes, first), root(hashes, second), proof),
        first + " -> " + second + ": " + proof);
    assertTrue(proof.size() <= 2 * (64 - Long.numberOfLeadingZeros(Math.max(1, second))));
  }

  @Property(tries = 300)
  void anEditedConsistencyProofOrARewrittenHistoryFails(
      @ForAll @IntRange(min = 1, max = 299) int first,
      @ForAll @IntRange(min = 2, max = 300) int second,
      @ForAll @IntRange(min = 0, max = 299) int victim,
      @ForAll @IntRange(min = 0, max = 63) int position) {
    Assume.that(first < second);
    List<String> hashes = ledger(second, "h");
    List<String> proof = MerkleProofs.consistency(hashes, first);
    String oldRoot = root(hashes, first);
    String newRoot = root(hashes, second);
    for (int k = 0; k < proof.size(); k++) {
      List<String> flipped = new ArrayList<>(proof);
      flipped.set(k, flip(proof.get(k), position));
      assertFalse(
          MerkleProofs.verifyConsistency(first, second, oldRoot, newRoot, flipped), "flip " + k);
    }
    assertFalse(
        MerkleProofs.verifyConsistency(
            first, second, oldRoot, newRoot, proof.subList(0, proof.size() - 1)),
        "truncated");
    List<String> longer = new ArrayList<>(proof);
    longer.add(newRoot);
    assertFalse(MerkleProofs.verifyConsistency(first, second, oldRoot, newRoot, longer));
    assertFalse(
        MerkleProofs.verifyConsistency(first, second, flip(oldRoot, position), newRoot, proof));
    assertFalse(
        MerkleProofs.verifyConsistency(first, second, oldRoot, flip(newRoot, position), proof));
    // another pair of sizes, each with its own true root
    int otherFirst = 1 + (first + victim) % (second - 1);
    if (otherFirst != first) {
      assertFalse(
          MerkleProofs.verifyConsistency(
              otherFirst, second, root(hashes, otherFirst), newRoot, proof),
          "first " + otherFirst);
    }
    if (second < 300) {
      List<String> grown = ledger(second + 1, "h");
      assertFalse(
          MerkleProofs.verifyConsistency(
              first, second + 1, oldRoot, root(grown, second + 1), proof));
    }
    // A history rewritten inside the old tree: the server's proof from it cannot reach the root
    // the auditor kept.
    List<String> rewritten = new ArrayList<>(hashes);
    int v = victim % first;
    rewritten.set(v, flip(rewritten.get(v), position));
    assertFalse(
        MerkleProofs.verifyConsistency(
            first,
            second,
            oldRoot,
            root(rewritten, second),
            MerkleProofs.consistency(rewritten, first)));
  }

  @Test
  void edgeCasesAndMalformedInputFailWithoutThrowing() {
    List<String> hashes = ledger(5, "h");
    String root5 = root(hashes, 5);
    assertEquals(List.of(), MerkleProofs.inclusion(hashes.subList(0, 1), 0));
    assertTrue(MerkleProofs.verifyInclusion(hashes.get(0), 0, 1, List.of(), root(hashes, 1)));
    assertThrows(IllegalArgumentException.class, () -> MerkleProofs.inclusion(hashes, 5));
    assertThrows(IllegalArgumentException.class, () -> MerkleProofs.consistency(hashes, 6));
    List<String> path = MerkleProofs.inclusion(hashes, 4);
    assertFalse(MerkleProofs.verifyInclusion(hashes.get(4), 5, 5, path, root5));
    assertFalse(MerkleProofs.verifyInclusion(hashes.get(4), -1, 5, path, root5));
    assertFalse(MerkleProofs.verifyInclusion(hashes.get(4), 4, 5, null, root5));
    assertFalse(MerkleProofs.verifyInclusion(hashes.get(4), 4, 5, List.of("zz"), root5));
    assertFalse(MerkleProofs.verifyInclusion(null, 4, 5, path, root5));
    assertFalse(MerkleProofs.verifyInclusion(hashes.get(4), 4, 5, path, "not hex"));
    // equal sizes: an empty proof and equal roots; the empty tree is a prefix of any
    assertTrue(MerkleProofs.verifyConsistency(5, 5, root5, root5, List.of()));
    assertFalse(MerkleProofs.verifyConsistency(5, 5, root5, root(hashes, 4), List.of()));
    assertTrue(
        MerkleProofs.verifyConsistency(0, 5, MerkleFrontier.empty().root(), root5, List.of()));
    assertFalse(MerkleProofs.verifyConsistency(3, 5, root(hashes, 3), root5, List.of()));
    assertFalse(MerkleProofs.verifyConsistency(6, 5, root5, root5, List.of()));
  }

  /** The hex hash with the byte at {@code position} (mod its length) flipped. */
  static String flip(String hex, int position) {
    byte[] b = HexFormat.of().parseHex(hex);
    b[position % b.length] ^= 0x01;
    return HexFormat.of().formatHex(b);
  }
}
