package org.plumbline.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.plumbline.server.http.resources.Reply;

/**
 * The console's pages: each reads what it shows with one GraphQL query as the signed-in user and
 * renders a template; each form sends one GraphQL mutation through the same entry as {@code POST
 * /graphql}. Runs on worker threads.
 */
public final class Pages {
  /** The audit export of the REST API ({@code GET /api/v1/environments/{id}/audit}). */
  @FunctionalInterface
  public interface Exports {
    Reply export(RoutingContext ctx, String environment);
  }

  static final String INBOX =
      """
      query Inbox($status: [DriftStatus!], $tiers: [Tier!], $authorization: Authorization,
          $risk: RiskCategory, $kind: DriftKind, $system: String, $owner: String,
          $since: DateTime, $minSeverity: Severity, $after: String, $first: Int) {
        page: driftsPage(status: $status, tiers: $tiers, authorization: $authorization,
            riskCategory: $risk, kind: $kind, system: $system, owner: $owner,
            detectedSince: $since, minSeverity: $minSeverity, orderBy: SEVERITY,
            first: $first, after: $after) {
          totalCount
          pageInfo { endCursor hasNextPage }
          items {
            id key expected actual detectedAt status kind
            environment { id tier }
            assessment { severity authorization riskCategory findings }
          }
        }
        CRITICAL: driftsPage(status: $status, tiers: $tiers, authorization: $authorization,
            riskCategory: $risk, kind: $kind, system: $system, owner: $owner,
            detectedSince: $since, minSeverity: CRITICAL, first: 0) { totalCount }
        HIGH: driftsPage(status: $status, tiers: $tiers, authorization: $authorization,
            riskCategory: $risk, kind: $kind, system: $system, owner: $owner,
            detectedSince: $since, minSeverity: HIGH, first: 0) { totalCount }
        MEDIUM: driftsPage(status: $status, tiers: $tiers, authorization: $authorization,
            riskCategory: $risk, kind: $kind, system: $system, owner: $owner,
            detectedSince: $since, minSeverity: MEDIUM, first: 0) { totalCount }
        LOW: driftsPage(status: $status, tiers: $tiers, authorization: $authorization,
            riskCategory: $risk, kind: $kind, system: $system, owner: $owner,
            detectedSince: $since, minSeverity: LOW, first: 0) { totalCount }
        environments { system owner }
      }
      """;

  static final String ENVIRONMENTS =
      """
      { environments { id name tier owner system status expiresAt bundle bundleVersion
          open: driftsPage(status: [OPEN, PENDING_APPROVAL], first: 0) { totalCount } } }
      """;

  static final String ENVIRONMENT =
      """
      query Env($id: ID!, $at: DateTime) {
        environment(id: $id) {
          id name tier owner system status expiresAt bundle bundleVersion
          policyLimits { longestExtension longestExtensionDays longestAcceptDays }
          prompt: configAt { key value }
          changes: changesPage(lastDays: 30, first: 1000) { totalCount items { key from to at source } }
          drifts(status: [OPEN, PENDING_APPROVAL, REVERT_APPROVED, EXCEPTED]) {
            id key expected actual detectedAt status assessment { severity authorization } }
          metrics { metric kind baseline status windows }
        }
        now: conformance(environment: $id) { asOf bundleVersion matchesBlueprint
          validatedVersion validatedAt matchesValidated metricsStable stale differences { id key } }
        then: conformance(environment: $id, at: $at) { asOf bundleVersion matchesBlueprint
          validatedVersion validatedAt matchesValidated metricsStable stale differences { id key } }
        gates: gateDecisions(environment: $id, first: 20) { auditSeq decidedAt askedBy subject
          candidate decision reasons { code message subject } override approvedBy
          overridden { code subject } }
        overrides: gateOverrides(environment: $id) { id bundle version status requestedBy
          requestedAt justification expiresAt requiredApprovals approvals { by role meaning countsAsApproval }
          overridden { code } }
      }
      """;

