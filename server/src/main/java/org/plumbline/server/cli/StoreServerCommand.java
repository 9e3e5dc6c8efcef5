package org.plumbline.server.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.plumbline.server.cli.Main.Options;

/** {@code plumbline store-server --port N --data DIR}: the shared store, in the foreground. */
final class StoreServerCommand {
  private final PrintStream out;

  StoreServerCommand(PrintStream out) {
    this.out = out;
  }

  int run(Options o) {
    o.allow("port", "data", "all-interfaces", "password-file");
    int port = 3030;
    if (o.flag("port") != null) {
      try {
        port = Integer.parseInt(o.flag("port"));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 0 || port > 65_535) {
        throw new Main.UsageException("--port must be a number from 0 to 65535");
      }
    }
    Path data = Path.of(o.flag("data") == null ? "store" : o.flag("data"));
    Path passwords = o.flag("password-file") == null ? null : Path.of(o.flag("password-file"));
    if (passwords != null && !Files.isReadable(passwords)) {
      throw new Main.UsageException("cannot read --password-file " + passwords);
    }
    boolean everywhere = o.flags().containsKey("all-interfaces");
    StoreServer server = StoreServer.start(data, port, !everywhere, passwords);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "plumbline-store-shutdown"));
    out.println(
        "Plumbline store (Apache Jena Fuseki, TDB2 in "
            + data.toAbsolutePath()
            + ") at "
            + server.url()
            + (everywhere ? " (listening on all interfaces)" : "")
            + (passwords == null ? "" : " (HTTP Basic, users in " + passwords + ")"));
    out.println("  servers use it with  store: { sparql: " + server.url() + " }");
    out.flush();
    server.join();
    return 0;
  }
}
