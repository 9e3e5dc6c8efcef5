package org.plumbline.ontology;

import java.time.Instant;

/**
 * A registered environment with its governing bundle.
 *
 * @param status ACTIVE, EXPIRED or DECOMMISSIONED
 */
public record Environment(
    String id,
    String name,
    Tier tier,
    String owner,
    String system,
    String status,
    Instant registeredAt,
    Instant expiresAt,
    String bundle,
    String bundleVersion) {}
