package org.plumbline.graphql.internal;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import java.time.Instant;
import org.plumbline.governance.Caller;
import org.plumbline.governance.Command;
import org.plumbline.governance.Governor;
import org.plumbline.graphql.ApiError;
import org.plumbline.ontology.BlueprintProposal;
import org.plumbline.ontology.BundleVersion;
import org.plumbline.ontology.Disposition;
import org.plumbline.ontology.DispositionKind;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.GateOverride;
import org.plumbline.ontology.PlumblineException;

/**
 * The mutations: role checks here, then a typed command to the {@link Governor}, which journals it
 * and applies it (policy checks in the governance services). A signer's re-entered credential was
 * checked before the mutation ran and is not part of the command.
 */
final class Mutations {
  private final Governor governor;

  Mutations(Governor governor) {
    this.governor = governor;
  }

  private static Caller caller(DataFetchingEnvironment env, String... roles) {
    Caller c = env.getGraphQlContext().get(Caller.class);
    if (c == null || !c.hasAny(roles)) {
      throw new PlumblineException(
          ApiError.FORBIDDEN,
          env.getField().getName() + " needs one of the roles " + String.join(", ", roles));
    }
    return c;
  }

  DataFetcher<Disposition> request() {
    return env ->
        governor.execute(
            new Command.RequestDisposition(
                env.getArgument("drift"),
                DispositionKind.valueOf(env.getArgument("kind")),
                env.getArgument("justification"),
                (Instant) env.getArgument("expiresAt"),
                caller(env, "operator")));
  }

  DataFetcher<Disposition> approve() {
    return env ->
        governor.execute(
            new Command.ApproveDisposition(
                env.getArgument("disposition"),
                env.getArgument("meaning"),
                env.getArgument("comment"),
                caller(env, "approver", "model-risk")));
  }

  DataFetcher<Disposition> reject() {
    return env ->
        governor.execute(
            new Command.RejectDisposition(
                env.getArgument("disposition"),
                env.getArgument("reason"),
                caller(env, "approver", "model-risk")));
  }

  DataFetcher<BlueprintProposal> approveBlueprint() {
    return env ->
        governor.execute(
            new Command.ApproveBlueprint(
                env.getArgument("bundle"),
                env.getArgument("version"),
                env.getArgument("meaning"),
                env.getArgument("comment"),
                caller(env, "approver", "model-risk")));
  }

  DataFetcher<BlueprintProposal> rejectBlueprint() {
    return env ->
        governor.execute(
            new Command.RejectBlueprint(
                env.getArgument("bundle"),
                env.getArgument("version"),
                env.getArgument("reason"),
                caller(env, "approver", "model-risk")));
  }

  DataFetcher<Environment> extend() {
    return env ->
        governor.execute(
            new Command.ExtendEnvironment(
                env.getArgument("environment"),
                (Instant) env.getArgument("until"),
                env.getArgument("justification"),
                caller(env, "operator")));
  }

  DataFetcher<BundleVersion> recordValidation() {
    return env ->
        governor.execute(
            new Command.RecordValidation(
                env.getArgument("bundle"),
                env.getArgument("version"),
                env.getArgument("evidence"),
                caller(env, "model-risk")));
  }

  /** A promotion gate over a stored version; decided and audited through the governor. */
  DataFetcher<java.util.Map<String, Object>> promotionGate() {
    return env -> {
      org.plumbline.governance.PromotionGates.Outcome o =
          governor.execute(
              new Command.DecidePromotion(
                  org.plumbline.governance.PromotionGates.Question.stored(
                      env.getArgument("bundle"),
                      env.getArgument("version"),
                      env.getArgument("environment")),
                  caller(env, "loader", "operator")));
      java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("decision", o.decision().decision().name());
      out.put(
          "reasons",
          o.decision().reasons().stream()
              .map(
                  r -> {
                    java.util.Map<String, Object> m = new java.util.HashMap<>();
                    m.put("code", r.code());
                    m.put("message", r.message());
                    m.put("subject", r.subject());
                    return m;
                  })
              .toList());
      out.put("rulePackVersion", o.decision().rulePackVersion());
      out.put("firedRules", o.decision().firedRules());
      out.put("auditSeq", o.auditSeq());
      out.put("bundle", o.bundle());
      out.put("version", o.version());
      out.put("environment", o.environment());
      out.put("candidate", o.candidate());
      out.put("decidedAt", o.decidedAt());
      out.put("override", o.override());
      out.put("overridden", o.overridden());
      return out;
    };
  }

  DataFetcher<GateOverride> requestGateOverride() {
    return env ->
        governor.execute(
            new Command.RequestGateOverride(
                env.getArgument("environment"),
                env.getArgument("bundle"),
                env.getArgument("version"),
                env.getArgument("justification"),
                (Instant) env.getArgument("expiresAt"),
                caller(env, "operator")));
  }

  DataFetcher<GateOverride> approveGateOverride() {
    return env ->
        governor.execute(
            new Command.ApproveGateOverride(
                env.getArgument("override"),
                env.getArgument("meaning"),
                env.getArgument("comment"),
                caller(env, "approver", "model-risk")));
  }

  DataFetcher<GateOverride> rejectGateOverride() {
    return env ->
        governor.execute(
            new Command.RejectGateOverride(
                env.getArgument("override"),
                env.getArgument("reason"),
                caller(env, "approver", "model-risk")));
  }
}
