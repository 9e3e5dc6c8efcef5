package org.plumbline.loaders.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keeps secrets out of the knowledge graph: a snapshot is stored for years and exported to
 * auditors, so a secret value is replaced by {@value #REDACTED} before it is ever flattened. The
 * key stays, so a secret that appears or disappears is still a change; a rotated secret is not (a
 * hash would show rotation, but would let anyone holding an export test guesses of a weak secret).
 */
public final class Redaction {
  /** What a redacted value reads as. */
  public static final String REDACTED = "(redacted)";

  /** Words that make a member name a secret's name wherever they appear in it. */
  private static final Set<String> SECRET_WORDS =
      Set.of("secret", "password", "passwd", "token", "credential", "credentials", "dsn");

  /** Words that make a member name a secret's name beside another word (api_key, master_key). */
  private static final Set<String> KEY_WORDS = Set.of("key", "apikey");

  /** Whole names that hold a credential inside a connection string. */
  private static final Set<String> SECRET_NAMES =
      Set.of("database_url", "databaseurl", "connection_string", "connectionstring", "redis_url");

  private Redaction() {}

  /**
   * Whether a member name names a secret: {@code api_key}, {@code masterKey}, {@code
   * redis_password}, {@code auth_token}, {@code database_url}. {@code max_tokens} and {@code key}
   * alone do not.
   */
  public static boolean isSecretName(String name) {
    if (SECRET_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
      return true;
    }
    List<String> words = words(name);
    for (String word : words) {
      if (SECRET_WORDS.contains(word)) {
        return true;
      }
      if (KEY_WORDS.contains(word) && (words.size() > 1 || word.equals("apikey"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A copy of {@code node} in which every string under a secret's name is {@link #REDACTED}, except
   * references such as {@code os.environ/AZURE_API_KEY}, which name a secret without holding it and
   * are configuration worth watching.
   */
  public static JsonNode secrets(JsonNode node) {
    return secrets(node, false);
  }

  private static JsonNode secrets(JsonNode node, boolean secret) {
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> member = it.next();
        copy.set(
            member.getKey(), secrets(member.getValue(), secret || isSecretName(member.getKey())));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(item -> copy.add(secrets(item, secret)));
      return copy;
    }
    if (secret && node.isTextual() && !isReference(node.textValue())) {
      return TextNode.valueOf(REDACTED);
    }
    return node;
  }

  /** {@code os.environ/NAME} (LiteLLM) and {@code ${NAME}}: a pointer to a secret, not one. */
  static boolean isReference(String value) {
    return value.startsWith("os.environ/") || value.matches("\\$\\{[A-Za-z_][A-Za-z0-9_]*}");
  }

  /** Lower-case words of a name: {@code api_key}, {@code apiKey} and {@code api-key} alike. */
  static List<String> words(String name) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean boundary =
          !Character.isLetterOrDigit(c)
              || (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(name.charAt(i - 1)));
      if (boundary && word.length() > 0) {
        words.add(word.toString().toLowerCase(Locale.ROOT));
        word.setLength(0);
      }
      if (Character.isLetterOrDigit(c)) {
        word.append(c);
      }
    }
    if (word.length() > 0) {
      words.add(word.toString().toLowerCase(Locale.ROOT));
    }
    return words;
  }
}
