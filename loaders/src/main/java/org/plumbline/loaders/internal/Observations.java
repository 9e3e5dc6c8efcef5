package org.plumbline.loaders.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.plumbline.loaders.Format;
import org.plumbline.loaders.LoaderError;
import org.plumbline.loaders.SnapshotParser;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;

/** What every format that yields snapshots shares: the environment check and the last step. */
public final class Observations {
  private Observations() {}

  /**
   * {@code environment}, or a refusal saying where it was looked for.
   *
   * @param lookedIn where this format could have named it, for the message ("the file names none")
   */
  public static String requireEnvironment(String environment, Format format, String lookedIn) {
    if (environment == null || environment.isBlank()) {
      throw new PlumblineException(
          LoaderError.ENVIRONMENT_REQUIRED,
          "this "
              + format.id()
              + " file names no environment: give --environment ID, or put the file in a folder"
              + " named after the environment",
          List.of("looked in: " + lookedIn + ", --environment, the folder name"));
    }
    return environment;
  }

  /**
   * Flattens a config tree built by a loader (member names are literal key prefixes such as {@code
   * terraform.aws_instance.web}) and makes the snapshot; {@code null} when flattening found
   * problems, which are in {@code problems}.
   */
  public static Snapshot snapshot(
      String environment, Instant observedAt, String source, ObjectNode config, Problems problems) {
    boolean clean = problems.isEmpty();
    FlatConfig flat = Flattener.flatten(config, "keys ", problems);
    if (clean && !problems.isEmpty()) {
      return null;
    }
    return SnapshotParser.snapshot(environment, observedAt, source, flat);
  }
}
