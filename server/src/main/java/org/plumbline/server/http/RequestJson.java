package org.plumbline.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.ServerError;

/**
 * Reads JSON bodies the loaders do not see (GraphQL requests, audit exports) within the same bounds
 * as the loaders: nesting, string and number lengths, document size, and duplicate keys refused
 * rather than silently resolved to the last one.
 */
public final class RequestJson {
  private final ObjectMapper mapper;

  public RequestJson(ParseLimits limits) {
    this.mapper =
        new ObjectMapper(
            JsonFactory.builder()
                .streamReadConstraints(
                    StreamReadConstraints.builder()
                        .maxDocumentLength(limits.maxDocumentBytes())
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxStringLength(limits.maxStringLength())
                        .maxNumberLength(limits.maxNumberLength())
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build());
    // "{...} x" is not one JSON document: refuse what follows it rather than ignore it.
    mapper.enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** The body as a tree; INVALID_REQUEST naming the problem if it is not well-formed JSON. */
  public JsonNode tree(byte[] body) {
    try {
      JsonNode node = mapper.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new PlumblineException(ServerError.INVALID_REQUEST, "request body is empty");
      }
      return node;
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      int nl = m.indexOf('\n');
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "request body is not well-formed JSON",
          List.of(nl < 0 ? m : m.substring(0, nl)));
    }
  }

  /** A JSON object as plain Java maps, lists and values, as graphql-java takes variables. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> map(JsonNode object) {
    return mapper.convertValue(object, Map.class);
  }
}
