package org.plumbline.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.Tier;

/**
 * A deterministic world for the benchmark: the same seed and sizes always give the same
 * environments, blueprints, snapshots and dependency graph, so runs on different machines (and our
 * store and PostgreSQL in one run) see identical data.
 *
 * <p>Shape of the world: systems of four environments, one per tier; each system's bundle declares
 * between {@code keysMin} and {@code keysMax} keys. Each environment is observed over one year
 * ending at {@link #END}; every snapshot after the first changes a few of the environment's
 * volatile keys (a fresh value, or back to the blueprint's), and the world's changes add up to
 * exactly {@code changes}.
 */
public final class WorldGenerator {
  /** The instant the generated year ends; the benchmark's clock stands here. */
  public static final Instant END = Instant.parse("2026-11-20T00:00:00Z");

  static final Duration YEAR = Duration.ofDays(365);
  private static final Tier[] TIERS = {Tier.DEV, Tier.STAGING, Tier.PROD, Tier.REGULATED};
  private static final String[] PREFIXES = {
    "llm", "routing", "retry", "retrieval", "gpu", "flags", "network", "service", "cache", "batch"
  };
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private final BenchOptions options;

  public WorldGenerator(BenchOptions options) {
    this.options = options;
  }

  public int systems() {
    return (options.environments() + TIERS.length - 1) / TIERS.length;
  }

