package org.plumbline.server.http;

import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GraphiQL page, served from the GraphiQL build that vertx-web-graphql ships (no CDN), with its
 * two inline scripts moved to files so that the Content-Security-Policy needs no inline script. The
 * page holds no credential: it asks for a bearer token once per browser tab, keeps it in the tab's
 * {@code sessionStorage} and sends it with its GraphQL requests. The browser's Basic credentials
 * open the page only; {@code /graphql} never honours them.
 */
public final class GraphiQLPage {
  public static final String ENV_SCRIPT = "plumbline-monaco-environment.js";
  public static final String CONFIG_SCRIPT = "plumbline-graphiql-config.js";
  private static final String RESOURCE = "io/vertx/ext/web/handler/graphiql/index.html";

  /**
   * The page's configuration: GraphQL over HTTP at /graphql (no websocket), and the token asked for
   * in the page, never one written into it.
   */
  static final String CONFIG =
      """
      (function () {
        var key = "plumbline.token";
        var token = window.sessionStorage.getItem(key);
        if (!token) {
          token = window.prompt(
              "Plumbline bearer token for GraphQL requests (kept in this browser tab only):");
          if (token) {
            token = token.trim();
            window.sessionStorage.setItem(key, token);
          }
        }
        window.VERTX_GRAPHIQL_CONFIG = {
          httpEnabled: true,
          graphQLUri: "/graphql",
          graphQLWSEnabled: false,
          headers: token ? { Authorization: "Bearer " + token } : {}
        };
      })();
      """;

  private final String html;
  private final String environmentScript;

  private GraphiQLPage(String html, String environmentScript) {
    this.html = html;
    this.environmentScript = environmentScript;
  }

  /** Reads the shipped page and moves its inline scripts out. */
  public static GraphiQLPage load() {
    String page;
    try (InputStream in = GraphiQLPage.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("GraphiQL is missing from the class path: " + RESOURCE);
      }
      page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher inline = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(page);
    StringBuilder out = new StringBuilder();
    String environment = null;
    while (inline.find()) {
      String body = inline.group(1);
      String replacement;
      if (body.contains("MonacoEnvironment")) {
        environment = body;
        replacement = "<script src=\"./" + ENV_SCRIPT + "\"></script>";
      } else if (body.contains("VERTX_GRAPHIQL_CONFIG")) {
        replacement = "<script src=\"./" + CONFIG_SCRIPT + "\"></script>";
      } else {
        throw new IllegalStateException("unexpected inline script in " + RESOURCE);
      }
      inline.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    inline.appendTail(out);
    if (environment == null || out.indexOf(CONFIG_SCRIPT) < 0) {
      throw new IllegalStateException("the GraphiQL page changed shape: " + RESOURCE);
    }
    return new GraphiQLPage(out.toString(), environment);
  }

  /** GET /graphiql/ and /graphiql/index.html. */
  public void page(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html);
  }

  /** GET /graphiql/{@value #ENV_SCRIPT}: where the editor's workers are. */
  public void environment(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "text/javascript; charset=utf-8")
        .end(environmentScript);
  }

  /** GET /graphiql/{@value #CONFIG_SCRIPT}. */
  public void config(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/javascript; charset=utf-8").end(CONFIG);
  }
}
