package org.plumbline.server.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's static files, from the class path: its own stylesheet and script, and ECharts from
 * its webjar (pinned in the pom; no CDN). Only the names listed here are served.
 */
final class Assets {
  private static final String ECHARTS =
      "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

  private static final Map<String, String[]> FILES =
      Map.of(
          "console.css",
          new String[] {"org/plumbline/server/console/console.css", "text/css; charset=utf-8"},
          "console.js",
          new String[] {
            "org/plumbline/server/console/console.js", "text/javascript; charset=utf-8"
          },
          "echarts.min.js",
          new String[] {ECHARTS, "text/javascript; charset=utf-8"});

  private final Map<String, Buffer> cache = new ConcurrentHashMap<>();

  void serve(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String[] file = FILES.get(name);
    if (file == null) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    Buffer body = cache.computeIfAbsent(name, n -> load(file[0]));
    ctx.response()
        .putHeader("Content-Type", file[1])
        .putHeader("Cache-Control", "public, max-age=3600")
        .end(body);
  }

  private static Buffer load(String resource) {
    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing from the class path: " + resource);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