  static final String METRIC_SERIES =
      """
      query Series($env: ID!, $metric: String!) {
        metricSeries(environment: $env, metric: $metric) {
          seq window kind statistic pValue psi status effect baseline beyondThreshold }
      }
      """;

  static final String PROMPT =
      """
      query Prompt($id: ID!) { prompt(id: $id) { id versions { version contentHash
        testedWithModel evalScore verifiedAt needsReevaluation text evalSuite
        deployments { environment model needsReevaluation } } } }
      """;

  static final String DRIFT =
      """
      query Drift($id: ID!) {
        drift(id: $id) {
          id key expected actual detectedAt status kind trail
          environment { id name tier owner policyLimits { longestAccept longestAcceptDays } }
          assessment { riskCategory severity authorization owner blastRadius reevaluate
            requiredApprovals approverRoles findings explanation firedRules rulePackVersion
            changeRequests }
          dispositions { id kind status requestedBy requestedAt justification expiresAt
            requiredApprovals approverRoles decidedAt decision stale
            approvals { by role meaning at comment countsAsApproval } }
        }
      }
      """;

  static final String REQUEST =
      """
      mutation Request($drift: ID!, $kind: DispositionKind!, $justification: String!,
          $expiresAt: DateTime) {
        requestDisposition(drift: $drift, kind: $kind, justification: $justification,
            expiresAt: $expiresAt) { id kind status requiredApprovals approverRoles }
      }
      """;

  static final String EXTEND =
      """
      mutation Extend($id: ID!, $until: DateTime!, $justification: String!) {
        extendEnvironment(environment: $id, until: $until, justification: $justification) {
          id expiresAt }
      }
      """;

  static final String EVIDENCE_AUDITOR =
      """
      { verifyAudit { valid records firstBrokenSeq reason root }
        environments { id name tier bundleVersion
          changed: changeCount(lastDays: 90)
          open: driftsPage(status: [OPEN, PENDING_APPROVAL], first: 0) { totalCount } } }
      """;

  static final String CONFORMANCE =
      """
      query C($id: ID!) { conformance(environment: $id) { matchesBlueprint matchesValidated
        validatedVersion metricsStable } }
      """;

  static final String RULES =
      """
      { rulePack { version rules ruleNames activatedSeq activatedAt activatedBy }
        signatureMeanings { meaning countsAsApproval role } }
      """;

  static final String CHANGE_REQUESTS =
      "{ changeRequests { id environment keys from until approvedBy } }";

  private final ConsoleGraphQL graphql;
  private final Templates templates;
  private final Clock clock;
  private final Exports exports;

  Pages(ConsoleGraphQL graphql, Templates templates, Clock clock, Exports exports) {
    this.graphql = graphql;
    this.templates = templates;
    this.clock = clock;
    this.exports = exports;
  }

  Shell shell(Sessions.Session s, String title, String page) {
    String flash = s.takeFlash();
    boolean error = flash != null && flash.startsWith("!");
    return new Shell(
        title, page, s.caller, s.csrf, error ? flash.substring(1) : flash, error, clock.instant());
  }

  Outcome html(String template, Object... params) {
    return new Outcome.Html(200, templates.render(template, Console.params(params)));
  }

  // ---- inbox ----

  Outcome inbox(RoutingContext ctx, Sessions.Session s) {
    InboxFilters f = InboxFilters.of(ctx.request().params());
    Map<String, Object> vars = new LinkedHashMap<>(f.variables());
    vars.put("minSeverity", f.minSeverity());
    vars.put("after", f.after());
    vars.put("first", InboxFilters.PAGE);
    JsonNode data = graphql.read(INBOX, vars, s.caller);
    Map<String, Integer> counts = new LinkedHashMap<>();
    int above = 0;
    for (String sev : f.countedSeverities()) {
      int atLeast = data.path(sev).path("totalCount").asInt();
      counts.put(sev, atLeast - above);
      above = atLeast;
    }
    TreeSet<String> systems = new TreeSet<>();
    TreeSet<String> owners = new TreeSet<>();
    for (JsonNode e : data.path("environments")) {
      if (e.hasNonNull("system")) {
        systems.add(e.path("system").asText());
      }
      if (e.hasNonNull("owner")) {
        owners.add(e.path("owner").asText());
      }
    }
    return html(
        "inbox",
        "shell",
        shell(s, "Inbox", "inbox"),
        "filters",
        f,
        "page",
        data.path("page"),
        "counts",
        counts,
        "systems",
        List.copyOf(systems),
        "owners",
        List.copyOf(owners));
  }

