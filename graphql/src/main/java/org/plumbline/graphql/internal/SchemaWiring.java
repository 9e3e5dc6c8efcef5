package org.plumbline.graphql.internal;

import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Supplier;
import org.plumbline.governance.Governor;
import org.plumbline.ontology.GraphStore;
import org.plumbline.rules.RulePack;

/** Binds {@code schema.graphqls} to its data fetchers. */
public final class SchemaWiring {
  private SchemaWiring() {}

  public static GraphQLSchema schema(
      GraphStore store, Clock clock, Supplier<RulePack> rulePack, Governor governor) {
    Fetchers f = new Fetchers(store, clock, rulePack);
    DriftQueries drifts = new DriftQueries(store, f::requireEnvironment);
    Mutations m = new Mutations(governor);
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .scalar(Scalars.DATE_TIME)
            .scalar(Scalars.JSON_VALUE)
            .type(
                "Query",
                t ->
                    t.dataFetcher("environments", f.environments())
                        .dataFetcher("environment", f.environment())
                        .dataFetcher("changes", f.changesQuery(false))
                        .dataFetcher("changesPage", f.changesQuery(true))
                        .dataFetcher("drifts", drifts.query(false))
                        .dataFetcher("driftsPage", drifts.query(true))
                        .dataFetcher("drift", f.drift())
                        .dataFetcher("conformance", f.conformance())
                        .dataFetcher("dependents", f.dependents())
                        .dataFetcher("prompt", f.prompt())
                        .dataFetcher("auditTrail", f.auditTrail(false))
                        .dataFetcher("auditTrailPage", f.auditTrail(true))
                        .dataFetcher("verifyAudit", f.verifyAudit())
                        .dataFetcher("bundle", f.bundle())
                        .dataFetcher("metricSeries", f.metricSeries())
                        .dataFetcher("dispositions", f.dispositionsQuery(false))
                        .dataFetcher("dispositionsPage", f.dispositionsQuery(true))
                        .dataFetcher("remediations", f.remediations())
                        .dataFetcher("changeRequests", f.changeRequests())
                        .dataFetcher("rulePack", f.rulePack())
                        .dataFetcher("signatureMeanings", f.signatureMeanings())
                        .dataFetcher("gateDecisions", f.gateDecisions())
                        .dataFetcher("gateOverrides", f.gateOverrides()))
            .type(
                "Disposition",
                t ->
                    t.dataFetcher("stale", f.dispositionStale())
                        .dataFetcher("subjectHash", f.dispositionSubjectHash()))
            .type(
                "Approval",
                t ->
                    t.dataFetcher(
                        "countsAsApproval",
                        env -> !((org.plumbline.ontology.Approval) env.getSource()).reviewOnly()))
            .type(
                "SignatureMeaning",
                t ->
                    t.dataFetcher(
                        "countsAsApproval",
                        env ->
                            ((org.plumbline.rules.SignatureMeanings.Meaning) env.getSource())
                                .approves()))
            .type(
                "Environment",
                t ->
                    t.dataFetcher("configAt", f.configAt())
                        .dataFetcher("changes", f.environmentChanges(false))
                        .dataFetcher("changesPage", f.environmentChanges(true))
                        .dataFetcher("changeCount", f.environmentChangeCount())
                        .dataFetcher("drifts", drifts.ofEnvironment(false))
                        .dataFetcher("driftsPage", drifts.ofEnvironment(true))
                        .dataFetcher("metrics", f.environmentMetrics())
                        .dataFetcher(
                            "lastObservedAt",
                            f.environmentObservation(
                                org.plumbline.ontology.Observation::lastObservedAt))
                        .dataFetcher(
                            "stale",
                            f.environmentObservation(org.plumbline.ontology.Observation::stale))
                        .dataFetcher(
                            "observeEvery",
                            f.environmentObservation(o -> o.observeEvery().toString()))
                        .dataFetcher("findings", f.environmentFindings())
                        .dataFetcher("policyLimits", f.environmentPolicyLimits()))
            .type(
                "Drift",
                t ->
                    t.dataFetcher("environment", f.driftEnvironment())
                        .dataFetcher("assessment", f.driftAssessment())
                        .dataFetcher("trail", f.driftTrail())
                        .dataFetcher("dispositions", f.driftDispositions()))
            .type(
                "PromptVersion",
                t ->
                    t.dataFetcher("needsReevaluation", f.promptNeedsReevaluation())
                        .dataFetcher("deployments", f.promptDeployments()))
            .type(
                "BundleVersion",
                t ->
                    t.dataFetcher(
                            "validated",
                            env ->
                                ((org.plumbline.ontology.BundleVersion) env.getSource())
                                    .validated())
                        .dataFetcher("validatedAt", Fetchers.validation(v -> v.at()))
                        .dataFetcher("validatedBy", Fetchers.validation(v -> v.by()))
                        .dataFetcher("evidence", Fetchers.validation(v -> v.evidence()))
                        .dataFetcher("config", f.bundleVersionDocument("config"))
                        .dataFetcher("overrides", f.bundleVersionDocument("overrides"))
                        .dataFetcher("blueprint", f.bundleVersionDocument(null)))
            .type(
                "Mutation",
                t ->
                    t.dataFetcher("requestDisposition", m.request())
                        .dataFetcher("approveDisposition", m.approve())
                        .dataFetcher("rejectDisposition", m.reject())
                        .dataFetcher("extendEnvironment", m.extend())
                        .dataFetcher("recordValidation", m.recordValidation())
                        .dataFetcher("approveBlueprint", m.approveBlueprint())
                        .dataFetcher("rejectBlueprint", m.rejectBlueprint())
                        .dataFetcher("promotionGate", m.promotionGate())
                        .dataFetcher("requestGateOverride", m.requestGateOverride())
                        .dataFetcher("approveGateOverride", m.approveGateOverride())
                        .dataFetcher("rejectGateOverride", m.rejectGateOverride()))
            .type("Bundle", t -> t.dataFetcher("proposals", f.bundleProposals()))
            .type(
                "BlueprintProposal",
                t ->
                    t.dataFetcher(
                        "subjectHash",
                        env ->
                            org.plumbline.governance.BlueprintApprovals.subjectHash(
                                (org.plumbline.ontology.BlueprintProposal) env.getSource())))
            .build();
    return new SchemaGenerator().makeExecutableSchema(registry(), wiring);
  }

  private static TypeDefinitionRegistry registry() {
    try (InputStream in =
        SchemaWiring.class.getResourceAsStream("/org/plumbline/graphql/schema.graphqls")) {
      return new SchemaParser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("schema.graphqls is missing from the classpath", e);
    }
  }
}
