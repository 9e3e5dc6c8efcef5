package org.plumbline.server.http.resources;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** A reply: status, content type and body. */
public record Reply(int status, String contentType, String body) {
  /** A JSON reply: a map becomes an object, a list an array. */
  public static Reply json(int status, Object value) {
    String body =
        value instanceof Map<?, ?> m
            ? new JsonObject(castMap(m)).encode()
            : value instanceof List<?> l ? new JsonArray(l).encode() : String.valueOf(value);
    return new Reply(status, "application/json", body);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