  // ---- environments ----

  Outcome environments(RoutingContext ctx, Sessions.Session s) {
    JsonNode data = graphql.read(ENVIRONMENTS, Map.of(), s.caller);
    return html(
        "environments",
        "shell",
        shell(s, "Environments", "environments"),
        "environments",
        data.path("environments"));
  }

  Outcome environment(RoutingContext ctx, Sessions.Session s) {
    String id = ctx.pathParam("id");
    String atText = ctx.request().getParam("at");
    Instant at = parseDay(atText, true);
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("id", id);
    vars.put("at", at == null ? null : at.toString());
    ConsoleGraphQL.Answer a = graphql.run(ENVIRONMENT, vars, s.caller);
    if (!a.ok()) {
      if (a.problems().get(0).code().equals("UNKNOWN_ENVIRONMENT")) {
        return notFound(s);
      }
      throw new ConsoleException(a.problems().get(0));
    }
    if (a.data().path("environment").isNull()) {
      return notFound(s);
    }
    JsonNode env = a.data().path("environment");
    List<Chart> charts = new ArrayList<>();
    for (JsonNode m : env.path("metrics")) {
      JsonNode series =
          graphql
              .read(METRIC_SERIES, Map.of("env", id, "metric", m.path("metric").asText()), s.caller)
              .path("metricSeries");
      charts.add(new Chart(m, series, series.toString()));
    }
    List<JsonNode> changes = new ArrayList<>();
    env.path("changes").path("items").forEach(changes::add);
    java.util.Collections.reverse(changes);
    String prompt = null;
    for (JsonNode kv : env.path("prompt")) {
      if (kv.path("key").asText().equals("prompt.system")) {
        prompt = Fmt.value(kv.path("value"));
      }
    }
    return html(
        "environment",
        "shell",
        shell(s, id, "environments"),
        "env",
        env,
        "now",
        a.data().path("now"),
        "then",
        at == null ? null : a.data().path("then"),
        "gates",
        a.data().path("gates"),
        "overrides",
        a.data().path("overrides"),
        "overridable",
        overridable(a.data().path("gates"), a.data().path("overrides")),
        "at",
        at == null ? null : LocalDate.ofInstant(at, ZoneOffset.UTC).toString(),
        "changes",
        changes.subList(0, Math.min(100, changes.size())),
        "charts",
        charts,
        "prompt",
        prompt);
  }

  /**
   * The version ({@code bundle@version}) whose latest answer is a DENY that no override covers or
   * awaits: what the environment page offers to override; null when there is none.
   */
  private String overridable(JsonNode gates, JsonNode overrides) {
    JsonNode latest = gates.path(0);
    if (!latest.path("decision").asText().equals("DENY") || latest.path("candidate").asBoolean()) {
      return null;
    }
    String subject = latest.path("subject").asText();
    for (JsonNode o : overrides) {
      boolean same = (o.path("bundle").asText() + "@" + o.path("version").asText()).equals(subject);
      boolean live =
          o.path("status").asText().equals("PENDING")
              || o.path("status").asText().equals("APPROVED")
                  && Instant.parse(o.path("expiresAt").asText()).isAfter(clock.instant());
      if (same && live) {
        return null;
      }
    }
    return subject;
  }

  /** One metric's chart: its summary, its windows and the same as JSON for the script. */
  public record Chart(JsonNode metric, JsonNode windows, String json) {}

