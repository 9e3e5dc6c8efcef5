package org.plumbline.rules.pack;

/**
 * A behavioural metric of the environment under the gate and where its drift tracker stands.
 *
 * @param status {@code STABLE}, {@code BREACH}, {@code DRIFT} or {@code COOLDOWN}
 */
public record GateMetric(String metric, String status) {}
