package org.plumbline.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for the baseline: initialised in a temporary folder, listening on
 * loopback only, reached over JDBC, stopped and deleted at the end. PostgreSQL refuses to run as
 * root, so as root the cluster runs as the {@code postgres} user through {@code runuser}.
 */
final class PostgresBaseline implements AutoCloseable {
  private final Path binaries;
  private final Path folder;
  private final List<String> asUser;
  private final int port;

  private PostgresBaseline(Path binaries, Path folder, List<String> asUser, int port) {
    this.binaries = binaries;
    this.folder = folder;
    this.asUser = asUser;
    this.port = port;
  }

  /**
   * Where {@code initdb}, {@code pg_ctl} and {@code postgres} are: {@code $PLUMBLINE_PG_BIN}, the
   * {@code PATH}, or the newest {@code /usr/lib/postgresql/N/bin}.
   */
  static Optional<Path> binaries() {
    List<Path> candidates = new ArrayList<>();
    String configured = System.getenv("PLUMBLINE_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isBlank()) {
          candidates.add(Path.of(dir));
        }
      }
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        versions
            .sorted(Comparator.comparing((Path p) -> versionOf(p)).reversed())
            .forEach(v -> candidates.add(v.resolve("bin")));
      } catch (IOException e) {
        // an unreadable folder simply offers no candidates
      }
    }
    return candidates.stream()
        .filter(
            d ->
                Files.isExecutable(d.resolve("initdb"))
                    && Files.isExecutable(d.resolve("pg_ctl"))
                    && Files.isExecutable(d.resolve("postgres")))
        .findFirst();
  }

  private static int versionOf(Path p) {
    try {
      return Integer.parseInt(p.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Why the baseline cannot run here, or empty when it can. */
  static Optional<String> unavailable() {
    if (binaries().isEmpty()) {
      return Optional.of(
          "PostgreSQL is not installed (no initdb, pg_ctl and postgres on PATH, in"
              + " /usr/lib/postgresql/N/bin or in $PLUMBLINE_PG_BIN)");
    }
    if (isRoot() && !Files.isExecutable(Path.of("/usr/sbin/runuser"))) {
      return Optional.of("PostgreSQL refuses to run as root and runuser is missing");
    }
    if (isRoot() && postgresUser().isEmpty()) {
      return Optional.of("PostgreSQL refuses to run as root and there is no 'postgres' user");
    }
    return Optional.empty();
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static Optional<UserPrincipal> postgresUser() {
    try {
      return Optional.of(
          java.nio.file.FileSystems.getDefault()
              .getUserPrincipalLookupService()
              .lookupPrincipalByName("postgres"));
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** Initialises and starts a cluster in a new temporary folder. */
  static PostgresBaseline start() throws IOException, InterruptedException {
    Path bin = binaries().orElseThrow(() -> new IOException(unavailable().orElse("no binaries")));
    Path folder = Files.createTempDirectory("plumbline-bench-pg");
    List<String> asUser = List.of();
    if (isRoot()) {
      UserPrincipal pg = postgresUser().orElseThrow();
      Files.setOwner(folder, pg);
      asUser = List.of("/usr/sbin/runuser", "-u", "postgres", "--");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    PostgresBaseline pg = new PostgresBaseline(bin, folder, asUser, port);
    pg.run(
        bin.resolve("initdb"),
        "-D",
        folder.resolve("data").toString(),
        "-U",
        "bench",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-locale");
    pg.run(
        bin.resolve("pg_ctl"),
        "-D",
        folder.resolve("data").toString(),
        "-l",
        folder.resolve("server.log").toString(),
        "-w",
        "-o",
        "-c listen_addresses=127.0.0.1 -p " + port + " -k " + folder,
        "start");
    return pg;
  }

  private void run(Path program, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(asUser);
    command.add(program.toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(
          program.getFileName()
              + " failed: "
              + new String(output, StandardCharsets.UTF_8).strip().replace('\n', ' '));
    }
  }

  /** A connection to the cluster's {@code postgres} database, batched inserts rewritten. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres?reWriteBatchedInserts=true",
        "bench",
        "");
  }

  /** The server version, for the report. */
  String version() {
    try (Connection c = connect();
        var rs = c.createStatement().executeQuery("SHOW server_version")) {
      return rs.next() ? "PostgreSQL " + rs.getString(1).split(" ")[0] : "PostgreSQL";
    } catch (SQLException e) {
      return "PostgreSQL";
    }
  }

  @Override
  public void close() {
    try {
      run(
          binaries.resolve("pg_ctl"),
          "-D",
          folder.resolve("data").toString(),
          "-m",
          "fast",
          "-w",
          "stop");
    } catch (IOException e) {
      // already stopped: nothing to do but remove the folder
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Benchmark.deleteTree(folder);
  }
}
