package org.plumbline.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What waits for a signature: the Approvals page (pending dispositions and gate overrides the
 * signed-in user may sign, never their own), the signing forms (an e-signature: a meaning and the
 * signer's token again), and the request of a gate override from an environment's page. Each form
 * sends one GraphQL mutation, as {@link Pages} does.
 */
final class ApprovalPages {
  static final String APPROVALS =
      """
      {
        pending: dispositionsPage(status: [PENDING], first: 500) {
          totalCount
          items { id kind status drift environment requestedBy requestedAt justification
            expiresAt requiredApprovals approverRoles stale
            approvals { by role meaning at comment countsAsApproval } }
        }
        overrides: gateOverrides(status: [PENDING]) { id environment bundle version
          requestedBy requestedAt justification expiresAt requiredApprovals approverRoles
          overridden { code message }
          approvals { by role meaning at comment countsAsApproval } }
        signatureMeanings { meaning countsAsApproval role }
      }
      """;

  static final String REQUEST_OVERRIDE =
      """
      mutation RequestOverride($env: ID!, $bundle: ID!, $version: String!,
          $justification: String!, $expiresAt: DateTime!) {
        requestGateOverride(environment: $env, bundle: $bundle, version: $version,
            justification: $justification, expiresAt: $expiresAt) {
          id status requiredApprovals approverRoles }
      }
      """;

  /** What can be signed: each with its approve and reject mutations. */
  enum Signable {
    DISPOSITION(
        "the disposition",
        "approveDisposition",
        """
        mutation Approve($id: ID!, $meaning: String!, $comment: String, $credential: String) {
          approveDisposition(disposition: $id, meaning: $meaning, comment: $comment,
              credential: $credential) { id status }
        }
        """,
        """
        mutation Reject($id: ID!, $reason: String!, $credential: String) {
          rejectDisposition(disposition: $id, reason: $reason, credential: $credential) { id status }
        }
        """),
    OVERRIDE(
        "the override",
        "approveGateOverride",
        """
        mutation Approve($id: ID!, $meaning: String!, $comment: String, $credential: String) {
          approveGateOverride(override: $id, meaning: $meaning, comment: $comment,
              credential: $credential) { id status }
        }
        """,
        """
        mutation Reject($id: ID!, $reason: String!, $credential: String) {
          rejectGateOverride(override: $id, reason: $reason, credential: $credential) { id status }
        }
        """);

    final String noun;
    final String approveField;
    final String approve;
    final String reject;

    Signable(String noun, String approveField, String approve, String reject) {
      this.noun = noun;
      this.approveField = approveField;
      this.approve = approve;
      this.reject = reject;
    }
  }

  private final ConsoleGraphQL graphql;
  private final Pages pages;
  private final Clock clock;

  ApprovalPages(ConsoleGraphQL graphql, Pages pages, Clock clock) {
    this.graphql = graphql;
    this.pages = pages;
    this.clock = clock;
  }

  Outcome approvals(RoutingContext ctx, Sessions.Session s) {
    JsonNode data = graphql.read(APPROVALS, Map.of(), s.caller);
    List<JsonNode> dispositions = new ArrayList<>();
    for (JsonNode p : data.path("pending").path("items")) {
      if (mine(p, s) && !p.path("stale").asBoolean()) {
        dispositions.add(p);
      }
    }
    List<JsonNode> overrides = new ArrayList<>();
    for (JsonNode o : data.path("overrides")) {
      if (mine(o, s)) {
        overrides.add(o);
      }
    }
    return pages.html(
        "approvals",
        "shell",
        pages.shell(s, "Approvals", "approvals"),
        "pending",
        dispositions,
        "overrides",
        overrides,
        "meanings",
        data.path("signatureMeanings"),
        "mayApprove",
        s.caller.hasAny("approver", "model-risk"));
  }

  /** Whether it waits for this user: not their own request, and not signed by them yet. */
  private static boolean mine(JsonNode pending, Sessions.Session s) {
    if (pending.path("requestedBy").asText().equals(s.caller.user())) {
      return false;
    }
    for (JsonNode ap : pending.path("approvals")) {
      if (ap.path("by").asText().equals(s.caller.user())) {
        return false;
      }
    }
    return true;
  }

  Outcome signDisposition(RoutingContext ctx, Sessions.Session s) {
    return sign(ctx, s, Signable.DISPOSITION);
  }

  Outcome signOverride(RoutingContext ctx, Sessions.Session s) {
    return sign(ctx, s, Signable.OVERRIDE);
  }

  private Outcome sign(RoutingContext ctx, Sessions.Session s, Signable what) {
    String back = "/console/approvals";
    String id = ctx.pathParam("id");
    String decision = ctx.request().getFormAttribute("decision");
    String credential = ctx.request().getFormAttribute("token");
    String comment = Pages.trimmed(ctx.request().getFormAttribute("comment"));
    if (credential == null || credential.isBlank()) {
      s.flash = "!Enter your token again to sign.";
      return new Outcome.Redirect(back);
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("id", id);
    vars.put("credential", credential.strip());
    if ("reject".equals(decision)) {
      if (comment == null) {
        s.flash = "!A rejection needs a reason: write it in the comment.";
        return new Outcome.Redirect(back);
      }
      vars.put("reason", comment);
      ConsoleGraphQL.Answer a = graphql.run(what.reject, vars, s.caller);
      s.flash = a.ok() ? "Rejected." : "!" + Pages.describe(a);
      return new Outcome.Redirect(back);
    }
    String meaning = Pages.trimmed(ctx.request().getFormAttribute("meaning"));
    if (meaning == null) {
      s.flash = "!Choose the meaning of your signature.";
      return new Outcome.Redirect(back);
    }
    vars.put("meaning", meaning);
    vars.put("comment", comment);
    ConsoleGraphQL.Answer a = graphql.run(what.approve, vars, s.caller);
    s.flash =
        a.ok()
            ? "Signed ("
                + meaning
                + "): "
                + what.noun
                + " is "
                + a.data().path(what.approveField).path("status").asText().toLowerCase(Locale.ROOT)
                + "."
            : "!" + Pages.describe(a);
    return new Outcome.Redirect(back);
  }

  /**
   * Requests an override of the environment's latest DENY of a stored version ({@code
   * bundle@version}), for a number of days within the tier's longest ACCEPT.
   */
  Outcome requestOverride(RoutingContext ctx, Sessions.Session s) {
    String id = ctx.pathParam("id");
    String back = "/console/environments/" + Fmt.enc(id);
    String subject = Pages.trimmed(ctx.request().getFormAttribute("subject"));
    String justification = Pages.trimmed(ctx.request().getFormAttribute("justification"));
    int at = subject == null ? -1 : subject.lastIndexOf('@');
    if (at < 1 || at == subject.length() - 1) {
      s.flash = "!Choose the denied version to override.";
      return new Outcome.Redirect(back);
    }
    if (justification == null) {
      s.flash = "!An override needs a justification.";
      return new Outcome.Redirect(back);
    }
    int days;
    try {
      String v = ctx.request().getFormAttribute("expiresInDays");
      days = Integer.parseInt(v == null ? "" : v.strip());
    } catch (NumberFormatException e) {
      days = -1;
    }
    if (days < 1 || days > 3660) {
      s.flash = "!An override needs an expiry: a number of days within the tier's limit.";
      return new Outcome.Redirect(back);
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("env", id);
    vars.put("bundle", subject.substring(0, at));
    vars.put("version", subject.substring(at + 1));
    vars.put("justification", justification);
    vars.put("expiresAt", clock.instant().plus(Duration.ofDays(days)).toString());
    ConsoleGraphQL.Answer a = graphql.run(REQUEST_OVERRIDE, vars, s.caller);
    if (!a.ok()) {
      s.flash = "!" + Pages.describe(a);
      return new Outcome.Redirect(back);
    }
    JsonNode o = a.data().path("requestGateOverride");
    int needed = o.path("requiredApprovals").asInt();
    s.flash =
        "Requested override "
            + o.path("id").asText()
            + ": waiting for "
            + needed
            + " approval"
            + (needed == 1 ? "" : "s")
            + " ("
            + Fmt.join(o.path("approverRoles"))
            + ").";
    return new Outcome.Redirect(back);
  }
}
