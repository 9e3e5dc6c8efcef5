package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.loaders.ChangeRequestParser;
import org.plumbline.server.config.ServerConfig;

/**
 * Issue 9 point 3: a corpus of malformed and hostile requests against every ingest endpoint, the
 * audit endpoints and {@code /graphql}. Most of it is generated here from a fixed seed; the
 * hand-written cases are the files under {@code src/test/resources/hostile/}, named {@code
 * STATUS-CODE--what.ext} (or {@code 4xx--what.ext} when any coded 4xx will do).
 *
 * <p>Every refused case must be answered with a 4xx and a coded error in under 2 seconds, never a
 * 5xx. "Harmless" cases are well-formed GraphQL requests that carry hostile strings as arguments:
 * they must answer 200 with every error coded. Afterwards the server is still up and the store is
 * unchanged: the audit count, the ledger root and the answers to the dashboard's queries hash to
 * the same digest as before.
 */
class HostileInputTest {
  private static final long SEED = Long.getLong("plumbline.hostile.seed", 20261121L);
  private static final long LIMIT_MILLIS = 2_000;

  /** What a case must get. status 0: any 4xx; code null: any code. */
  record Expect(boolean harmless, int status, String code) {
    static Expect refused() {
      return new Expect(false, 0, null);
    }

    static Expect refused(int status, String code) {
      return new Expect(false, status, code);
    }

    static Expect innocuous() {
      return new Expect(true, 200, null);
    }

    /** Valid but odd GraphQL: either a harmless 200 or a coded 4xx will do. */
    static Expect either() {
      return new Expect(true, -1, null);
    }
  }

  record Case(String name, String method, String path, String type, byte[] body, Expect expect) {
    static Case post(String name, String path, String type, String body, Expect expect) {
      return new Case(name, "POST", path, type, body.getBytes(StandardCharsets.UTF_8), expect);
    }
  }

  static final List<String> INJECTIONS =
      List.of(
          // SPARQL and RDF
          "x\" } ; DROP ALL ; #",
          "<http://evil.example/> ?p ?o",
          "x> <urn:y> <urn:z> .",
          "' UNION { ?s ?p ?o } #",
          "urn:plumbline:environment:credit-model-prod",
          // HTML and script
          "<script>alert(1)</script>",
          "\"><img src=x onerror=alert(1)>",
          "javascript:alert(1)",
          // CSV formulas
          "=cmd|' /C calc'!A0",
          "+SUM(1,1)",
          "-2+3",
          "@SUM(A1)",
          "\t=1+1",
          // logs and lookups
          "x\r\nINFO forged log line",
          "x\n[ERROR] forged",
          "${jndi:ldap://127.0.0.1:1/a}",
          "%0d%0aSet-Cookie: a=b",
          // paths
          "../../etc/passwd",
          "..\\..\\windows\\win.ini",
          "%2e%2e%2f%2e%2e%2f",
          "credit-model-prod/../credit-model-dev",
          "file:///etc/passwd",
          // SQL, format strings
          "'; DROP TABLE environments; --",
          "1 OR 1=1",
          "%s%s%s%n",
          "{0}{1}",
          // unicode tricks: lookalikes of a real id must never match it
          "credit-model-prod\u200b",
          "credit\u2010model-prod",
          "\uff43redit-model-prod",
          "credit-model-prod\u0000",
          "\u202ecredit-model-prod",
          "CREDIT-MODEL-PROD",
          "credit-model-prod\u0301",
          "credit-model-prod ",
          "\ud800",
          "\ud83d\udca3",
          // sizes and blanks
          "a".repeat(10_000),
          " ",
          "\t");

  /** Found by this corpus: a drifted key that vanished from the next snapshot answered 500. */
  @Test
  void aDriftedKeyThatVanishesIsADriftToNullNotAServerError(@TempDir Path data) throws Exception {
    try (SecurityWorld world = new SecurityWorld(data, c -> c)) {
      HttpResponse<String> r =
          world.send(
              "POST",
              "/api/v1/snapshots",
              "loader",
              "application/json",
              snapshot(
                  q("credit-model-prod"),
                  q("2026-11-10T10:00:00Z"),
                  q("collector/k8s"),
                  "{\"llm\":{\"temperature\":0.9}}"));
      assertEquals(201, r.statusCode(), r.body());
      JsonNode drifts =
          world.graphql("viewer", "{ drifts(environment: \"credit-model-prod\") { key actual } }");
      assertTrue(
          drifts.toString().contains("{\"key\":\"model.version\",\"actual\":null}"),
          drifts.toString());
    }
  }

  /**
   * Found merging change requests: their keys are globs, which were matched as regular expressions;
   * one with many stars backtracked for hours on a key it does not match, holding the write lock. A
   * loader's request and snapshot must both be answered at once.
   */
  @Test
  void aChangeRequestGlobWithManyStarsCostsNothing(@TempDir Path data) throws Exception {
    try (SecurityWorld world = new SecurityWorld(data, c -> c)) {
      HttpResponse<String> cr =
          world.send(
              "POST",
              "/api/v1/change-requests",
              "loader",
              "application/json",
              "["
                  + changeRequest(
                      q("CHG-GLOB-BOMB"),
                      q("credit-model-prod"),
                      "[" + q("*a".repeat(40) + "b") + "]",
                      q("2026-11-09T00:00:00Z"),
                      q("2026-11-11T00:00:00Z"),
                      q("cab"))
                  + "]");
      assertEquals(201, cr.statusCode(), cr.body());
      HttpResponse<String> r =
          world.send(
              "POST",
              "/api/v1/snapshots",
              "loader",
              "application/json",
              snapshot(
                  q("credit-model-prod"),
                  q("2026-11-10T10:00:00Z"),
                  q("collector/k8s"),
                  "{\"llm\":{\"temperature\":0.3,\"" + "a".repeat(5_000) + "\":1}}"));
      assertEquals(201, r.statusCode(), r.body());
      JsonNode drifts =
          world.graphql(
              "viewer",
              "{ drifts(environment: \"credit-model-prod\") { key assessment { changeRequests }"
                  + " } }");
      assertTrue(drifts.toString().contains("\"llm.aaaa"), drifts.toString());
      assertTrue(!drifts.toString().contains("CHG-GLOB-BOMB"), drifts.toString());
    }
  }

  @Test
  void everyHostileRequestIsRefusedFastWithACodeAndChangesNothing(@TempDir Path data)
      throws Exception {
    try (SecurityWorld world = new SecurityWorld(data, HostileInputTest::corpusLimits)) {
      runCorpus(world, LIMIT_MILLIS);
    }
  }

  /**
   * The same corpus against a server on a shared store (issue 22): Apache Jena Fuseki on TDB2, as
   * {@code plumbline store-server} starts it. Every refusal comes before the store is asked, and
   * the hostile strings that reach it as arguments are read as data, never as SPARQL.
   */
  @Test
  void everyHostileRequestIsRefusedOnASharedStoreToo(@TempDir Path dir) throws Exception {
    try (org.plumbline.server.cli.StoreServer store =
        org.plumbline.server.cli.StoreServer.start(dir.resolve("store"), 0, true, null)) {
      Path key = dir.resolve("shared.key");
      java.nio.file.Files.writeString(key, "0123456789abcdef".repeat(4) + "\n");
      try (SecurityWorld world =
          new SecurityWorld(
              dir.resolve("data"),
              c ->
                  corpusLimits(c)
                      .withStore(org.plumbline.ontology.SparqlEndpoint.open(store.url()))
                      .withHmacKey(key))) {
        runCorpus(world, SHARED_LIMIT_MILLIS);
      }
    }
  }