  Outcome extend(RoutingContext ctx, Sessions.Session s) {
    String id = ctx.pathParam("id");
    String back = "/console/environments/" + Fmt.enc(id);
    Instant until = parseDay(ctx.request().getFormAttribute("until"), true);
    String justification = trimmed(ctx.request().getFormAttribute("justification"));
    if (until == null || justification == null) {
      s.flash = "!Give the new expiry date and a justification.";
      return new Outcome.Redirect(back);
    }
    ConsoleGraphQL.Answer a =
        graphql.run(
            EXTEND,
            Map.of("id", id, "until", until.toString(), "justification", justification),
            s.caller);
    s.flash =
        a.ok()
            ? "Extended until " + Fmt.when(a.data().path("extendEnvironment").path("expiresAt"))
            : "!" + describe(a);
    return new Outcome.Redirect(back);
  }

  // ---- drift ----

  Outcome drift(RoutingContext ctx, Sessions.Session s) {
    JsonNode d = graphql.read(DRIFT, Map.of("id", ctx.pathParam("id")), s.caller).path("drift");
    if (d.isNull() || d.isMissingNode()) {
      return notFound(s);
    }
    return html("drift", "shell", shell(s, d.path("key").asText(), "inbox"), "d", d);
  }

  Outcome request(RoutingContext ctx, Sessions.Session s) {
    String id = ctx.pathParam("id");
    String back = "/console/drifts/" + Fmt.enc(id);
    String kind = ctx.request().getFormAttribute("kind");
    String justification = trimmed(ctx.request().getFormAttribute("justification"));
    if (kind == null || !List.of("REVERT", "CODIFY", "ACCEPT").contains(kind)) {
      s.flash = "!Choose Revert, Codify or Accept.";
      return new Outcome.Redirect(back);
    }
    if (justification == null) {
      s.flash = "!A disposition needs a justification.";
      return new Outcome.Redirect(back);
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("drift", id);
    vars.put("kind", kind);
    vars.put("justification", justification);
    if (kind.equals("ACCEPT")) {
      String days = ctx.request().getFormAttribute("expiresInDays");
      int n;
      try {
        n = Integer.parseInt(days == null ? "" : days.strip());
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > 3660) {
        s.flash = "!Accept needs an expiry: a number of days within the tier's limit.";
        return new Outcome.Redirect(back);
      }
      vars.put("expiresAt", clock.instant().plus(Duration.ofDays(n)).toString());
    } else {
      vars.put("expiresAt", null);
    }
    ConsoleGraphQL.Answer a = graphql.run(REQUEST, vars, s.caller);
    if (a.ok()) {
      JsonNode r = a.data().path("requestDisposition");
      int needed = r.path("requiredApprovals").asInt();
      s.flash =
          "Requested "
              + r.path("kind").asText().toLowerCase(java.util.Locale.ROOT)
              + ": "
              + (needed == 0
                  ? "no approval needed, it is "
                      + r.path("status").asText().toLowerCase(java.util.Locale.ROOT)
                  : "waiting for "
                      + needed
                      + " approval"
                      + (needed == 1 ? "" : "s")
                      + " ("
                      + Fmt.join(r.path("approverRoles"))
                      + ")")
              + ".";
    } else {
      s.flash = "!" + describe(a);
    }
    return new Outcome.Redirect(back);
  }

  // ---- evidence ----

  Outcome evidence(RoutingContext ctx, Sessions.Session s) {
    if (!s.caller.hasAny("auditor")) {
      return forbidden(s, "The evidence page is the auditor's.");
    }
    JsonNode data = graphql.read(EVIDENCE_AUDITOR, Map.of(), s.caller);
    Map<String, JsonNode> conformance = new LinkedHashMap<>();
    for (JsonNode e : data.path("environments")) {
      String id = e.path("id").asText();
      conformance.put(
          id, graphql.read(CONFORMANCE, Map.of("id", id), s.caller).path("conformance"));
    }
    return html(
        "evidence",
        "shell",
        shell(s, "Evidence", "evidence"),
        "ledger",
        data.path("verifyAudit"),
        "environments",
        data.path("environments"),
        "conformance",
        conformance);
  }

  Outcome export(RoutingContext ctx, Sessions.Session s) {
    if (!s.caller.hasAny("auditor")) {
      return forbidden(s, "Audit exports are the auditor's.");
    }
    String env = trimmed(ctx.request().getParam("environment"));
    String format = ctx.request().getParam("format", "json");
    Reply r = exports.export(ctx, env);
    String ext =
        switch (format) {
          case "csv" -> "csv";
          case "jsonld" -> "jsonld";
          case "html" -> null;
          case "pdf" -> "pdf";
          default -> "json";
        };
    String name =
        ext == null
            ? null
            : "plumbline-audit-"
                + (env == null ? "all" : env.replaceAll("[^A-Za-z0-9._-]", "_"))
                + "."
                + ext;
    return new Outcome.File(r.contentType(), r.bytes(), name);
  }

  // ---- prompts, rule pack, change requests ----

  Outcome prompts(RoutingContext ctx, Sessions.Session s) {
    String id = trimmed(ctx.request().getParam("id"));
    JsonNode prompt = null;
    if (id != null) {
      prompt = graphql.read(PROMPT, Map.of("id", id), s.caller).path("prompt");
    }
    return html("prompts", "shell", shell(s, "Prompts", "prompts"), "id", id, "prompt", prompt);
  }

  Outcome rules(RoutingContext ctx, Sessions.Session s) {
    JsonNode data = graphql.read(RULES, Map.of(), s.caller);
    return html(
        "rules",
        "shell",
        shell(s, "Rule pack", "rules"),
        "pack",
        data.path("rulePack"),
        "meanings",
        data.path("signatureMeanings"));
  }

  Outcome changeRequests(RoutingContext ctx, Sessions.Session s) {
    JsonNode data = graphql.read(CHANGE_REQUESTS, Map.of(), s.caller);
    return html(
        "changeRequests",
        "shell",
        shell(s, "Change requests", "change-requests"),
        "requests",
        data.path("changeRequests"));
  }

  // ---- messages ----

  Outcome notFound(Sessions.Session s) {
    return new Outcome.Html(
        404,
        message(
            new Shell(
                "Not found",
                "",
                s.caller,
                s.csrf,
                "There is nothing here: it may have been removed, or the link is wrong.",
                true,
                clock.instant())));
  }

  private Outcome forbidden(Sessions.Session s, String why) {
    return new Outcome.Html(
        403, message(new Shell("Not allowed", "", s.caller, s.csrf, why, true, clock.instant())));
  }

  Outcome failed(Sessions.Session s, ConsoleGraphQL.Problem p) {
    int status =
        switch (p.code()) {
          case "FORBIDDEN" -> 403;
          case "UNKNOWN_ENVIRONMENT", "NOT_FOUND", "UNKNOWN_DRIFT" -> 404;
          case "INTERNAL" -> 500;
          default -> 400;
        };
    return new Outcome.Html(
        status,
        message(
            new Shell(
                "Could not show this page",
                "",
                s == null ? null : s.caller,
                s == null ? "" : s.csrf,
                p.message() + " (" + p.code() + ")",
                true,
                clock.instant())));
  }

  String message(Shell shell) {
    return templates.render("message", Console.params("shell", shell));
  }

  static String describe(ConsoleGraphQL.Answer a) {
    ConsoleGraphQL.Problem p = a.problems().get(0);
    return p.message() + " (" + p.code() + ")";
  }

  static String trimmed(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** A date (yyyy-mm-dd) as the end of that day, UTC; null when absent or not a date. */
  private static Instant parseDay(String v, boolean endOfDay) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      LocalDate day = LocalDate.parse(v.strip());
      return endOfDay
          ? day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1)
          : day.atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
