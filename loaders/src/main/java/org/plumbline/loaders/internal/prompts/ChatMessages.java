package org.plumbline.loaders.internal.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Problems;

/**
 * The text of a chat prompt. CONTRACT section 2 compares a prompt version's {@code text} with an
 * environment's {@code prompt.system}, so a chat prompt's text is its system message (several are
 * joined by a blank line); a chat prompt with no system message keeps its messages as compact JSON,
 * which still identifies the version.
 */
final class ChatMessages {
  private ChatMessages() {}

  /** The text, or {@code null} with a problem when {@code messages} is not a list of messages. */
  static String text(JsonNode messages, String pointer, Problems problems) {
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      problems.add(
          pointer, "must be a non-empty list of chat messages, got " + Members.describe(messages));
      return null;
    }
    List<String> system = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String at = Problems.pointer(pointer, i);
      if (!message.isObject()) {
        problems.add(at, "must be a chat message object, got " + Members.describe(message));
        ok = false;
      } else if ("placeholder".equals(message.path("type").asText())) {
        continue; // Langfuse: a slot filled at run time (chat history)
      } else if (!message.path("role").isTextual() || !message.path("content").isTextual()) {
        problems.add(at, "a chat message needs a string role and content");
        ok = false;
      } else if (message.path("role").textValue().equals("system")) {
        system.add(message.path("content").textValue());
      }
    }
    if (!ok) {
      return null;
    }
    return system.isEmpty() ? messages.toString() : String.join("\n\n", system);
  }
}
