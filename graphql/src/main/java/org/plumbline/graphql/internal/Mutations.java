package org.plumbline.graphql.internal;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import java.time.Instant;
import org.plumbline.graphql.ApiError;
import org.plumbline.graphql.Caller;
import org.plumbline.ontology.BlueprintProposal;
import org.plumbline.ontology.BundleVersion;
import org.plumbline.ontology.Disposition;
import org.plumbline.ontology.DispositionKind;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.rules.Dispositions;

/** The mutations: role checks here, policy checks in {@link Dispositions}. */
final class Mutations {
  private final Dispositions dispositions;

  Mutations(Dispositions dispositions) {
    this.dispositions = dispositions;
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
    return env -> {
      Caller c = caller(env, "operator");
      return dispositions.request(
          env.getArgument("drift"),
          DispositionKind.valueOf(env.getArgument("kind")),
          env.getArgument("justification"),
          (Instant) env.getArgument("expiresAt"),
          c.user());
    };
  }

  DataFetcher<Disposition> approve() {
    return env -> {
      Caller c = caller(env, "approver", "model-risk");
      return dispositions.approve(
          env.getArgument("disposition"),
          env.getArgument("meaning"),
          env.getArgument("comment"),
          c.user(),
          c.roles());
    };
  }

  DataFetcher<Disposition> reject() {
    return env -> {
      Caller c = caller(env, "approver", "model-risk");
      return dispositions.reject(
          env.getArgument("disposition"), env.getArgument("reason"), c.user(), c.roles());
    };
  }

  DataFetcher<BlueprintProposal> approveBlueprint() {
    return env -> {
      Caller c = caller(env, "approver", "model-risk");
      return dispositions
          .blueprints()
          .approve(
              env.getArgument("bundle"),
              env.getArgument("version"),
              env.getArgument("meaning"),
              env.getArgument("comment"),
              c.user(),
              c.roles());
    };
  }

  DataFetcher<BlueprintProposal> rejectBlueprint() {
    return env -> {
      Caller c = caller(env, "approver", "model-risk");
      return dispositions
          .blueprints()
          .reject(
              env.getArgument("bundle"),
              env.getArgument("version"),
              env.getArgument("reason"),
              c.user(),
              c.roles());
    };
  }

  DataFetcher<Environment> extend() {
    return env -> {
      Caller c = caller(env, "operator");
      return dispositions.extendEnvironment(
          env.getArgument("environment"),
          (Instant) env.getArgument("until"),
          env.getArgument("justification"),
          c.user());
    };
  }

  DataFetcher<BundleVersion> recordValidation() {
    return env -> {
      Caller c = caller(env, "model-risk");
      return dispositions.recordValidation(
          env.getArgument("bundle"),
          env.getArgument("version"),
          env.getArgument("evidence"),
          c.user());
    };
  }
}
