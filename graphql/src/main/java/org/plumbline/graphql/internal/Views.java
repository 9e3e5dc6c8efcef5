package org.plumbline.graphql.internal;

import java.time.Instant;
import java.util.List;
import org.plumbline.ontology.BundleVersion;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.PromptVersion;

/** Shapes the schema has that the domain records do not. */
final class Views {
  private Views() {}

  record ConfigValue(String key, String value) {}

  record Conformance(
      String environment,
      Instant asOf,
      String bundleVersion,
      boolean matchesBlueprint,
      String validatedVersion,
      Instant validatedAt,
      boolean matchesValidated,
      List<Drift> differences) {}

  record Bundle(String id, List<BundleVersion> versions) {}

  record Prompt(String id, List<PromptVersion> versions) {}

  record Remediation(
      String drift,
      String environment,
      String key,
      String current,
      String blueprint,
      Instant plannedAt) {}

  record AuditVerification(boolean valid, long records, Long firstBrokenSeq) {}
}
