package org.plumbline.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.Snapshot;

/**
 * Secrets never leave a parser: one case per value shape and per key-name family, through the real
 * parsers of each format (native snapshot JSON, blueprint YAML, Kubernetes {@code env[].value},
 * LiteLLM {@code extra_headers}, Terraform {@code sensitive}).
 */
class SecretsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Secrets KEY =
      Secrets.withKey("secrets-test-hmac-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  private static final Secrets OTHER_KEY =
      Secrets.withKey("another-hmac-key-for-tests-0123456789ab".getBytes(StandardCharsets.UTF_8));
  private static final Instant AT = Instant.parse("2026-11-20T00:00:00Z");

  /** A credential of each shape, under a name that says nothing. */
  static List<String> shapes() {
    return List.of(
        "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXyZ0",
        "sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXyZ0",
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXyZ0abcd",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv",
        "xoxb-123456789012-abcdefABCDEF",
        "xoxp-123456789012-abcdefABCDEF",
        "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
        "glpat-Ab3dEf6hIj9kLm2nOp5q",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXRoYXQtaXMtbG9uZw",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----",
        "Bearer abcdef0123456789abcdef",
        "Basic " + java.util.Base64.getEncoder().encodeToString("alice:hunter2".getBytes()),
        "postgres://app:s3cr3t-pw@db.internal:5432/features",
        "--header=Authorization: x --key=sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wX");
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void aSecretShapeIsRedactedUnderAnyNameInASnapshot(String secret) {
    Snapshot s = snapshot(Map.of("llm", Map.of("setting", secret)));
    assertRedacted(s.config(), "llm.setting", secret);
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void aSecretShapeIsRedactedInABlueprint(String secret) throws Exception {
    String yaml =
        "bundle: b\nversion: 1.0.0\nenvironments: [{id: e, tier: DEV}]\nconfig:\n  llm:\n"
            + "    setting: "
            + JSON.writeValueAsString(secret)
            + "\n";
    Blueprint bp = new BlueprintParser(ParseLimits.DEFAULT, KEY).parse(bytes(yaml), "yaml");
    assertRedacted(bp.config(), "llm.setting", secret);
  }

  /** One name of each family the docs list, each holding a value that has no secret shape. */
  static List<String> names() {
    return List.of(
        "password",
        "db_password",
        "passwd",
        "passphrase",
        "secret",
        "client_secret",
        "token",
        "auth_token",
        "api_key",
        "apiKey",
        "api-key",
        "apikey",
        "x-api-key",
        "Authorization",
        "Proxy-Authorization",
        "private_key",
        "privateKey",
        "credentials",
        "connection_string",
        "ConnectionStrings",
        "sentry_dsn",
        "dsn",
        "database_url",
        "master_key",
        "cookie");
  }

  @ParameterizedTest
  @MethodSource("names")
  void aSecretNameIsRedactedInASnapshot(String name) {
    Snapshot s = snapshot(Map.of("svc", Map.of(name, "plain words 42")));
    assertRedacted(s.config(), "svc." + name, "plain words 42");
  }

  @ParameterizedTest
  @MethodSource("names")
  void aSecretNameIsRedactedInABlueprintOverride(String name) throws Exception {
    String yaml =
        "bundle: b\nversion: 1.0.0\nenvironments: [{id: e, tier: DEV}]\nconfig: {}\n"
            + "overrides:\n  e:\n    svc:\n      "
            + JSON.writeValueAsString(name)
            + ": plain words 42\n";
    Blueprint bp = new BlueprintParser(ParseLimits.DEFAULT, KEY).parse(bytes(yaml), "yaml");
    assertRedacted(bp.overrides().get("e"), "svc." + name, "plain words 42");
  }

  @Test
  void plainValuesAndNamesStay() {
    Map<String, Object> config =
        Map.of(
            "llm",
            Map.of(
                "max_tokens", 4096,
                "model", "gpt-4o",
                "cache_key", "by-user",
                "task", "risk-assessment-pipeline-v2-prod",
                "auth", Map.of("mode", "basic authentication"),
                "token_ttl", "PT1H",
                "api_key_header", "X-Api-Key",
                "password_min_length", 12,
                "api_key_ref", "os.environ/OPENAI_API_KEY",
                "dsn_env", "SENTRY_DSN"),
            "db",
            Map.of(
                "password", "${DB_PASSWORD}",
                "url", "postgres://app:${DB_PASSWORD}@db.internal/x",
                "require_password", true));
    Snapshot s = snapshot(config);
    assertFalse(
        s.config().values().values().stream().anyMatch(Secrets::isMarker), s.config().toString());
  }

  @Test
  void aNumberIsRedactedOnlyUnderItsOwnSecretName() {
    Snapshot s = snapshot(Map.of("db", Map.of("pin_password", 123456, "port", 5432)));
    assertRedacted(s.config(), "db.pin_password", "123456");
    assertEquals("5432", s.config().get("db.port"));
  }

  @Test
  void kubernetesEnvValueBesideASecretNameIsRedacted() {
    String yaml =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: scorer, namespace: credit}
        spec:
          template:
            spec:
              containers:
                - name: scorer
                  image: scorer:1.2
                  env:
                    - {name: DB_PASSWORD, value: "pl41n-v4lue"}
                    - {name: LOG_LEVEL, value: info}
                    - name: OPENAI_API_KEY
                      valueFrom: {secretKeyRef: {name: llm-keys, key: openai}}
        """;
    Snapshot s = load(yaml, Format.KUBERNETES);
    String prefix = "k8s.Deployment.credit.scorer.spec.template.spec.containers[0].env";
    assertRedacted(s.config(), prefix + "[0].value", "pl41n-v4lue");
    assertEquals("\"DB_PASSWORD\"", s.config().get(prefix + "[0].name"));
    assertEquals("\"info\"", s.config().get(prefix + "[1].value"));
    // a reference to a Secret names it, holds nothing: worth watching
    assertEquals("\"llm-keys\"", s.config().get(prefix + "[2].valueFrom.secretKeyRef.name"));
  }

  @Test
  void kubernetesSecretDataIsRedacted() {
    String yaml =
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: llm, namespace: credit}
        type: Opaque
        stringData: {endpoint_note: plain-text-here}
        """;
    Snapshot s = load(yaml, Format.KUBERNETES);
    assertRedacted(s.config(), "k8s.Secret.credit.llm.stringData.endpoint_note", "plain-text-here");
    assertEquals("\"Opaque\"", s.config().get("k8s.Secret.credit.llm.type"));
  }

  @Test
  void liteLlmExtraHeadersAreRedacted() {
    String yaml =
        """
        model_list:
          - model_name: gpt-4o
            litellm_params:
              model: openai/gpt-4o
              api_key: os.environ/OPENAI_API_KEY
              extra_headers:
                Authorization: "Bearer abcdef0123456789abcdef"
                X-Tenant: credit
                x-api-key: plain-header-value
        """;
    Snapshot s = load(yaml, Format.LITELLM);
    assertRedacted(
        s.config(),
        "models.gpt-4o[0].extra_headers.Authorization",
        "Bearer abcdef0123456789abcdef");
    assertRedacted(s.config(), "models.gpt-4o[0].extra_headers.x-api-key", "plain-header-value");
    assertEquals("\"credit\"", s.config().get("models.gpt-4o[0].extra_headers.X-Tenant"));
    assertEquals("\"os.environ/OPENAI_API_KEY\"", s.config().get("models.gpt-4o[0].api_key"));
  }

  @Test
  void terraformSensitiveValuesAreRedactedByTheirValue() {
    String state =
        """
        {"format_version": "1.0", "terraform_version": "1.9.0", "values": {"root_module": {
          "resources": [{"address": "random_string.suffix", "mode": "managed",
            "type": "random_string", "name": "suffix",
            "values": {"result": "plain-suffix-1", "length": 8},
            "sensitive_values": {"result": true}}]}}}
        """;
    Snapshot s = load(state, Format.TERRAFORM);
    assertRedacted(s.config(), "terraform.random_string.suffix.result", "plain-suffix-1");
    assertEquals("8", s.config().get("terraform.random_string.suffix.length"));
  }

  @Test
  void equalSecretsCompareEqualAndAChangedOneDiffers() {
    Snapshot a = snapshot(Map.of("db", Map.of("password", "one")));
    Snapshot b = snapshot(Map.of("db", Map.of("password", "one")));
    Snapshot c = snapshot(Map.of("db", Map.of("password", "two")));
    assertEquals(a.config().get("db.password"), b.config().get("db.password"));
    assertEquals(a.contentHash(), b.contentHash());
    assertNotEquals(a.config().get("db.password"), c.config().get("db.password"));
    // a blueprint that declares the secret compares by the same marker
    Blueprint bp =
        new BlueprintParser(ParseLimits.DEFAULT, KEY)
            .parse(
                bytes(
                    "bundle: b\nversion: 1.0.0\nenvironments: [{id: e, tier: DEV}]\n"
                        + "config: {db: {password: one}}\n"),
                "yaml");
    assertEquals(a.config().get("db.password"), bp.expectedFor("e").get("db.password"));
  }

  @Test
  void theMarkerDependsOnTheKey() {
    assertNotEquals(KEY.marker("one"), OTHER_KEY.marker("one"));
    assertTrue(Secrets.isMarker(KEY.marker("one")));
    assertTrue(KEY.marker("one").matches("secret:hmac-sha256:[0-9a-f]{16}"));
  }

  @Test
  void redactionIsIdempotentSoAJournalReplaysTheSameSnapshot() {
    Snapshot once = snapshot(Map.of("db", Map.of("password", "one", "host", "db")));
    Snapshot again =
        new SnapshotParser(ParseLimits.DEFAULT, OTHER_KEY)
            .parse(bytes(SnapshotParser.toJson(once)));
    assertEquals(once.contentHash(), again.contentHash());
    assertSame(once.config(), KEY.redact(once.config()));
  }

  @Test
  void aBlueprintJournaledAsJsonParsesToTheSameBlueprint() {
    String yaml =
        """
        bundle: credit
        version: 1.2.0
        environments:
          - {id: prod, tier: PROD, owner: team, ttl: P14D}
          - {id: dev, name: Dev, tier: DEV}
        validated: {at: "2026-01-01T00:00:00Z", by: mr, evidence: doc}
        config: {db: {password: one, pool: [1, 2.50]}, empty: {}, list: []}
        overrides: {dev: {db: {host: dev-db}}}
        dependencies: [{key: db.pool, dependsOn: [db.host]}]
        ignore: ["tmp.*"]
        """;
    BlueprintParser parser = new BlueprintParser(ParseLimits.DEFAULT, KEY);
    Blueprint bp = parser.parse(bytes(yaml), "yaml");
    Blueprint back = parser.parse(bytes(BlueprintParser.toJson(bp)), "json");
    assertEquals(bp, back);
    assertFalse(BlueprintParser.toJson(bp).contains("one\""));
  }

  @Test
  void withoutAKeyValuesTravelToTheServerWhichRedactsThem() {
    String state =
        """
        {"format_version": "1.0", "values": {"root_module": {"resources": [{
          "address": "random_string.suffix", "mode": "managed", "type": "random_string",
          "name": "suffix", "values": {"result": "plain-suffix-1"},
          "sensitive_values": {"result": true}}]}}}
        """;
    Snapshot sent =
        ((Loaded.SnapshotsLoaded)
                new DocumentLoader(ParseLimits.DEFAULT, Secrets.inTransit())
                    .load(bytes(state), Format.TERRAFORM, context()))
            .snapshots()
            .get(0);
    Snapshot stored =
        new SnapshotParser(ParseLimits.DEFAULT, KEY).parse(bytes(SnapshotParser.toJson(sent)));
    assertRedacted(stored.config(), "terraform.random_string.suffix.result", "plain-suffix-1");
    // the same file loaded with the key (load --data) stores the same snapshot
    assertEquals(stored.config(), load(state, Format.TERRAFORM).config());
  }

  @Test
  void aShortKeyIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Secrets.withKey(new byte[16]));
    assertThrows(IllegalStateException.class, () -> Secrets.inTransit().marker("x"));
  }

  private static void assertRedacted(FlatConfig config, String key, String secret) {
    String value = config.get(key);
    assertEquals(
        '"' + KEY.marker(secret) + '"', value, () -> key + " in " + config.values().keySet());
    for (String v : config.values().values()) {
      assertFalse(v.contains(secret.replace("\n", "\\n")), v);
    }
  }

  private static Snapshot snapshot(Map<String, Object> config) {
    ObjectNode root = JSON.createObjectNode();
    root.put("environment", "e");
    root.put("observedAt", AT.toString());
    root.set("config", JSON.valueToTree(config));
    return new SnapshotParser(ParseLimits.DEFAULT, KEY).parse(bytes(root.toString()));
  }

  private static Snapshot load(String content, Format format) {
    Loaded loaded =
        new DocumentLoader(ParseLimits.DEFAULT, KEY).load(bytes(content), format, context());
    return ((Loaded.SnapshotsLoaded) loaded).snapshots().get(0);
  }

  private static LoadContext context() {
    return LoadContext.fallingBackTo(AT).withEnvironment("e");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