  /**
   * No rate limits, and no scheduler tick while the corpus runs: a tick would open the
   * stale-observation finding of the world's environment (its last snapshot is 16 days old), a
   * change the test would blame on the corpus.
   */
  static ServerConfig corpusLimits(ServerConfig c) {
    return c.withSchedulerInterval(java.time.Duration.ofDays(1))
        .withRateLimits(
            new ServerConfig.RateLimits(
                false, ServerConfig.RateLimits.DEFAULT.defaultLimit(), Map.of()))
        .withBodyLimitBytes(4L * 1024 * 1024);
  }

  /**
   * Every case is sent to the server on TDB2 and on a shared store alike; a case that reaches the
   * store may take one remote round trip per node it reads, so the bound is {@value
   * #SHARED_LIMIT_MILLIS} ms there.
   */
  static final long SHARED_LIMIT_MILLIS = 10_000;

  /** Sends every case of the corpus; each must be answered within the limit. */
  static void runCorpus(SecurityWorld world, long limitMillis) throws Exception {
    List<Case> cases = new ArrayList<>();
    Random random = new Random(SEED);
    cases.addAll(snapshots(random));
    cases.addAll(blueprints(random));
    cases.addAll(changeRequests(random));
    cases.addAll(prompts(random));
    cases.addAll(metrics(random));
    cases.addAll(graphql(random));
    cases.addAll(restReads());
    cases.addAll(handWritten(Path.of("src/test/resources/hostile")));
    long refused = cases.stream().filter(c -> !c.expect().harmless()).count();
    assertTrue(refused >= 500, "only " + refused + " refused cases");

    long corpusStart = System.nanoTime();
    List<String> before = world.storeAnswers();
    List<String> failures = new ArrayList<>();
    long slowest = 0;
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      String auth =
          "Bearer "
              + SecurityWorld.TOKENS.get(
                  c.path().startsWith("/api/v1/audit")
                          || c.path().startsWith("/api/v1/environments")
                      ? "auditor"
                      : "admin");
      long start = System.nanoTime();
      HttpResponse<String> r;
      try {
        r = world.sendBytes(c.method(), c.path(), auth, c.type(), c.body());
      } catch (java.io.IOException e) {
        failures.add(c.name() + ": no answer: " + e);
        continue;
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      slowest = Math.max(slowest, millis);
      String problem = check(c, r, millis, limitMillis);
      if (problem != null) {
        failures.add(c.name() + ": " + problem);
      }
      if (i % 100 == 0) {
        assertEquals(200, world.send("GET", "/health", null, null, null).statusCode());
      }
    }
    assertTrue(
        failures.isEmpty(),
        failures.size()
            + " of "
            + cases.size()
            + " cases failed:\n"
            + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
    assertEquals(200, world.send("GET", "/health", null, null, null).statusCode());
    List<String> after = world.storeAnswers();
    for (int i = 0; i < before.size(); i++) {
      assertEquals(before.get(i), after.get(i), "the hostile corpus changed the store");
    }
    System.out.printf(
        "hostile corpus: %d cases (%d refused, %d harmless) in %d ms, slowest %d ms%n",
        cases.size(),
        refused,
        cases.size() - refused,
        (System.nanoTime() - corpusStart) / 1_000_000,
        slowest);
  }

  /** Null when the answer is right, else what is wrong with it. */
  static String check(Case c, HttpResponse<String> r, long millis, long limitMillis) {
    String head = r.statusCode() + " " + r.body().substring(0, Math.min(300, r.body().length()));
    if (millis >= limitMillis) {
      return "took " + millis + " ms: " + head;
    }
    if (r.statusCode() >= 500) {
      return "server error " + head;
    }
    JsonNode body;
    try {
      body = SecurityWorld.JSON.readTree(r.body());
    } catch (IOException e) {
      return "body is not JSON: " + head;
    }
    if (c.expect().harmless() && (c.expect().status() != -1 || r.statusCode() == 200)) {
      if (r.statusCode() != 200 || !body.has("data")) {
        return "expected 200 with data, got " + head;
      }
      for (JsonNode e : body.path("errors")) {
        if (e.path("extensions").path("code").asText("").isEmpty()) {
          return "an error without a code: " + head;
        }
      }
      return null;
    }
    if (r.statusCode() < 400 || r.statusCode() >= 500) {
      return "expected a 4xx, got " + head;
    }
    if (c.expect().status() > 0 && c.expect().status() != r.statusCode()) {
      return "expected " + c.expect().status() + ", got " + head;
    }
    String code =
        body.has("error")
            ? body.path("error").path("code").asText("")
            : body.path("errors").path(0).path("extensions").path("code").asText("");
    if (code.isEmpty()) {
      return "no error code: " + head;
    }
    if (c.expect().code() != null && !c.expect().code().equals(code)) {
      return "expected code " + c.expect().code() + ", got " + head;
    }
    return null;
  }

  // ---- snapshots ----

  static String snapshot(String env, String at, String source, String config) {
    return "{\"environment\":"
        + env
        + ",\"observedAt\":"
        + at
        + ",\"source\":"
        + source
        + ",\"config\":"
        + config
        + "}";
  }

  static String q(String s) {
    try {
      return SecurityWorld.JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The base of the mutated snapshots. Its environment is declared by no blueprint: parsing comes
   * first, so every mutation still tests the parser, and a mutation that happens to stay valid is
   * refused with 404 instead of being stored.
   */
  static final String VALID_SNAPSHOT =
      snapshot(
          q("hostile-nowhere"),
          q("2026-11-10T10:00:00Z"),
          q("collector/k8s"),
          "{\"llm\":{\"temperature\":0.9},\"model\":{\"version\":\"gpt-4o-2024-08-06\"}}");

  /**
   * A document broken two ways, {@code n} times each: cut short (refused as INVALID_JSON), and with
   * a pair of structural or control characters slipped in (refused with some code).
   */
  static List<Case> brokenJson(String what, String path, String base, int n, Random random) {
    List<Case> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int cut = 1 + random.nextInt(base.length() - 2);
      out.add(
          Case.post(
              what + " truncated at " + cut,
              path,
              "application/json",
              base.substring(0, cut),
              Expect.refused(400, "INVALID_JSON")));
    }
    String garbage = "{}[]\":,\\\u0000\u007f'`!&*|#";
    for (int i = 0; i < n; i++) {
      int at = 1 + random.nextInt(base.length() - 2);
      char g = garbage.charAt(random.nextInt(garbage.length()));
      String body = base.substring(0, at) + g + g + base.substring(at);
      out.add(
          Case.post(
              what + " with garbage at " + at, path, "application/json", body, Expect.refused()));
    }
    return out;
  }

  static List<Case> snapshots(Random random) {
    List<Case> out = new ArrayList<>();
    String path = "/api/v1/snapshots";
    String json = "application/json";
    out.addAll(brokenJson("snapshot", path, VALID_SNAPSHOT, 30, random));
    List<String> wrong = List.of("123", "true", "null", "[]", "{}", "1.5", "\"\"", "[\"a\"]");
    String[] fields = {"environment", "observedAt", "source", "config"};
    for (String field : fields) {
      for (String w : wrong) {
        if (field.equals("config") && w.equals("{}")) {
          continue; // an empty config is a valid (if odd) observation
        }
        if (field.equals("source") && w.equals("null")) {
          continue; // source is optional
        }
        String body =
            snapshot(
                field.equals("environment") ? w : q("credit-model-prod"),
                field.equals("observedAt") ? w : q("2026-11-10T10:00:00Z"),
                field.equals("source") ? w : q("collector/k8s"),
                field.equals("config") ? w : "{\"llm\":{\"temperature\":0.9}}");
        out.add(
            Case.post(
                "snapshot " + field + " = " + w,
                path,
                json,
                body,
                Expect.refused(400, "INVALID_SNAPSHOT")));
      }
    }
    for (String number :
        List.of("1" + "0".repeat(1_500), "0." + "1".repeat(1_500), "-" + "9".repeat(5_000))) {
      out.add(
          Case.post(
              "snapshot number of " + number.length() + " digits",
              path,
              json,
              snapshot(
                  q("credit-model-prod"),
                  q("2026-11-10T10:00:00Z"),
                  q("x"),
                  "{\"n\":" + number + "}"),
              Expect.refused(400, "INVALID_JSON")));
    }
    out.add(
        Case.post(
            "snapshot source of 1.5 MiB",
            path,
            json,
            snapshot(
                q("credit-model-prod"), q("2026-11-10T10:00:00Z"), q("s".repeat(1_500_000)), "{}"),
            Expect.refused(400, "INVALID_JSON")));
    out.add(
        Case.post(
            "snapshot body of 5 MiB",
            path,
            json,
            snapshot(
                q("credit-model-prod"),
                q("2026-11-10T10:00:00Z"),
                q("x"),
                "{\"a\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}"),
            Expect.refused(413, "PAYLOAD_TOO_LARGE")));
    for (int depth : new int[] {65, 100, 1_000, 100_000}) {
      out.add(
          Case.post(
              "snapshot config nested " + depth,
              path,
              json,
              snapshot(
                  q("credit-model-prod"),
                  q("2026-11-10T10:00:00Z"),
                  q("x"),
                  "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)),
              Expect.refused(400, "INVALID_JSON")));
      out.add(
          Case.post(
              "snapshot arrays nested " + depth,
              path,
              json,
              snapshot(
                  q("credit-model-prod"),
                  q("2026-11-10T10:00:00Z"),
                  q("x"),
                  "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}"),
              Expect.refused(400, "INVALID_JSON")));
    }
    out.add(
        Case.post(
            "snapshot duplicate environment",
            path,
            json,
            "{\"environment\":\"credit-model-prod\",\"environment\":\"credit-model-dev\","
                + "\"observedAt\":\"2026-11-10T10:00:00Z\",\"config\":{}}",
            Expect.refused(400, "INVALID_JSON")));
    out.add(
        Case.post(
            "snapshot duplicate config key",
            path,
            json,
            snapshot(
                q("credit-model-prod"),
                q("2026-11-10T10:00:00Z"),
                q("x"),
                "{\"llm\":{\"temperature\":0.3,\"temperature\":0.9}}"),
            Expect.refused(400, "INVALID_JSON")));
    for (String date :
        List.of(
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-11-20T25:00:00Z",
            "2026-11-20T10:61:00Z",
            "0000-00-00T00:00:00Z",
            "2026-11-20",
            "2026-11-20T10:00:00",
            "20261120T100000Z",
            "yesterday",
            "now",
            "",
            " ",
            "2026-11-20 10:00:00Z",
            "2026-11-20T10:00:00+25:00",
            "2026-11-20T10:00:00Z[Not/AZone]",
            "+999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "2026-11-20T10:00:00.1234567891Z",
            "\u0032\u0030\u0032\u0036-11-20T10:00:00\uff3a",
            "2026-11-20T10:00:00Z\u0000")) {
      out.add(
          Case.post(
              "snapshot observedAt '" + date + "'",
              path,
              json,
              snapshot(q("credit-model-prod"), q(date), q("x"), "{}"),
              Expect.refused(400, "INVALID_SNAPSHOT")));
    }
    for (String future :
        List.of("2026-11-23T00:00:00Z", "2099-01-01T00:00:00Z", "9999-12-31T23:59:59Z")) {
      out.add(
          Case.post(
              "snapshot from the future " + future,
              path,
              json,
              snapshot(q("credit-model-prod"), q(future), q("x"), "{}"),
              Expect.refused(400, "SNAPSHOT_FROM_THE_FUTURE")));
    }
    for (String number : List.of("1732060800", "1.7e9", "-1")) {
      out.add(
          Case.post(
              "snapshot observedAt number " + number,
              path,
              json,
              snapshot(q("credit-model-prod"), number, q("x"), "{}"),
              Expect.refused(400, "INVALID_SNAPSHOT")));
    }
    for (String inj : INJECTIONS) {
      out.add(
          Case.post(
              "snapshot environment " + printable(inj),
              path,
              json,
              snapshot(q(inj), q("2026-11-10T10:00:00Z"), q("x"), "{\"a\":1}"),
              Expect.refused()));
    }
    for (String body :
        List.of(
            "[]",
            "\"snapshot\"",
            "42",
            "null",
            "true",
            "[" + VALID_SNAPSHOT + "]",
            VALID_SNAPSHOT + VALID_SNAPSHOT,
            VALID_SNAPSHOT + " x",
            "{}",
            "\ufeff" + VALID_SNAPSHOT.replace("credit-model-prod", "nowhere"))) {
      out.add(Case.post("snapshot body " + printable(body), path, json, body, Expect.refused()));
    }
    out.add(
        Case.post(
            "snapshot unknown member",
            path,
            json,
            VALID_SNAPSHOT.replace("{\"environment\"", "{\"admin\":true,\"environment\""),
            Expect.refused(400, "INVALID_SNAPSHOT")));
    out.add(new Case("snapshot empty body", "POST", path, json, new byte[0], Expect.refused()));
    out.add(
        new Case(
            "snapshot invalid UTF-8",
            "POST",
            path,
            json,
            new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
            Expect.refused()));
    out.add(
        new Case(
            "snapshot UTF-16",
            "POST",
            path,
            json,
            VALID_SNAPSHOT
                .replace("credit-model-prod", "nowhere")
                .getBytes(StandardCharsets.UTF_16),
            Expect.refused()));
    return out;
  }

  // ---- blueprints ----

  static String blueprint(String bundle, String version, String envId, String tier, String extra) {
    return "bundle: "
        + bundle
        + "\nversion: "
        + version
        + "\nenvironments:\n  - id: "
        + envId
        + "\n    tier: "
        + tier
        + "\n    owner: team-x\n    system: x\nconfig:\n  llm: { temperature: 0.3 }\n"
        + extra;
  }

  static final String VALID_BLUEPRINT =
      blueprint("hostile-bundle", "1.0.0", "hostile-env", "DEV", "");

  static List<Case> blueprints(Random random) {
    List<Case> out = new ArrayList<>();
    String path = "/api/v1/blueprints";
    String yaml = "application/yaml";
    String json = "application/json";
    for (int i = 0; i < 25; i++) {
      // Cut inside the environments list or the config, where a truncation breaks the document.
      int cut = 30 + random.nextInt(VALID_BLUEPRINT.length() - 32);
      String body = VALID_BLUEPRINT.substring(0, cut) + "\n  - [ { \"";
      out.add(Case.post("blueprint broken YAML at " + cut, path, yaml, body, Expect.refused()));
    }
    for (String broken :
        List.of(
            "bundle: [",
            "bundle: x\n version: 1.0.0\n  environments: []",
            "bundle: x\n\tversion: 1.0.0",
            "{ bundle: x",
            "- - - -",
            "bundle: 'unterminated",
            "bundle: \"\\xZZ\"",
            ": : :",
            "%YAML 9.9\n---\nbundle: x",
            "bundle: x\n...\n---\nbundle: y")) {
      out.add(
          Case.post("blueprint YAML " + printable(broken), path, yaml, broken, Expect.refused()));
    }
    for (String tag :
        List.of(
            "!!java.net.URL [\"http://127.0.0.1:1/\"]",
            "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL"
                + " [\"http://127.0.0.1:1/\"]]]]",
            "!!com.sun.rowset.JdbcRowSetImpl { dataSourceName: 'ldap://127.0.0.1:1/a' }",
            "!custom 1",
            "!!binary aGVsbG8=",
            "!!set { a, b }",
            "!!omap [ a: 1 ]",
            "!!python/object/apply:os.system ['id']",
            "!<tag:yaml.org,2002:java.lang.Runtime> x",
            "!!float 0.3")) {
      out.add(
          Case.post(
              "blueprint tag " + tag.substring(0, Math.min(30, tag.length())),
              path,
              yaml,
              VALID_BLUEPRINT.replace("{ temperature: 0.3 }", "{ temperature: " + tag + " }"),
              Expect.refused(400, null)));
    }
    out.add(
        Case.post(
            "blueprint anchors and aliases",
            path,
            yaml,
            VALID_BLUEPRINT.replace(
                "config:\n  llm: { temperature: 0.3 }", "base: &b { t: 1 }\nconfig:\n  llm: *b"),
            Expect.refused(400, null)));
    out.add(
        Case.post(
            "blueprint merge key",
            path,
            yaml,
            VALID_BLUEPRINT.replace(
                "config:\n  llm: { temperature: 0.3 }",
                "config:\n  base: &b { t: 1 }\n  llm: { <<: *b, temperature: 0.3 }"),
            Expect.refused(400, null)));
    StringBuilder laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      laughs.append(c).append(": &").append(c).append(" [*").append(p);
      laughs.append(",*").append(p).append(",*").append(p).append(",*").append(p).append("]\n");
    }
    out.add(
        Case.post(
            "blueprint billion laughs", path, yaml, laughs.toString(), Expect.refused(400, null)));
    for (String[] wrong :
        new String[][] {
          {"bundle", "123"},
          {"bundle", "[a, b]"},
          {"bundle", "{ a: 1 }"},
          {"bundle", "null"},
          {"bundle", "''"},
          {"version", "[1]"},
          {"version", "1.0"},
          {"version", "v1.0.0"},
          {"version", "01.0.0"},
          {"version", "1.0.0-"},
          {"version", "99999999999999999999999.0.0"},
          {"version", "1.0.0+" + "b".repeat(300)},
          {"tier", "PRODUCTION"},
          {"tier", "prod"},
          {"tier", "Regulated"},
          {"tier", "'REGULATED '"},
          {"tier", "5"},
          {"tier", "[DEV]"},
          {"tier", "null"},
          {"tier", "DEV\u200b"},
        }) {
      String body =
          blueprint(
              wrong[0].equals("bundle") ? wrong[1] : "hostile-bundle",
              wrong[0].equals("version") ? wrong[1] : "1.0.0",
              "hostile-env",
              wrong[0].equals("tier") ? wrong[1] : "DEV",
              "");
      out.add(
          Case.post(
              "blueprint " + wrong[0] + " = " + printable(wrong[1]),
              path,
              yaml,
              body,
              Expect.refused(400, null)));
    }
    for (String ttl :
        List.of("P", "14D", "PT-1H", "-P1D", "P1000000000000D", "forever", "[P1D]", "0")) {
      out.add(
          Case.post(
              "blueprint ttl " + ttl,
              path,
              yaml,
              VALID_BLUEPRINT.replace(
                  "    owner: team-x", "    ttl: " + ttl + "\n    owner: team-x"),
              Expect.refused(400, null)));
    }
    for (String at : List.of("yesterday", "2026-02-30T00:00:00Z", "2026-11-20", "[1]")) {
      out.add(
          Case.post(
              "blueprint validated.at " + at,
              path,
              yaml,
              VALID_BLUEPRINT + "validated: { at: " + at + ", by: x, evidence: y }\n",
              Expect.refused(400, null)));
    }
    for (String inj : INJECTIONS) {
      if (inj.matches("[A-Za-z0-9._-]{1,128}")) {
        continue; // a valid id (CREDIT-MODEL-PROD) would rightly be stored
      }
      out.add(
          Case.post(
              "blueprint bundle " + printable(inj),
              path,
              json,
              blueprintJson(inj, "hostile-env"),
              Expect.refused(400, "INVALID_BLUEPRINT")));
      out.add(
          Case.post(
              "blueprint environment id " + printable(inj),
              path,
              json,
              blueprintJson("hostile-bundle", inj),
              Expect.refused(400, "INVALID_BLUEPRINT")));
    }
    out.add(
        Case.post(
            "blueprint id of 200 characters",
            path,
            json,
            blueprintJson("b".repeat(200), "hostile-env"),
            Expect.refused(400, "INVALID_BLUEPRINT")));
    for (int depth : new int[] {65, 500, 50_000}) {
      out.add(
          Case.post(
              "blueprint YAML nested " + depth,
              path,
              yaml,
              VALID_BLUEPRINT.replace(
                  "{ temperature: 0.3 }", "{a: ".repeat(depth) + "1" + "}".repeat(depth)),
              Expect.refused(400, null)));
      out.add(
          Case.post(
              "blueprint JSON nested " + depth,
              path,
              json,
              blueprintJson("hostile-bundle", "hostile-env")
                  .replace("{\"temperature\":0.3}", "[".repeat(depth) + "]".repeat(depth)),
              Expect.refused(400, "INVALID_JSON")));
    }
    out.add(
        Case.post(
            "blueprint YAML duplicate key",
            path,
            yaml,
            VALID_BLUEPRINT + "bundle: other\n",
            Expect.refused(400, "INVALID_YAML")));
    out.add(
        Case.post(
            "blueprint JSON duplicate key",
            path,
            json,
            blueprintJson("hostile-bundle", "hostile-env")
                .replace("{\"bundle\"", "{\"version\":\"2.0.0\",\"bundle\""),
            Expect.refused(400, "INVALID_JSON")));
    out.add(
        Case.post(
            "blueprint unknown content type",
            path,
            "application/xml",
            "<blueprint/>",
            Expect.refused(400, null)));
    out.add(
        Case.post(
            "blueprint stored version with other content",
            path,
            "application/yaml",
            EndToEndTest.BLUEPRINT.replace("temperature: 0.3", "temperature: 0.4"),
            Expect.refused(409, "BLUEPRINT_CONFLICT")));
    out.add(
        Case.post(
            "blueprint claiming another bundle's environment",
            path,
            yaml,
            blueprint("thief", "1.0.0", "credit-model-prod", "DEV", ""),
            Expect.refused(409, "ENVIRONMENT_CONFLICT")));
    return out;
  }

  // ---- change requests ----

  static String changeRequest(
      String id, String env, String keys, String from, String until, String approvedBy) {
    return "{\"id\":"
        + id
        + ",\"environment\":"
        + env
        + ",\"keys\":"
        + keys
        + ",\"from\":"
        + from
        + ",\"until\":"
        + until
        + ",\"approvedBy\":"
        + approvedBy
        + "}";
  }

  /**
   * The base of the mutated change requests. Its environment is declared by no blueprint, so a
   * mutation that happens to stay valid is refused with 404 instead of being stored.
   */
  static final String VALID_CHANGE_REQUEST =
      changeRequest(
          q("CHG-HOSTILE-1"),
          q("hostile-nowhere"),
          "[\"llm.*\"]",
          q("2026-11-01T00:00:00Z"),
          q("2026-11-03T00:00:00Z"),
          q("cab"));

  static List<Case> changeRequests(Random random) {
    List<Case> out = new ArrayList<>();
    String path = "/api/v1/change-requests";
    String json = "application/json";
    String batch = "[" + VALID_CHANGE_REQUEST + "]";
    out.addAll(brokenJson("change requests", path, batch, 20, random));
    out.add(
        Case.post(
            "10,001 change requests in one list",
            path,
            json,
            "["
                + String.join(
                    ",",
                    java.util.Collections.nCopies(
                        ChangeRequestParser.MAX_REQUESTS + 1, VALID_CHANGE_REQUEST))
                + "]",
            Expect.refused(400, "INVALID_CHANGE_REQUEST")));
    List<String> wrong = List.of("123", "true", "null", "[]", "{}", "1.5", "\"\"", "[\"a\"]");
    String[] fields = {"id", "environment", "keys", "from", "until", "approvedBy"};
    for (String field : fields) {
      for (String w : wrong) {
        if (field.equals("keys") && w.equals("[\"a\"]")) {
          continue; // a valid list of globs
        }
        String body =
            "["
                + changeRequest(
                    field.equals("id") ? w : q("CHG-HOSTILE-1"),
                    field.equals("environment") ? w : q("credit-model-prod"),
                    field.equals("keys") ? w : "[\"llm.*\"]",
                    field.equals("from") ? w : q("2026-11-01T00:00:00Z"),
                    field.equals("until") ? w : q("2026-11-03T00:00:00Z"),
                    field.equals("approvedBy") ? w : q("cab"))
                + "]";
        out.add(
            Case.post(
                "change request " + field + " = " + w,
                path,
                json,
                body,
                Expect.refused(400, "INVALID_CHANGE_REQUEST")));
      }
    }
    for (String date :
        List.of(
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-11-20",
            "2026-11-20T10:00:00",
            "yesterday",
            "+999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "2026-11-20T10:00:00Z\u0000")) {
      for (String field : List.of("from", "until")) {
        out.add(
            Case.post(
                "change request " + field + " '" + printable(date) + "'",
                path,
                json,
                "["
                    + changeRequest(
                        q("CHG-HOSTILE-1"),
                        q("credit-model-prod"),
                        "[\"llm.*\"]",
                        field.equals("from") ? q(date) : q("2026-11-01T00:00:00Z"),
                        field.equals("until") ? q(date) : q("2026-11-03T00:00:00Z"),
                        q("cab"))
                    + "]",
                Expect.refused(400, "INVALID_CHANGE_REQUEST")));
      }
    }
    for (String[] window :
        new String[][] {
          {"2026-11-03T00:00:00Z", "2026-11-01T00:00:00Z"},
          {"2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"},
          {"9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z"}
        }) {
      out.add(
          Case.post(
              "change request window " + window[0] + " to " + window[1],
              path,
              json,
              "["
                  + changeRequest(
                      q("CHG-HOSTILE-1"),
                      q("credit-model-prod"),
                      "[\"llm.*\"]",
                      q(window[0]),
                      q(window[1]),
                      q("cab"))
                  + "]",
              Expect.refused(400, "INVALID_CHANGE_REQUEST")));
    }
    for (String keys :
        List.of("[\"\"]", "[\" \"]", "[\"llm.*\", null]", "[1]", "[[\"llm.*\"]]", "\"llm.*\"")) {
      out.add(
          Case.post(
              "change request keys " + printable(keys),
              path,
              json,
              "["
                  + changeRequest(
                      q("CHG-HOSTILE-1"),
                      q("credit-model-prod"),
                      keys,
                      q("2026-11-01T00:00:00Z"),
                      q("2026-11-03T00:00:00Z"),
                      q("cab"))
                  + "]",
              Expect.refused(400, "INVALID_CHANGE_REQUEST")));
    }
    for (int depth : new int[] {65, 1_000, 100_000}) {
      out.add(
          Case.post(
              "change request keys nested " + depth,
              path,
              json,
              "["
                  + changeRequest(
                      q("CHG-HOSTILE-1"),
                      q("credit-model-prod"),
                      "[".repeat(depth) + "]".repeat(depth),
                      q("2026-11-01T00:00:00Z"),
                      q("2026-11-03T00:00:00Z"),
                      q("cab"))
                  + "]",
              Expect.refused(400, "INVALID_JSON")));
    }
    for (String inj : INJECTIONS) {
      String id = printable(inj);
      out.add(
          Case.post(
              "change request environment " + id,
              path,
              json,
              "["
                  + changeRequest(
                      q("CHG-HOSTILE-1"),
                      q(inj),
                      "[\"llm.*\"]",
                      q("2026-11-01T00:00:00Z"),
                      q("2026-11-03T00:00:00Z"),
                      q("cab"))
                  + "]",
              Expect.refused()));
      // The other fields reach the environment check only: 404, or 400 when blank.
      out.add(
          Case.post(
              "change request id " + id,
              path,
              json,
              "[" + VALID_CHANGE_REQUEST.replace(q("CHG-HOSTILE-1"), q(inj)) + "]",
              Expect.refused()));
      out.add(
          Case.post(
              "change request key " + id,
              path,
              json,
              "[" + VALID_CHANGE_REQUEST.replace("[\"llm.*\"]", "[" + q(inj) + "]") + "]",
              Expect.refused()));
    }
    String other =
        changeRequest(
            q("CHG-HOSTILE-2"),
            q("credit-model-prod"),
            "[\"llm.*\"]",
            q("2026-11-01T00:00:00Z"),
            q("2026-11-03T00:00:00Z"),
            q("cab"));
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 500; i++) {
      many.append(other.replace("CHG-HOSTILE-2", "CHG-MANY-" + i)).append(',');
    }
    // An empty list is not here: it is an idempotent no-op, answered 200 "unchanged".
    for (String body :
        List.of(
            "{}",
            VALID_CHANGE_REQUEST,
            "\"CHG-1\"",
            "42",
            "null",
            "[42]",
            "[null]",
            "[[]]",
            "[" + VALID_CHANGE_REQUEST + "," + VALID_CHANGE_REQUEST + "]",
            "[" + other + "," + other.replace("llm.*", "model.*") + "]",
            "[" + VALID_CHANGE_REQUEST + "] x",
            "[" + VALID_CHANGE_REQUEST.replace("{\"id\"", "{\"admin\":true,\"id\"") + "]",
            "[" + other.replace("{\"id\"", "{\"id\":\"CHG-X\",\"id\"") + "]")) {
      out.add(
          Case.post("change requests body " + printable(body), path, json, body, Expect.refused()));
    }
    out.add(
        Case.post(
            "change requests stored id with other content",
            path,
            json,
            SecurityWorld.CHANGE_REQUESTS.replace("feature.*", "llm.*"),
            Expect.refused(409, "CHANGE_REQUEST_CONFLICT")));
    out.add(
        Case.post(
            "change requests: a good one beside one for an unknown environment",
            path,
            json,
            "[" + other + "," + VALID_CHANGE_REQUEST + "]",
            Expect.refused(404, "UNKNOWN_ENVIRONMENT")));
    out.add(
        Case.post(
            "change requests: 500 good ones and one for an unknown environment",
            path,
            json,
            many.append(VALID_CHANGE_REQUEST).append(']').toString(),
            Expect.refused(404, "UNKNOWN_ENVIRONMENT")));
    out.add(
        Case.post(
            "change requests as YAML",
            path,
            "application/yaml",
            "- id: CHG-Y\n  environment: credit-model-prod\n",
            Expect.refused(400, "INVALID_JSON")));
    out.add(
        new Case("change requests empty body", "POST", path, json, new byte[0], Expect.refused()));
    return out;
  }

  // ---- prompts ----

  // ---- metric samples ----

  static String metric(
      String env, String name, String kind, String window, String baseline, String values) {
    return "{\"environment\":"
        + env
        + ",\"metric\":"
        + name
        + ",\"kind\":"
        + kind
        + ",\"window\":"
        + window
        + ",\"baseline\":"
        + baseline
        + ",\"values\":"
        + values
        + "}";
  }

  /**
   * Metric samples. The base names an environment no blueprint declares, so a mutation that still
   * parses is refused with 404 rather than stored.
   */
  static List<Case> metrics(Random random) {
    List<Case> out = new ArrayList<>();
    String path = "/api/v1/metrics";
    String json = "application/json";
    String values = "[412,388,455,401,397,420]";
    String base =
        metric(q("hostile-nowhere"), q("output.length"), q("CONTINUOUS"), q("w1"), "false", values);
    out.addAll(brokenJson("metric", path, base, 20, random));
    List<String> wrong = List.of("123", "true", "null", "[]", "{}", "1.5", "\"\"", "[\"a\"]");
    for (String field : List.of("environment", "metric", "kind", "window", "baseline", "values")) {
      for (String w : wrong) {
        if (field.equals("baseline") && (w.equals("true") || w.equals("null"))) {
          continue; // a boolean, or absent: valid, and refused for the environment anyway
        }
        out.add(
            Case.post(
                "metric " + field + " = " + w,
                path,
                json,
                metric(
                    field.equals("environment") ? w : q("hostile-nowhere"),
                    field.equals("metric") ? w : q("output.length"),
                    field.equals("kind") ? w : q("CONTINUOUS"),
                    field.equals("window") ? w : q("w1"),
                    field.equals("baseline") ? w : "false",
                    field.equals("values") ? w : values),
                Expect.refused(400, "INVALID_METRIC_SAMPLE")));
      }
    }
    for (String kind : List.of("GAUSSIAN", "continuous", "CONTINUOUS ", "", "KS")) {
      out.add(
          Case.post(
              "metric kind " + kind,
              path,
              json,
              metric(q("credit-model-prod"), q("output.length"), q(kind), q("w9"), "false", values),
              Expect.refused(400, "INVALID_METRIC_SAMPLE")));
    }
    for (String v :
        List.of(
            "[1e400,2,3,4,5]",
            "[\"NaN\",2,3,4,5]",
            "[\"Infinity\",2,3,4,5]",
            "[1,2,3,4]",
            "[1,2,{\"a\":1},4,5]",
            "[1,2,[3],4,5]",
            "[1,2,null,4,5]")) {
      out.add(
          Case.post(
              "metric values " + v,
              path,
              json,
              metric(
                  q("credit-model-prod"), q("output.length"), q("CONTINUOUS"), q("w9"), "false", v),
              Expect.refused(400, "INVALID_METRIC_SAMPLE")));
    }
    out.add(
        Case.post(
            "metric values NaN literal",
            path,
            json,
            metric(
                q("credit-model-prod"),
                q("output.length"),
                q("CONTINUOUS"),
                q("w9"),
                "false",
                "[1,NaN,3,4,5]"),
            Expect.refused(400, "INVALID_JSON")));
    out.add(
        Case.post(
            "metric value of 1,500 digits",
            path,
            json,
            metric(
                q("credit-model-prod"),
                q("output.length"),
                q("CONTINUOUS"),
                q("w9"),
                "false",
                "[1" + "0".repeat(1_500) + ",2,3,4,5]"),
            Expect.refused(400, "INVALID_JSON")));
    out.add(
        Case.post(
            "metric values nested 1,000 deep",
            path,
            json,
            metric(
                q("credit-model-prod"),
                q("output.length"),
                q("CONTINUOUS"),
                q("w9"),
                "false",
                "[".repeat(1_000) + "]".repeat(1_000)),
            Expect.refused(400, "INVALID_JSON")));
    out.add(
        Case.post(
            "metric body of 5 MiB",
            path,
            json,
            metric(
                q("credit-model-prod"),
                q("output.length"),
                q("CONTINUOUS"),
                q("w9"),
                "false",
                "[" + "1,".repeat(5 * 512 * 1024) + "1]"),
            Expect.refused(413, "PAYLOAD_TOO_LARGE")));
    out.add(
        Case.post(
            "metric duplicate environment",
            path,
            json,
            "{\"environment\":\"hostile-nowhere\","
                + base.substring(1).replace("hostile-nowhere", "credit-model-prod"),
            Expect.refused()));
    for (String injection : INJECTIONS) {
      out.add(
          Case.post(
              "metric environment " + printable(injection),
              path,
              json,
              metric(q(injection), q("output.length"), q("CONTINUOUS"), q("w9"), "false", values),
              Expect.refused()));
      out.add(
          Case.post(
              "metric name " + printable(injection),
              path,
              json,
              metric(
                  q("credit-model-prod"), q(injection), q("CONTINUOUS"), q("w9"), "false", values),
              Expect.refused()));
    }
    return out;
  }

  static String prompt(String id, String version, String text, String extra) {
    return "{\"id\":" + id + ",\"version\":" + version + ",\"text\":" + text + extra + "}";
  }

  static List<Case> prompts(Random random) {
    List<Case> out = new ArrayList<>();
    String path = "/api/v1/prompts";
    String json = "application/json";
    // Mutations of the stored version: one that stays valid is a conflict (409), never stored.
    String base = SecurityWorld.PROMPT;
    out.addAll(brokenJson("prompt", path, base, 20, random));
    List<String> wrong = List.of("123", "true", "null", "[]", "{}", "1.5", "\"\"", "[\"a\"]");
    for (String field : List.of("id", "version", "text")) {
      for (String w : wrong) {
        out.add(
            Case.post(
                "prompt " + field + " = " + w,
                path,
                json,
                prompt(
                    field.equals("id") ? w : q("hostile-prompt"),
                    field.equals("version") ? w : q("1.0.0"),
                    field.equals("text") ? w : q("t"),
                    ""),
                Expect.refused(400, "INVALID_PROMPT")));
      }
    }
    for (String field : List.of("testedWithModel", "evalScore", "evalSuite", "verifiedAt")) {
      for (String w : wrong) {
        if (w.equals("null")
            || (field.equals("evalScore") && (w.equals("123") || w.equals("1.5")))) {
          continue; // optional, and any finite number is a score
        }
        out.add(
            Case.post(
                "prompt " + field + " = " + w,
                path,
                json,
                prompt(q("hostile-prompt"), q("1.0.0"), q("t"), ",\"" + field + "\":" + w),
                Expect.refused(400, "INVALID_PROMPT")));
      }
    }
    for (String version :
        List.of(
            "1.0",
            "v1.0.0",
            "01.0.0",
            "1.0.0-",
            "1.0.0+build",
            "1.0.0-a..b+",
            "1" + "0".repeat(30) + ".0.0",
            "1.0.0 ",
            " 1.0.0",
            "1.0.0\n",
            "\uff11.0.0",
            "-1.0.0")) {
      out.add(
          Case.post(
              "prompt version " + printable(version),
              path,
              json,
              prompt(q("hostile-prompt"), q(version), q("t"), ""),
              Expect.refused(400, "INVALID_PROMPT")));
    }
    for (String score : List.of("1e400", "-1e400", "NaN", "Infinity", "\"0.9\"", "0x1")) {
      out.add(
          Case.post(
              "prompt evalScore " + score,
              path,
              json,
              prompt(q("hostile-prompt"), q("1.0.0"), q("t"), ",\"evalScore\":" + score),
              Expect.refused(400, null)));
    }
    for (String date :
        List.of(
            "yesterday",
            "2026-02-30T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z")) {
      out.add(
          Case.post(
              "prompt verifiedAt '" + date + "'",
              path,
              json,
              prompt(q("hostile-prompt"), q("1.0.0"), q("t"), ",\"verifiedAt\":" + q(date)),
              Expect.refused(400, "INVALID_PROMPT")));
    }
    for (String inj : INJECTIONS) {
      // Lookalikes that still fit the id charset would be new, valid ids: leave them out.
      if (inj.length() <= 128 && inj.matches("[A-Za-z0-9._-]+")) {
        continue;
      }
      out.add(
          Case.post(
              "prompt id " + printable(inj),
              path,
              json,
              prompt(q(inj), q("1.0.0"), q("t"), ""),
              Expect.refused(400, "INVALID_PROMPT")));
      out.add(
          Case.post(
              "prompt version " + printable(inj),
              path,
              json,
              prompt(q("hostile-prompt"), q(inj), q("t"), ""),
              Expect.refused(400, "INVALID_PROMPT")));
    }
    for (String text : List.of("You are careful!", "You are careful. ", "you are careful.")) {
      out.add(
          Case.post(
              "prompt stored version with text " + printable(text),
              path,
              json,
              base.replace("You are careful.", text),
              Expect.refused(409, "PROMPT_CONFLICT")));
    }
    out.add(
        Case.post(
            "prompt stored version tested with another model",
            path,
            json,
            base.replace("gpt-4o-2024-08-06", "gpt-4o"),
            Expect.refused(409, "PROMPT_CONFLICT")));
    for (String body :
        List.of(
            "[]",
            "[" + base + "]",
            "\"prompt\"",
            "42",
            "null",
            "{}",
            base + base,
            base + " x",
            base.replace("{\"id\"", "{\"owner\":\"x\",\"id\"").replace("security-", "hostile-"),
            base.replace("{\"id\"", "{\"id\":\"other\",\"id\""),
            "{\"id\":\"p\",\"version\":\"1.0.0\",\"text\":"
                + "[".repeat(1_000)
                + "]".repeat(1_000)
                + "}")) {
      out.add(Case.post("prompt body " + printable(body), path, json, body, Expect.refused()));
    }
    out.add(
        Case.post(
            "prompt as YAML",
            path,
            "application/yaml",
            "id: hostile-prompt\nversion: 1.0.0\ntext: t\n",
            Expect.refused(400, "INVALID_JSON")));
    out.add(new Case("prompt empty body", "POST", path, json, new byte[0], Expect.refused()));
    return out;
  }

  static String blueprintJson(String bundle, String envId) {
    return "{\"bundle\":"
        + q(bundle)
        + ",\"version\":\"1.0.0\",\"environments\":[{\"id\":"
        + q(envId)
        + ",\"tier\":\"DEV\",\"owner\":\"team-x\",\"system\":\"x\"}],"
        + "\"config\":{\"llm\":{\"temperature\":0.3}}}";
  }

  // ---- GraphQL ----

  static String gql(String query) {
    return "{\"query\":" + q(query) + "}";
  }

  static String gql(String query, String variablesJson) {
    return "{\"query\":" + q(query) + ",\"variables\":" + variablesJson + "}";
  }

  static List<Case> graphql(Random random) {
    List<Case> out = new ArrayList<>();
    String path = "/graphql";
    String json = "application/json";
    String valid =
        "{ drifts(environment: \"credit-model-prod\") { id key expected actual assessment {"
            + " severity findings } } }";
    for (int i = 0; i < 25; i++) {
      int cut = 1 + random.nextInt(valid.length() - 2);
      out.add(
          Case.post(
              "graphql truncated at " + cut,
              path,
              json,
              gql(valid.substring(0, cut)),
              Expect.refused(400, "INVALID_QUERY")));
    }
    for (String bad :
        List.of(
            "}}}}",
            "{ environments { nope } }",
            "{ environment { id } }",
            "{ environment(id: \"x\", extra: 1) { id } }",
            "{ changes(environment: \"credit-model-prod\", lastDays: \"x\") { key } }",
            "{ changes(environment: \"credit-model-prod\", lastDays: 99999999999) { key } }",
            "{ changes(environment: \"credit-model-prod\", since: \"yesterday\") { key } }",
            "{ changes(environment: \"credit-model-prod\", since: \"2026-02-30T00:00:00Z\") { key"
                + " } }",
            "{ changes(environment: \"credit-model-prod\", since: 5) { key } }",
            "{ drifts(status: [NOPE]) { id } }",
            "{ drifts(status: \"OPEN\") { id } }",
            "{ drifts(tier: PRODUCTION) { id } }",
            "{ drifts(riskCategory: security) { id } }",
            "{ environments(tier: \"DEV\") { id } }",
            "{ conformance(environment: \"credit-model-prod\", at: \"2026-13-01T00:00:00Z\") {"
                + " asOf } }",
            "mutation { requestDisposition(drift: \"x\", kind: DESTROY, justification: \"j\") {"
                + " id } }",
            "mutation { approveDisposition(disposition: \"x\") { id } }",
            "mutation { extendEnvironment(environment: \"x\", until: \"never\", justification:"
                + " \"j\") { id } }",
            "subscription { drifts { id } }",
            "query A { environments { id } } query A { environments { id } }",
            "query ($x: Int) { environments { id } }",
            "{ environments { id ...F } }",
            "fragment F on Environment { id ...G } fragment G on Environment { ...F } {"
                + " environments { ...F } }",
            "{ environments @nope { id } }",
            "{ __typename(x: 1) }",
            "{ environments { id } } trailing",
            "\u0000{ environments { id } }",
            "{ " + "environments { id } ".repeat(3_000) + "}")) {
      out.add(Case.post("graphql " + printable(bad), path, json, gql(bad), Expect.refused()));
    }
    for (int depth : new int[] {16, 50, 200}) {
      String q = "{ drifts { " + "environment { drifts { ".repeat(depth / 2) + "id";
      q += " }".repeat(2 * (depth / 2)) + " } }";
      out.add(
          Case.post(
              "graphql nested " + depth,
              path,
              json,
              gql(q),
              Expect.refused(400, depth > 100 ? null : "QUERY_TOO_COMPLEX")));
    }
    for (int aliases : new int[] {51, 500, 3_000}) {
      StringBuilder q = new StringBuilder("{ ");
      for (int i = 0; i < aliases; i++) {
        q.append("a").append(i).append(": environments { id } ");
      }
      out.add(
          Case.post(
              "graphql " + aliases + " aliases",
              path,
              json,
              gql(q.append("}").toString()),
              Expect.refused(400, "QUERY_TOO_COMPLEX")));
    }
    StringBuilder verify = new StringBuilder("{ ");
    for (int i = 0; i < 10; i++) {
      verify.append("v").append(i).append(": verifyAudit { valid } ");
    }
    out.add(
        Case.post(
            "graphql ten ledger walks",
            path,
            json,
            gql(verify.append("}").toString()),
            Expect.refused(400, "QUERY_TOO_COMPLEX")));
    StringBuilder bomb = new StringBuilder("fragment F0 on Environment { id name tier }\n");
    for (int i = 1; i <= 12; i++) {
      bomb.append("fragment F").append(i).append(" on Environment { ...F").append(i - 1);
      bomb.append(" drifts { environment { ...F").append(i - 1).append(" } } }\n");
    }
    out.add(
        Case.post(
            "graphql fragment bomb",
            path,
            json,
            gql(bomb + "{ environments { ...F12 } }"),
            Expect.refused(400, "QUERY_TOO_COMPLEX")));
    // Issue 14 high #3: nested lists multiply. Seven levels of drifts under aliases stay within
    // depth, field count and alias limits; the cost model counts each list's expected size.
    StringBuilder nested = new StringBuilder("{ ");
    for (int a = 0; a < 5; a++) {
      nested.append("n").append(a).append(": drifts { id ");
      nested
          .append("environment { drifts { id key ".repeat(6))
          .append("}".repeat(12))
          .append(" } ");
    }
    out.add(
        Case.post(
            "graphql nested lists seven deep",
            path,
            json,
            gql(nested.append("}").toString()),
            Expect.refused(400, "QUERY_TOO_COSTLY")));
    out.add(
        Case.post(
            "graphql page of a million",
            path,
            json,
            gql("{ a: driftsPage(first: 1000000) { totalCount } }"),
            Expect.either()));
    out.add(
        Case.post(
            "graphql deep introspection",
            path,
            json,
            gql(
                "{ __schema { types { fields { type { fields { type { fields { type { fields {"
                    + " type { fields { type { fields { type { name } } } } } } } } } } } } } }"),
            Expect.refused(400, null)));
    for (String odd :
        List.of(
            gql("{ environment(id: 5) { id } }"),
            gql("{ environments { id } } # " + "x".repeat(20_000)),
            gql("query ($id: ID!) { environment(id: $id) { id } }", "{\"id\":{\"a\":1}}"),
            gql("query ($id: ID!) { environment(id: $id) { id } }", "{\"id\":[1,2]}"),
            gql("query ($id: ID!) { environment(id: $id) { id } }", "{\"id\":1e400}"))) {
      out.add(Case.post("graphql odd " + printable(odd), path, json, odd, Expect.either()));
    }
    out.add(
        Case.post(
            "graphql repeated introspection",
            path,
            json,
            gql(
                "{ a: __schema { types { name } } b: __schema { types { name } } c: __schema {"
                    + " types { name } } }"),
            Expect.refused(400, null)));
    for (String body :
        List.of(
            "[" + gql("{ environments { id } }") + "," + gql("{ environments { id } }") + "]",
            "[]",
            "[" + gql("{ environments { id } }") + "]",
            "{",
            "",
            "null",
            "\"{ environments { id } }\"",
            "{\"query\":null}",
            "{\"query\":5}",
            "{\"query\":{\"a\":1}}",
            "{\"query\":\"\"}",
            "{\"query\":\"   \"}",
            "{\"query\":\"{ environments { id } }\",\"query\":\"mutation { x }\"}",
            gql("{ environments { id } }", "[]"),
            gql("{ environments { id } }", "\"x\""),
            gql("{ environments { id } }", "5"),
            gql("query ($id: ID!) { environment(id: $id) { id } }", "{}"),
            gql("query ($id: ID!) { environment(id: $id) { id } }", "{\"id\":null}"),
            gql("query ($t: Tier) { environments(tier: $t) { id } }", "{\"t\":\"PRODUCTION\"}"),
            gql(
                "query ($d: Int) { changes(environment: \"x\", lastDays: $d) { key } }",
                "{\"d\":1e400}"),
            gql("{ environments { id } }", "{\"v\":" + "[".repeat(100) + "]".repeat(100) + "}"),
            gql("{ environments { id } }", "{\"v\":" + "1".repeat(2_000) + "}"),
            "{\"query\":\"{ environments { id } }\",\"operationName\":5}",
            "{\"query\":\"{ environments { id } }\",\"operationName\":\"Missing\"}",
            "{\"query\":\"{ environments { id } }\",\"extensions\":{\"persistedQuery\":{}}} x")) {
      out.add(Case.post("graphql body " + printable(body), path, json, body, Expect.refused()));
    }
    // Harmless: hostile strings as arguments of well-formed requests. Nothing matches, nothing is
    // written, every error is coded.
    List<String> harmless =
        List.of(
            "query ($x: ID!) { environment(id: $x) { id } }",
            "query ($x: ID!) { changes(environment: $x, lastDays: 30) { key } }",
            "query ($x: ID!) { conformance(environment: $x) { matchesBlueprint } }",
            "query ($x: ID) { drifts(environment: $x) { id } }",
            "query ($x: ID) { auditTrail(environment: $x) { seq } }",
            "query ($x: String) { changes(environment: \"credit-model-prod\", after: $x) { key } }",
            "query ($x: String) { auditTrailPage(after: $x) { totalCount } }",
            "query ($x: ID) { dispositionsPage(environment: $x) { totalCount } }",
            "query ($x: ID!) { bundle(id: $x) { id } }",
            "query ($x: String!) { dependents(key: $x, environment: \"credit-model-prod\") }",
            "mutation ($x: ID!) { requestDisposition(drift: $x, kind: REVERT, justification:"
                + " \"j\") { id } }",
            "mutation ($x: ID!) { approveDisposition(disposition: $x, meaning: \"m\") { id } }",
            "mutation ($x: ID!) { rejectDisposition(disposition: $x, reason: \"r\") { id } }",
            "mutation ($x: ID!) { extendEnvironment(environment: $x, until:"
                + " \"2026-12-01T00:00:00Z\", justification: \"j\") { id } }",
            "mutation ($x: ID!) { recordValidation(bundle: $x, version: \"1.0.0\", evidence: \"e\")"
                + " { version } }");
    for (String inj : INJECTIONS) {
      for (int k = 0; k < 3; k++) {
        String op = harmless.get(random.nextInt(harmless.size()));
        out.add(
            Case.post(
                "graphql harmless " + printable(inj) + " in " + op.substring(0, 30),
                path,
                json,
                gql(op, "{\"x\":" + q(inj) + "}"),
                Expect.innocuous()));
      }
    }
    return out;
  }

  // ---- audit endpoints ----

  static List<Case> restReads() {
    List<Case> out = new ArrayList<>();
    for (String hostile : INJECTIONS) {
      // A request line beyond about 8 KB is cut off by the HTTP layer with a bare 431: a known gap.
      String inj = hostile.length() > 2_000 ? hostile.substring(0, 2_000) : hostile;
      String enc = URLEncoder.encode(inj, StandardCharsets.UTF_8).replace("+", "%20");
      out.add(
          new Case(
              "audit of environment " + printable(inj),
              "GET",
              "/api/v1/environments/" + enc + "/audit",
              null,
              null,
              Expect.refused()));
    }
    for (String p :
        List.of(
            "since=yesterday",
            "until=2026-02-30T00:00:00Z",
            "since=" + "9".repeat(5_000),
            "format=xml",
            "format=%3Cscript%3E",
            "format=..%2F..%2Fetc%2Fpasswd",
            "format=html",
            "since=2026-11-20T00:00:00Z&since=x")) {
      out.add(
          new Case(
              "audit export " + printable(p),
              "GET",
              "/api/v1/audit/export?" + p,
              null,
              null,
              Expect.refused(400, null)));
    }
    return out;
  }

  // ---- hand-written ----

  private static final Pattern NAME = Pattern.compile("(\\d{3}|4xx)(?:-([A-Z_]+))?--.+");

  static List<Case> handWritten(Path dir) throws IOException {
    List<Case> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String endpoint = f.getParent().getFileName().toString();
        String name = f.getFileName().toString();
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
          throw new IllegalStateException("hostile case not named STATUS-CODE--what.ext: " + f);
        }
        int status = m.group(1).equals("4xx") ? 0 : Integer.parseInt(m.group(1));
        String code = m.group(2);
        byte[] body = Files.readAllBytes(f);
        String type = "application/json";
        if (name.endsWith(".yaml")) {
          type = "application/yaml";
        } else if (name.endsWith(".graphql")) {
          body = gql(new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        } else if (name.endsWith(".bin")) {
          type = "application/octet-stream";
        }
        out.add(
            new Case(
                "file " + endpoint + "/" + name,
                "POST",
                endpoint.equals("graphql") ? "/graphql" : "/api/v1/" + endpoint,
                type,
                body,
                new Expect(false, status, code)));
      }
    }
    return out;
  }

  static String printable(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "…(" + s.length() + ")" : s;
    StringBuilder sb = new StringBuilder();
    cut.codePoints()
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f || (c >= 0x200b && c <= 0x202e)) {
                sb.append(String.format("\\u%04x", c));
              } else {
                sb.appendCodePoint(c);
              }
            });
    return sb.toString();
  }
}
