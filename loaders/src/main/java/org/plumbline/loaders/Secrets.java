package org.plumbline.loaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.plumbline.loaders.internal.Redaction;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.Snapshot;

/**
 * Keeps secrets out of the store: every flattened config a parser makes (native snapshots,
 * blueprints, and every format {@link DocumentLoader} reads) passes through {@link
 * #redact(FlatConfig)} before it becomes a record, so the store, the ledger (drift details), the
 * webhooks and every export only ever see a <em>marker</em>: {@code "secret:hmac-sha256:<16 hex>"},
 * the first 64 bits of HMAC-SHA256 of the value under a key only the server holds. Equal secrets
 * give equal markers and a rotated secret a different one, so a change is still a change; without
 * the key nobody holding an export can test guesses of a weak password.
 *
 * <p>A value is secret when a member name on its path names a secret ({@code password}, {@code
 * api_key}, {@code Authorization}, {@code client_secret}, {@code sentry_dsn}, {@code database_url},
 * ...; a number only when its own name does); when it is the {@code value} beside a {@code name} or
 * {@code key} that names one (Kubernetes {@code env}, header lists); when it contains a
 * credential's shape (API key prefixes, JWTs, PEM private keys, a URL with a password, {@code
 * Bearer}/{@code Basic} credentials); or when a loader flagged it (Terraform {@code sensitive}).
 * References such as {@code os.environ/NAME} or {@code ${NAME}} are not secrets. A marker is kept
 * as it is, so redaction is idempotent (a journal replays unchanged) and a blueprint may declare
 * the marker it saw. Booleans are never secret.
 *
 * <p>Without a key ({@link #inTransit()}, {@code load --server}) nothing is replaced: the server
 * that receives the values (over TLS) redacts them with its key before storing or journaling
 * anything. Thread-safe.
 */
public final class Secrets {
  /** What a redacted value starts with. */
  public static final String MARKER_PREFIX = "secret:hmac-sha256:";

  /** The shortest key accepted: as long as the hash (RFC 2104 section 3). */
  public static final int MIN_KEY_BYTES = 32;

  private static final int MARKER_HEX = 16;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Secrets IN_TRANSIT = new Secrets(null);

  private final SecretKeySpec key;

  private Secrets(byte[] key) {
    this.key = key == null ? null : new SecretKeySpec(key, "HmacSHA256");
  }

