package org.plumbline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.plumbline.server.PlumblineServer;
import org.plumbline.server.config.ServerConfig;

/**
 * W5, the web console's inbox (issue 16): as many environments as the run's world ({@code
 * --environments}; 1,000 for the figure), four per system (one per tier), 5 drifted keys
 * each, loaded over HTTP. Each system drifts to values of its own, so a snapshot's blast radius is
 * its own system, not the whole world. Then, signed in through the console's form, the inbox's
 * first page (50 rows, worst first, with the four severity counts) and a filtered inbox are timed
 * end to end over HTTP: GraphQL in-process, the rule-free reads, the template. Measured, never
 * asserted.
 */
final class ConsoleInbox {
  static final String[] TIERS = {"DEV", "STAGING", "PROD", "REGULATED"};
  static final int DRIFTED = 5;
  static final int LOADERS = 4;

  private final PrintStream log;
  private final ObjectNode result;
  private final Clock clock;
  private final HttpClient http = HttpClient.newHttpClient();
  private final int queries;
  private final int systems;

  ConsoleInbox(PrintStream log, ObjectNode result, Clock clock, int queries, int environments) {
    this.systems = Math.max(1, environments / TIERS.length);
    this.log = log;
    this.result = result;
    this.clock = clock;
    this.queries = queries;
  }

  void run(Path store, Path rules) {
    log.printf(
        "W5  console inbox: %,d environments, %,d open drifts ...%n",
        systems * TIERS.length, systems * TIERS.length * DRIFTED);
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(store)
            .withRules(rules)
            .withTokens(
                List.of(
                    new ServerConfig.Token(BenchHttp.VIEWER, "bench-viewer", Set.of("viewer")),
                    new ServerConfig.Token(BenchHttp.LOADER, "bench-loader", Set.of("loader"))))
            .withRateLimits(Benchmark.UNLIMITED);
    try (PlumblineServer server = PlumblineServer.start(config, clock)) {
      String base = "http://127.0.0.1:" + server.port();
      long start = System.nanoTime();
      load(base);
      double loadS = (System.nanoTime() - start) / 1e9;
      String cookie = signIn(base);
      List<String> paths =
          List.of("/", "/?tier=PROD&tier=REGULATED&minSeverity=HIGH&authorization=ANOMALOUS");
      List<Latencies> lat = List.of(new Latencies(queries), new Latencies(queries));
      for (int i = 0; i < 2 * queries; i++) {
        for (int k = 0; k < paths.size(); k++) {
          String path = paths.get(k);
          if (i < queries) {
            page(base, path, cookie);
          } else {
            lat.get(k).time(() -> page(base, path, cookie));
          }
        }
      }
      ObjectNode w5 = result.putObject("W5");
      w5.put(
          "what",
          "the console's inbox page over HTTP (GraphQL in process, template), signed in;"
              + " "
              + systems * TIERS.length
              + " environments, "
              + systems * TIERS.length * DRIFTED
              + " open drifts");
      w5.put("load_s", Math.round(loadS * 10) / 10.0);
      String[] names = {"inbox", "inbox_filtered"};
      for (int k = 0; k < names.length; k++) {
        ObjectNode o = w5.putObject(names[k]);
        o.put("path", paths.get(k));
        o.put("p50_ms", round(lat.get(k).percentileMs(50)));
        o.put("p95_ms", round(lat.get(k).percentileMs(95)));
        o.put("n", lat.get(k).count());
        log.printf(
            "     %s: p50 %.1f ms, p95 %.1f ms%n",
            names[k], lat.get(k).percentileMs(50), lat.get(k).percentileMs(95));
      }
    }
  }

