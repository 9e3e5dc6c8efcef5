package org.plumbline.server.http.resources;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A reply: status, content type and body; a file to download (the PDF evidence pack) carries its
 * bytes instead of text, and the name it is saved under.
 *
 * @param body the text; null for a file
 * @param file the bytes of a file, or null
 * @param filename the name in {@code Content-Disposition}, or null for none
 */
public record Reply(int status, String contentType, String body, byte[] file, String filename) {
  public Reply(int status, String contentType, String body) {
    this(status, contentType, body, null, null);
  }

  /** A file to download, saved as {@code filename}. */
  public static Reply file(String contentType, byte[] bytes, String filename) {
    return new Reply(200, contentType, null, bytes, filename);
  }

  /** A JSON reply: a map becomes an object, a list an array. */
  public static Reply json(int status, Object value) {
    String body =
        value instanceof Map<?, ?> m
            ? new JsonObject(castMap(m)).encode()
            : value instanceof List<?> l ? new JsonArray(l).encode() : String.valueOf(value);
    return new Reply(status, "application/json", body);
  }

  /** The body as bytes, text in UTF-8. */
  public byte[] bytes() {
    return file != null ? file : body.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes the reply: status, content type, the file name if any, the body. */
  public void send(HttpServerResponse response) {
    response.setStatusCode(status).putHeader("Content-Type", contentType);
    if (filename != null) {
      response.putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    }
    if (file != null) {
      response.end(Buffer.buffer(file));
    } else {
      response.end(body);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