  /**
   * Redaction under {@code key}.
   *
   * @throws IllegalArgumentException when the key is shorter than {@value #MIN_KEY_BYTES} bytes
   */
  public static Secrets withKey(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "key: at least " + MIN_KEY_BYTES + " bytes, got " + key.length);
    }
    return new Secrets(key.clone());
  }

  /**
   * No key: values go unchanged to a server that redacts them. Only for a client that sends what it
   * parsed to a server; never for anything that stores.
   */
  public static Secrets inTransit() {
    return IN_TRANSIT;
  }

  /**
   * A key drawn once per process: what parsers built without a key use, so that a caller who
   * forgets to give one stores markers, never secrets (but markers that differ between processes).
   */
  public static Secrets ephemeral() {
    return Ephemeral.SECRETS;
  }

  private static final class Ephemeral {
    static final Secrets SECRETS = new Secrets(newKey());
  }

  /** A fresh random key of {@value #MIN_KEY_BYTES} bytes. */
  public static byte[] newKey() {
    byte[] key = new byte[MIN_KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /** Whether this redacts (holds a key) or leaves values for a server. */
  public boolean hasKey() {
    return key != null;
  }

  /** Whether a value (its text, or its canonical JSON text) is a marker. */
  public static boolean isMarker(String value) {
    String text =
        value.startsWith("\"") && value.endsWith("\"") && value.length() > 1
            ? value.substring(1, value.length() - 1)
            : value;
    return text.startsWith(MARKER_PREFIX)
        && text.length() == MARKER_PREFIX.length() + MARKER_HEX
        && text.substring(MARKER_PREFIX.length()).chars().allMatch(Secrets::isLowerHex);
  }

  private static boolean isLowerHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  /**
   * The marker of a secret's text ({@code "hunter2"}'s is the same whether it was a string or the
   * number's text): {@code secret:hmac-sha256:<first 16 hex digits>}.
   *
   * @throws IllegalStateException without a key
   */
  public String marker(String secret) {
    if (key == null) {
      throw new IllegalStateException("no key: a server redacts these values");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] digest = mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return MARKER_PREFIX + HexFormat.of().formatHex(digest).substring(0, MARKER_HEX);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has HmacSHA256", e);
    }
  }

  /**
   * Whether a flattened key holds a secret by its names (not looking at the value): its own name is
   * a secret's ({@code db.password}), or a name above it is and its own does not merely describe it
   * ({@code credentials.value}, not {@code api_key.name} or {@code k8s.Secret.ns.x.apiVersion}).
   */
  public static boolean isSecretKey(String key) {
    List<String> segments = segments(key);
    if (segments.isEmpty()) {
      return false;
    }
    String last = segments.get(segments.size() - 1);
    if (Redaction.isSecretName(last)) {
      return true;
    }
    if (Redaction.isDescribing(last)) {
      return false;
    }
    for (String segment : segments.subList(0, segments.size() - 1)) {
      if (Redaction.isSecretName(segment)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a string holds a credential by its shape (API key prefixes, JWT, PEM, ...). */
  public static boolean hasSecretShape(String value) {
    return Redaction.hasSecretShape(value);
  }

  /**
   * {@code config} with every secret value replaced by its marker; the same config when nothing is
   * secret or there is no key.
   */
  public FlatConfig redact(FlatConfig config) {
    if (key == null) {
      return config;
    }
    List<String> pairedValues = pairedValues(config);
    TreeMap<String, String> out = new TreeMap<>();
    boolean changed = false;
    for (Map.Entry<String, String> e : config.values().entrySet()) {
      String value = e.getValue();
      String redacted = redact(e.getKey(), value, pairedValues);
      changed |= !redacted.equals(value);
      out.put(e.getKey(), redacted);
    }
    return changed ? new FlatConfig(out) : config;
  }

  /** {@code snapshot} with its config redacted and its content hash computed again. */
  public Snapshot redact(Snapshot snapshot) {
    FlatConfig config = redact(snapshot.config());
    return config == snapshot.config()
        ? snapshot
        : SnapshotParser.snapshot(
            snapshot.environment(), snapshot.observedAt(), snapshot.source(), config);
  }

  /** Whether a config holds any marker (a sender's body then differs from what is stored). */
  public static boolean hasMarkers(FlatConfig config) {
    return config.values().values().stream().anyMatch(Secrets::isMarker);
  }

  private String redact(String key, String value, List<String> pairedValues) {
    boolean string = value.startsWith("\"");
    if (!string
        && (value.equals("true")
            || value.equals("false")
            || value.startsWith("{")
            || value.startsWith("["))) {
      return value;
    }
    String text = string ? text(value) : value;
    if (isMarker(text)) {
      return value;
    }
    if (text.startsWith(Redaction.FLAGGED)) {
      return quoted(marker(text.substring(Redaction.FLAGGED.length())));
    }
    boolean secret =
        under(key, pairedValues)
            || (string
                ? !Redaction.isReference(text) && (isSecretKey(key) || hasSecretShape(text))
                : Redaction.isSecretName(last(key)));
    return secret ? quoted(marker(text)) : value;
  }

  /**
   * The {@code value} keys beside a {@code name} or {@code key} member that names a secret: {@code
   * env[0].value} when {@code env[0].name} is {@code DB_PASSWORD}.
   */
  private static List<String> pairedValues(FlatConfig config) {
    List<String> values = new ArrayList<>();
    for (Map.Entry<String, String> e : config.values().entrySet()) {
      String last = last(e.getKey()).toLowerCase(Locale.ROOT);
      int dot = e.getKey().lastIndexOf('.');
      if ((last.equals("name") || last.equals("key"))
          && dot > 0
          && e.getValue().startsWith("\"")
          && Redaction.isSecretName(text(e.getValue()))) {
        values.add(e.getKey().substring(0, dot) + ".value");
      }
    }
    return values;
  }

  private static boolean under(String key, List<String> prefixes) {
    for (String p : prefixes) {
      if (key.equals(p)
          || (key.startsWith(p)
              && (key.charAt(p.length()) == '.' || key.charAt(p.length()) == '['))) {
        return true;
      }
    }
    return false;
  }

  /** Member names of a key, array indexes dropped: {@code a.b[0].c} gives a, b, c. */
  private static List<String> segments(String key) {
    List<String> segments = new ArrayList<>();
    for (String part : key.split("\\.", -1)) {
      int bracket = part.indexOf('[');
      String name = bracket >= 0 ? part.substring(0, bracket) : part;
      if (!name.isEmpty()) {
        segments.add(name);
      }
    }
    return segments;
  }

  private static String last(String key) {
    List<String> segments = segments(key);
    return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
  }

  private static String text(String canonicalString) {
    try {
      return JSON.readTree(canonicalString).textValue();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a flattened value is not JSON", e);
    }
  }

  private static String quoted(String text) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
  }
}