  /**
   * Posts each system's blueprint, then its four snapshots, as {@value #LOADERS} loader jobs would
   * at once (so the server's group commit shares the fsyncs, as in W1); only the inbox is timed.
   */
  private void load(String base) {
    java.util.concurrent.ExecutorService loaders =
        java.util.concurrent.Executors.newFixedThreadPool(LOADERS);
    java.util.concurrent.atomic.AtomicInteger done =
        new java.util.concurrent.atomic.AtomicInteger();
    try {
      List<java.util.concurrent.Future<?>> jobs = new java.util.ArrayList<>();
      for (int s = 0; s < systems; s++) {
        int system = s;
        jobs.add(
            loaders.submit(
                () -> {
                  post(base, "/api/v1/blueprints", blueprint(system));
                  for (String tier : TIERS) {
                    post(base, "/api/v1/snapshots", snapshot(system, tier));
                  }
                  int n = done.incrementAndGet();
                  if (n % 50 == 0) {
                    log.printf("     %d of %d systems loaded%n", n, systems);
                  }
                }));
      }
      for (java.util.concurrent.Future<?> job : jobs) {
        job.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("loading the inbox's world failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading the inbox's world", e);
    } finally {
      loaders.shutdownNow();
    }
  }

  private static double round(double ms) {
    return Math.round(ms * 10) / 10.0;
  }

  /** A system: four environments, one per tier, ten declared keys. */
  static String blueprint(int s) {
    StringBuilder envs = new StringBuilder();
    for (String tier : TIERS) {
      envs.append(envs.length() == 0 ? "" : ",")
          .append("{\"id\":\"")
          .append(env(s, tier))
          .append("\",\"tier\":\"")
          .append(tier)
          .append("\",\"owner\":\"team-")
          .append(s % 37)
          .append("\",\"system\":\"sys-")
          .append(s)
          .append("\"}");
    }
    return "{\"bundle\":\"sys-"
        + s
        + "\",\"version\":\"1.0.0\",\"environments\":["
        + envs
        + "],\"config\":"
        + config(s, false)
        + "}";
  }

  /** The declared config, or an observed one with {@value #DRIFTED} keys changed. */
  static String config(int s, boolean drifted) {
    return "{\"model\":{\"version\":\""
        + (drifted ? "gpt-4o" : "gpt-4o-2024-08-06")
        + "\"},\"llm\":{\"temperature\":"
        + (drifted ? "0." + (5000 + s) : "0.3")
        + ",\"top_p\":0.9,\"max_tokens\":"
        + (drifted ? String.valueOf(4000 + s) : "800")
        + "},\"guardrails\":{\"enabled\":true,\"toxicity\":{\"threshold\":"
        + (drifted ? "0.4" + (1000 + s) : "0.8")
        + "}},\"retrieval\":{\"top_k\":"
        + (drifted ? String.valueOf(20 + s) : "8")
        + ",\"chunk_size\":512},\"deploy\":{\"replicas\":3},\"embedding\":{\"model\":\"e3\"}}";
  }

  static String snapshot(int s, String tier) {
    return "{\"environment\":\""
        + env(s, tier)
        + "\",\"observedAt\":\"2026-06-01T00:00:00Z\",\"source\":\"bench\",\"config\":"
        + config(s, true)
        + "}";
  }

  static String env(int s, String tier) {
    return "sys-" + s + "-" + tier.toLowerCase(java.util.Locale.ROOT);
  }

  private void post(String base, String path, String body) {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + BenchHttp.LOADER)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(path + " refused: " + r.statusCode() + " " + r.body());
    }
  }

  /** Signs in through the console's form as a person would: the session cookie. */
  private String signIn(String base) {
    HttpResponse<String> form =
        send(HttpRequest.newBuilder(URI.create(base + "/console/sign-in")).build());
    String cookie = form.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.body());
    if (!m.find()) {
      throw new IllegalStateException("no form token on the sign-in page");
    }
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(base + "/console/sign-in"))
                .header("Cookie", cookie)
                .header("Origin", base)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "_csrf=" + m.group(1) + "&token=" + BenchHttp.VIEWER,
                        StandardCharsets.UTF_8))
                .build());
    return r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
  }

  private void page(String base, String path, String cookie) {
    HttpResponse<String> r =
        send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).build());
    if (r.statusCode() != 200 || !r.body().contains("drift-link")) {
      String body = r.body().replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
      throw new IllegalStateException(
          path + ": " + r.statusCode() + " " + body.substring(0, Math.min(400, body.length())));
    }
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
