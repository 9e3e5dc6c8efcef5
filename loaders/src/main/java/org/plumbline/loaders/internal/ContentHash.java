package org.plumbline.loaders.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code sha256:<hex>} over the compact JSON of a tree of maps, lists and scalars, with map keys
 * sorted: the same content always gives the same bytes, whatever order it was written in.
 *
 * <p>Stored records are identified by these hashes: changing the encoding changes every identity.
 */
public final class ContentHash {
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private ContentHash() {}

  public static String of(Object canonicalTree) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(canonicalTree));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // maps, lists and strings always serialise
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
