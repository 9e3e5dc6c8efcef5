package org.plumbline.graphql.internal;

import java.time.Instant;
import java.util.List;
import org.plumbline.ontology.BundleVersion;
import org.plumbline.ontology.PromptVersion;

/** Shapes the schema has that the domain records do not. */
final class Views {
  private Views() {}

  record ConfigValue(String key, String value) {}

  record Bundle(String id, List<BundleVersion> versions) {}

  record Prompt(String id, List<PromptVersion> versions) {}

  record Remediation(
      String drift,
      String environment,
      String key,
      String current,
      String blueprint,
      Instant plannedAt) {}

  record RulePackInfo(
      String version,
      int rules,
      List<String> ruleNames,
      Long activatedSeq,
      Instant activatedAt,
      String activatedBy) {}

  record AuditVerification(
      boolean valid, long records, Long firstBrokenSeq, String reason, String root) {}
}