  /** The environments of system {@code s} (the last system may have fewer than four). */
  public List<String> environmentsOf(int s) {
    List<String> out = new ArrayList<>();
    for (int t = 0; t < TIERS.length; t++) {
      if (s * TIERS.length + t < options.environments()) {
        out.add(systemId(s) + "-" + TIERS[t].name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return out;
  }

  static String systemId(int s) {
    return String.format(java.util.Locale.ROOT, "sys-%04d", s);
  }

  /** How many keys system {@code s} declares. */
  int keyCount(int s) {
    SplittableRandom r = random(s, 1);
    return options.keysMin() + r.nextInt(options.keysMax() - options.keysMin() + 1);
  }

  /** The declared keys of system {@code s}, sorted, and their blueprint values. */
  TreeMap<String, String> declared(int s) {
    int n = keyCount(s);
    TreeMap<String, String> keys = new TreeMap<>();
    keys.put("model.version", "\"gpt-4o-2024-08-06\"");
    keys.put("prompt.system", "\"You are an assistant for system " + systemId(s) + ".\"");
    keys.put("guardrails.enabled", "true");
    keys.put("guardrails.toxicity.threshold", "0.8");
    keys.put("llm.temperature", "0.3");
    for (int i = 0; keys.size() < n; i++) {
      String prefix = PREFIXES[i % PREFIXES.length];
      keys.put(prefix + ".group" + (i / 100) + ".param" + i, value(i));
    }
    return keys;
  }

  private static String value(int i) {
    return switch (i % 4) {
      case 0 -> Integer.toString(i % 997);
      case 1 -> "\"value-" + i + "\"";
      case 2 -> (i % 3 == 0) ? "true" : "false";
      default -> "0." + (1 + i % 9);
    };
  }

  /** The blueprint of system {@code s}, as the JSON a loader job would post. */
  public byte[] blueprintJson(int s) {
    ObjectNode root = CANONICAL.createObjectNode();
    root.put("bundle", systemId(s));
    root.put("version", "1.0.0");
    ArrayNode envs = root.putArray("environments");
    List<String> ids = environmentsOf(s);
    for (int t = 0; t < ids.size(); t++) {
      ObjectNode e = envs.addObject();
      e.put("id", ids.get(t));
      e.put("tier", TIERS[t].name());
      e.put("owner", "team-" + (s % 37));
      e.put("system", systemId(s));
    }
    root.set("config", nest(declared(s)));
    ArrayNode deps = root.putArray("dependencies");
    deps.addObject().put("key", "llm.temperature").putArray("dependsOn").add("prompt.system");
    deps.addObject().put("key", "guardrails.*").putArray("dependsOn").add("model.version");
    root.putArray("ignore").add("runtime.*");
    return bytes(root);
  }

  /**
   * The snapshots of one environment in time order. The first matches the blueprint; each later one
   * changes some volatile keys, so that the environment's changes add up to {@link
   * #changesOf(int)}.
   */
  public List<Snapshot> snapshots(int envIndex) {
    int s = envIndex / TIERS.length;
    TreeMap<String, String> declared = declared(s);
    String[] keys = declared.keySet().toArray(new String[0]);
    String[] blueprintValues = declared.values().toArray(new String[0]);
    String[] current = Arrays.copyOf(blueprintValues, blueprintValues.length);
    SplittableRandom r = random(envIndex, 2);
    int volatileCount = Math.min(64, keys.length);
    int[] volatileKeys = r.ints(0, keys.length).distinct().limit(volatileCount).toArray();
    int total = changesOf(envIndex);
    int perSnapshot = Math.max(1, options.changesPerSnapshot());
    int count = 1 + (total + perSnapshot - 1) / perSnapshot;
    long[] seconds = r.longs(0, YEAR.toSeconds()).distinct().limit(count).sorted().toArray();
    String env = environmentName(envIndex);
    List<Snapshot> out = new ArrayList<>(count);
    int left = total;
    for (int i = 0; i < count; i++) {
      Instant at = END.minus(YEAR).plusSeconds(seconds[i]);
      if (i > 0) {
        int k = Math.min(left, perSnapshot);
        left -= k;
        int start = r.nextInt(volatileKeys.length);
        for (int j = 0; j < k; j++) {
          int key = volatileKeys[(start + j) % volatileKeys.length];
          boolean revert = !current[key].equals(blueprintValues[key]) && r.nextInt(10) < 3;
          current[key] = revert ? blueprintValues[key] : Long.toString(1000L * i + j);
        }
      }
      TreeMap<String, String> values = new TreeMap<>();
      for (int k = 0; k < keys.length; k++) {
        values.put(keys[k], current[k]);
      }
      out.add(snapshot(env, at, "collector/bench", new FlatConfig(values)));
    }
    return out;
  }

  /** How many changes environment {@code envIndex} contributes; the world's add up exactly. */
  public int changesOf(int envIndex) {
    long total = options.changes();
    int n = options.environments();
    return (int) (total / n + (envIndex < total % n ? 1 : 0));
  }

  public String environmentName(int envIndex) {
    return environmentsOf(envIndex / TIERS.length).get(envIndex % TIERS.length);
  }

  public Tier tierOf(int envIndex) {
    return TIERS[envIndex % TIERS.length];
  }

  // ---- W1: large snapshots over HTTP ----

  /** The W1 bundle: {@code environments} environments of {@code keys} keys each. */
  public byte[] ingestBlueprintJson(int environments, int keys) {
    ObjectNode root = CANONICAL.createObjectNode();
    root.put("bundle", "ingest");
    root.put("version", "1.0.0");
    ArrayNode envs = root.putArray("environments");
    for (int e = 0; e < environments; e++) {
      envs.addObject()
          .put("id", ingestEnvironment(e))
          .put("tier", TIERS[e % TIERS.length].name())
          .put("owner", "team-ingest")
          .put("system", "ingest");
    }
    root.set("config", nest(ingestValues(keys, 0)));
    root.putArray("dependencies");
    root.putArray("ignore");
    return bytes(root);
  }

  public static String ingestEnvironment(int e) {
    return String.format(java.util.Locale.ROOT, "ingest-%02d", e);
  }

  /**
   * Snapshot {@code n} (from 1) of W1 environment {@code e}: about 1 % of its keys differ from
   * snapshot {@code n - 1}, drawn from a volatile 2 % of the keys (so live drifts stay bounded, as
   * in a governed estate).
   */
  public byte[] ingestSnapshotJson(int e, int n, int keys) {
    TreeMap<String, String> values = ingestValues(keys, n);
    ObjectNode root = CANONICAL.createObjectNode();
    root.put("environment", ingestEnvironment(e));
    root.put("observedAt", END.minus(Duration.ofDays(30)).plusSeconds(60L * n).toString());
    root.put("source", "collector/bench");
    root.set("config", nest(values));
    return bytes(root);
  }

  /** Values of the W1 keys at step {@code n}: each step rewrites 1 % of all keys. */
  private static TreeMap<String, String> ingestValues(int keys, int n) {
    TreeMap<String, String> values = new TreeMap<>();
    for (int i = 0; i < keys; i++) {
      values.put(ingestKey(i), value(i));
    }
    if (n > 0) {
      // Each step's changes are a fresh value for keys [offset, offset + changed) of the volatile
      // 2 %, so consecutive snapshots differ in about 1 % of all keys.
      int volatileKeys = Math.max(1, keys / 50);
      int changed = Math.max(1, keys / 100);
      for (int step = 1; step <= n; step++) {
        int offset = (step * changed) % volatileKeys;
        for (int j = 0; j < changed; j++) {
          values.put(ingestKey((offset + j) % volatileKeys), Integer.toString(step * 10 + j));
        }
      }
    }
    return values;
  }

  private static String ingestKey(int i) {
    return String.format(
        java.util.Locale.ROOT, "%s.section%02d.param%04d", PREFIXES[i % 10], i / 100, i);
  }

  // ---- W4: the dependency graph ----

  /**
   * A bundle of {@code keys} keys with one dependency entry per key but the first: key {@code i}
   * depends on one or two earlier keys, which makes a layered graph whose dependents range from
   * none to most of the graph.
   */
  public byte[] dependencyBlueprintJson(int keys) {
    ObjectNode root = CANONICAL.createObjectNode();
    root.put("bundle", "depgraph");
    root.put("version", "1.0.0");
    root.putArray("environments")
        .addObject()
        .put("id", "depgraph-prod")
        .put("tier", "PROD")
        .put("owner", "team-platform")
        .put("system", "depgraph");
    TreeMap<String, String> values = new TreeMap<>();
    for (int i = 0; i < keys; i++) {
      values.put(dependencyKey(i), Integer.toString(i));
    }
    root.set("config", nest(values));
    ArrayNode deps = root.putArray("dependencies");
    for (Map.Entry<String, List<String>> e : dependencyEdges(keys).entrySet()) {
      ArrayNode on = deps.addObject().put("key", e.getKey()).putArray("dependsOn");
      e.getValue().forEach(on::add);
    }
    root.putArray("ignore");
    return bytes(root);
  }

  /** Key to the keys it depends on, the graph of {@link #dependencyBlueprintJson}. */
  public Map<String, List<String>> dependencyEdges(int keys) {
    SplittableRandom r = random(20_000, keys);
    Map<String, List<String>> edges = new LinkedHashMap<>();
    for (int i = 1; i < keys; i++) {
      List<String> on = new ArrayList<>(2);
      on.add(dependencyKey(r.nextInt(i / 2, i)));
      if (r.nextInt(8) == 0) {
        int second = r.nextInt(i);
        if (!on.contains(dependencyKey(second))) {
          on.add(dependencyKey(second));
        }
      }
      edges.put(dependencyKey(i), on);
    }
    return edges;
  }

  public static String dependencyKey(int i) {
    return String.format(java.util.Locale.ROOT, "dep.layer%02d.k%06d", Integer.bitCount(i), i);
  }

  // ---- shared ----

  private SplittableRandom random(int a, int b) {
    return new SplittableRandom(options.seed() * 1_000_003L + a * 7919L + b);
  }

  /** A flat key-to-canonical-JSON map as the nested object a loader would post. */
  static ObjectNode nest(Map<String, String> flat) {
    ObjectNode root = CANONICAL.createObjectNode();
    flat.forEach(
        (key, json) -> {
          String[] parts = key.split("\\.");
          ObjectNode at = root;
          for (int i = 0; i < parts.length - 1; i++) {
            ObjectNode next = (ObjectNode) at.get(parts[i]);
            if (next == null) {
              next = at.putObject(parts[i]);
            }
            at = next;
          }
          try {
            at.set(parts[parts.length - 1], CANONICAL.readTree(json));
          } catch (JsonProcessingException e) {
            throw new IllegalStateException("generated value is not JSON: " + json, e);
          }
        });
    return root;
  }

  /**
   * A snapshot record with the identity the snapshot parser would give the same observation: the
   * SHA-256 of the canonical JSON of environment, instant and flattened config.
   */
  static Snapshot snapshot(String env, Instant at, String source, FlatConfig config) {
    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put("environment", env);
    canonical.put("observedAt", at.toString());
    canonical.put("config", config.values());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(canonical));
      return new Snapshot(env, at, source, config, "sha256:" + HexFormat.of().formatHex(digest));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash a generated snapshot", e);
    }
  }

  private static byte[] bytes(ObjectNode root) {
    try {
      return CANONICAL.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write generated JSON", e);
    }
  }
}
