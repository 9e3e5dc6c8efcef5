/**
 * The published API of rule packs: the facts and functions that DRL files and decision tables
 * import. Governance teams program against this package, so it changes only compatibly.
 *
 * <ul>
 *   <li>{@link org.plumbline.rules.pack.AssessmentDraft}: the assessment the rules build for one
 *       drift (risk category, severity, authorization, approvals, findings).
 *   <li>{@link org.plumbline.rules.pack.ApprovalRequirement}, {@link
 *       org.plumbline.rules.pack.TierLimits}, {@link org.plumbline.rules.pack.MetricThresholds}:
 *       the questions the decision tables answer (approvals per tier and severity, the longest
 *       accept and extension per tier, behavioural drift thresholds per tier).
 *   <li>{@link org.plumbline.rules.pack.GateFacts}, {@link org.plumbline.rules.pack.GatePrompt},
 *       {@link org.plumbline.rules.pack.GateDrift}, {@link org.plumbline.rules.pack.GateMetric},
 *       {@link org.plumbline.rules.pack.GateChangeWindow}: what a promotion gate decides on; {@link
 *       org.plumbline.rules.pack.GateDecision}: its answer, to which rules add {@link
 *       org.plumbline.rules.pack.GateReason}s ({@code gates.drl}).
 *   <li>{@link org.plumbline.rules.pack.RuleFunctions}: functions rules call with {@code import
 *       function org.plumbline.rules.pack.RuleFunctions.name;} (globs, model aliases, gradual
 *       drift, durations). Every one is total: bad input gives {@code false}, never an exception.
 * </ul>
 *
 * <p>The domain records rules read ({@code Drift}, {@code Environment}, {@code Tier}, {@code
 * Severity}, ...) come from {@code org.plumbline.ontology}. Packs written before 0.1 imported these
 * classes from {@code org.plumbline.rules.internal}; {@link org.plumbline.rules.RulePack} still
 * compiles them, with a warning naming the file.
 */
package org.plumbline.rules.pack;
