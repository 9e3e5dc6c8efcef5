package org.plumbline.loaders.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules that say what a secret is, by name and by shape; {@link org.plumbline.loaders.Secrets}
 * applies them. Documented in docs/security.md ("Secrets"): keep the two in step.
 */
public final class Redaction {
  /**
   * What a loader writes for a value its format marks secret (Terraform {@code sensitive}, a
   * Kubernetes Secret's data) when the rules could not tell by name or shape. It lives only between
   * a loader and {@link org.plumbline.loaders.Secrets#redact}, which replaces it by the marker of
   * the value after it: never stored.
   */
  public static final String FLAGGED = "secret:unhashed:";

  /** Words that make a member name a secret's name wherever they appear in it. */
  private static final Set<String> SECRET_WORDS =
      Set.of(
          "secret",
          "password",
          "passwd",
          "passphrase",
          "pwd",
          "token",
          "credential",
          "credentials",
          "dsn",
          "authorization",
          "apikey",
          "privatekey",
          "cookie",
          "connectionstring",
          "connstr");

  /** Words before {@code key} that make it a secret's name: api_key, private_key, master_key. */
  private static final Set<String> KEY_QUALIFIERS =
      Set.of(
          "api",
          "private",
          "secret",
          "access",
          "master",
          "signing",
          "encryption",
          "client",
          "account",
          "admin",
          "service",
          "subscription",
          "license",
          "app",
          "auth",
          "session",
          "shared",
          "hmac",
          "ssh");

  /** Whole names that hold a credential inside a connection string. */
  private static final Set<String> SECRET_NAMES =
      Set.of("database_url", "databaseurl", "redis_url", "redisurl", "mongo_url", "mongodb_uri");

  /**
   * Last words that make a name point at a secret or describe it rather than hold it: {@code
   * secretKeyRef}, {@code secretName}, {@code password_file}, {@code token_ttl}, {@code
   * password_min_length}. Their values are configuration worth watching.
   */
  private static final Set<String> DESCRIBING_WORDS =
      Set.of(
          "ref",
          "name",
          "names",
          "file",
          "path",
          "arn",
          "env",
          "var",
          "provider",
          "version",
          "length",
          "mount",
          "ttl",
          "lifetime",
          "rotation",
          "expiry",
          "expiration",
          "timeout",
          "type",
          "enabled",
          "required",
          "limit",
          "count",
          "url",
          "uri",
          "endpoint",
          "header",
          "source",
          "policy",
          "store",
          "kind",
          "description");

  /**
   * Shapes of credentials, matched anywhere in a string: API keys by their issuers' prefixes, JWTs,
   * PEM private keys, URLs with a password.
   */
  private static final List<Pattern> SHAPES =
      List.of(
          // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), and the many services that copied them
          Pattern.compile("(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{20,}"),
          Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"),
          Pattern.compile("(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{30,}"),
          Pattern.compile("(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{22,}"),
          Pattern.compile("(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}"),
          Pattern.compile("(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}"),
          Pattern.compile("(?<![A-Za-z0-9])glpat-[A-Za-z0-9_-]{20,}"),
          Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),
          Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----"));

  /** {@code scheme://user:password@host}: group 1 is the password. */
  private static final Pattern URL_PASSWORD =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]*:([^/\\s@]+)@");

  /** An {@code Authorization} header's value; a Basic one must decode to {@code user:password}. */
  private static final Pattern BEARER =
      Pattern.compile("\\s*(?i:bearer|token)\\s+[A-Za-z0-9._~+/=-]{16,}\\s*");

  private static final Pattern BASIC = Pattern.compile("\\s*(?i:basic)\\s+([A-Za-z0-9+/]+=*)\\s*");

  /** {@code os.environ/NAME} (LiteLLM), {@code ${NAME}}, {@code $NAME}: a pointer to a secret. */
  private static final Pattern REFERENCE =
      Pattern.compile(
          "os\\.environ/[A-Za-z0-9_]+|\\$\\{[A-Za-z_][A-Za-z0-9_.:-]*}|\\$[A-Z_][A-Z0-9_]*");

  private Redaction() {}

  /** What a loader puts in place of a value its format marks secret. */
  public static JsonNode flag(JsonNode value) {
    if (value == null || value.isNull() || value.isContainerNode()) {
      return value; // containers: their leaves are flagged one by one by the caller
    }
    String text = value.isTextual() ? value.textValue() : value.asText();
    return text.startsWith(FLAGGED) ? value : TextNode.valueOf(FLAGGED + text);
  }

  /**
   * Whether a member name names a secret: {@code api_key}, {@code masterKey}, {@code
   * redis_password}, {@code auth_token}, {@code database_url}, {@code Authorization}, {@code
   * sentry_dsn}. {@code max_tokens}, {@code key} alone, {@code cache_key}, {@code secretKeyRef} and
   * {@code password_file} do not.
   */
  public static boolean isSecretName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (SECRET_NAMES.contains(lower)) {
      return true;
    }
    List<String> words = words(name);
    if (words.isEmpty() || DESCRIBING_WORDS.contains(words.get(words.size() - 1))) {
      return false;
    }
    String joined = String.join("", words);
    if (joined.contains("connectionstring") || joined.endsWith("dsn")) {
      return true;
    }
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (SECRET_WORDS.contains(word)) {
        return true;
      }
      if (word.equals("key") && i > 0 && KEY_QUALIFIERS.contains(words.get(i - 1))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a name describes a value rather than holds one ({@code name}, {@code type}, {@code
   * apiVersion}, {@code secret_arn}): under a secret's name, such a member stays readable.
   */
  public static boolean isDescribing(String name) {
    List<String> words = words(name);
    return !words.isEmpty() && DESCRIBING_WORDS.contains(words.get(words.size() - 1));
  }

  /** Whether a string holds a credential by its shape, anywhere in it. */
  public static boolean hasSecretShape(String value) {
    for (Pattern shape : SHAPES) {
      if (shape.matcher(value).find()) {
        return true;
      }
    }
    Matcher url = URL_PASSWORD.matcher(value);
    while (url.find()) {
      if (!isReference(url.group(1))) {
        return true;
      }
    }
    if (BEARER.matcher(value).matches()) {
      return true;
    }
    Matcher basic = BASIC.matcher(value);
    if (basic.matches()) {
      try {
        return new String(Base64.getDecoder().decode(basic.group(1)), StandardCharsets.UTF_8)
            .contains(":");
      } catch (IllegalArgumentException notBase64) {
        return false;
      }
    }
    return false;
  }

  /**
   * {@code os.environ/NAME} (LiteLLM), {@code ${NAME}}, {@code $NAME}: names a secret, holds none.
   */
  public static boolean isReference(String value) {
    return REFERENCE.matcher(value.strip()).matches();
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
