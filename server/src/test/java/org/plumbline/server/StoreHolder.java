package org.plumbline.server;

import java.nio.file.Path;
import org.plumbline.ontology.GraphStore;

/**
 * Holds a data folder open in its own JVM until its standard input closes: another process's lock,
 * as a running server holds it (TDB2 locks per process, so a test cannot lock against itself).
 */
public final class StoreHolder {
  private StoreHolder() {}

  public static void main(String[] args) throws Exception {
    try (GraphStore store = GraphStore.openTdb2(Path.of(args[0]))) {
      System.out.println("open");
      System.out.flush();
      while (System.in.read() != -1) {
        // wait for the test to close our input
      }
    }
  }

  /** Starts a holder of {@code data}; returns once the folder is held. */
  static Process hold(Path data) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StoreHolder.class.getName(),
                data.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
    String line = reader.readLine();
    if (!"open".equals(line)) {
      p.destroyForcibly();
      throw new IllegalStateException("the store holder did not start: " + line);
    }
    return p;
  }
}
