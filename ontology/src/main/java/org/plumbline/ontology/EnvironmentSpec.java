package org.plumbline.ontology;

import java.time.Duration;

/** An environment as a blueprint declares it. {@code ttl} is null for none. */
public record EnvironmentSpec(
    String id, String name, Tier tier, String owner, String system, Duration ttl) {}
