package org.plumbline.server.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.plumbline.server.PlumblineServer;
import org.plumbline.server.cli.Main.Options;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.demo.DemoWorld;

/** {@code plumbline serve}: starts the server (with {@code --demo}, loads the demo world first). */
final class ServeCommand {
  private final PrintStream out;
  private final Clock clock;

  ServeCommand(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  int run(Options o) {
    o.allow("config", "data", "port", "rules", "demo");
    ServerConfig config =
        o.flag("config") == null
            ? ServerConfig.defaults()
            : ServerConfig.load(Path.of(o.flag("config")));
    if (o.flag("data") != null) config = config.withData(Path.of(o.flag("data")));
    if (o.flag("rules") != null) config = config.withRules(Path.of(o.flag("rules")));
    if (o.flag("port") != null) {
      try {
        config = config.withPort(Integer.parseInt(o.flag("port")));
      } catch (NumberFormatException e) {
        throw new Main.UsageException("--port must be a number, was '" + o.flag("port") + "'");
      }
    }
    boolean demo = o.flags().containsKey("demo");
    if (demo) {
      List<ServerConfig.Token> tokens = new ArrayList<>(config.tokens());
      tokens.addAll(DemoWorld.TOKENS);
      config = config.withTokens(tokens);
    } else if (config.tokens().isEmpty()) {
      throw new Main.UsageException(
          "no tokens configured: give --config FILE with auth.tokens, or --demo for demo tokens");
    }
    // With --demo, /health answers 503 STARTING until the demo world is in (liveness stays 200).
    PlumblineServer server =
        demo
            ? PlumblineServer.startLoading(config, clock, DemoWorld.historyStart(clock))
            : PlumblineServer.start(config, clock);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "plumbline-shutdown"));
    if (demo) {
      boolean empty = server.store().read(r -> r.environments().isEmpty());
      if (empty) {
        out.println("Loading the demo world ...");
        DemoWorld.load(server, clock, line -> out.println("  " + line));
        server.compact(); // a bulk load leaves superseded blocks behind
      } else {
        out.println(
            "Demo world already in "
                + server.store().location()
                + " (delete the folder to reload it)");
      }
      server.markReady();
    }
    String base = "http://localhost:" + server.port();
    out.println();
    out.println("Plumbline is listening on " + base);
    out.println(
        "  GraphiQL   "
            + base
            + "/graphiql  (the browser asks for a user and password: any user, a token as password)");
    out.println("  GraphQL    POST " + base + "/graphql with Authorization: Bearer <token>");
    out.println(
        config.store() == null
            ? "  data       " + server.store().location() + " (TDB2)"
            : "  store      "
                + server.store().location()
                + " (a shared SPARQL 1.1 store; this server's journal in "
                + config.data()
                + ")");
    out.println(
        "  rules      "
            + server.rulePack().directory()
            + " ("
            + server.rulePack().ruleCount()
            + " rules, "
            + server.rulePack().version()
            + ")");
    if (demo) {
      out.println("  demo tokens:");
      for (ServerConfig.Token t : DemoWorld.TOKENS) {
        out.printf(
            "    %-22s %-10s %s%n",
            t.token(), t.user(), String.join(",", new java.util.TreeSet<>(t.roles())));
      }
      out.println();
      out.println("Try:");
      out.println(
          "  curl -s -H 'Authorization: Bearer demo-viewer-token' -H 'Content-Type: application/json' \\");
      out.println(
          "    -d '{\"query\":\"{ changes(environment: \\\"credit-model-prod\\\", lastDays: 90) { key from to at source } }\"}' \\");
      out.println("    " + base + "/graphql");
    }
    out.flush();
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
