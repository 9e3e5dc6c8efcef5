package org.plumbline.ontology;

import java.time.Instant;

/** One stored version of a bundle, with its validation evidence if any. */
public record BundleVersion(
    String bundle, String version, Instant createdAt, String createdBy, Validation validation) {

  public boolean validated() {
    return validation != null;
  }
}
