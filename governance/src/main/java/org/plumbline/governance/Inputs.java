package org.plumbline.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import org.plumbline.loaders.BlueprintParser;
import org.plumbline.loaders.ChangeRequestParser;
import org.plumbline.loaders.MetricSampleParser;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.loaders.ParsedMetricSample;
import org.plumbline.loaders.PromptParser;
import org.plumbline.loaders.Secrets;
import org.plumbline.loaders.SnapshotParser;
import org.plumbline.ontology.DispositionKind;
import org.plumbline.rules.MetricSample;

/**
 * Documents into commands: what the HTTP API, {@code plumbline load} and a replay of the journal
 * share, so a body is parsed (and refused, with every problem's pointer) the same way wherever it
 * comes from, before anything is journaled or stored.
 */
public final class Inputs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SnapshotParser snapshots;
  private final BlueprintParser blueprints;
  private final ChangeRequestParser changeRequests;
  private final PromptParser prompts;
  private final MetricSampleParser metrics;

  public Inputs(ParseLimits limits, Secrets secrets) {
    this.snapshots = new SnapshotParser(limits, secrets);
    this.blueprints = new BlueprintParser(limits, secrets);
    this.changeRequests = new ChangeRequestParser(limits);
    this.prompts = new PromptParser(limits);
    this.metrics = new MetricSampleParser(limits);
  }

  public Command.PostSnapshot snapshot(byte[] body, Caller caller) {
    return new Command.PostSnapshot(snapshots.parse(body), body, caller);
  }

  /**
   * A bundle version; its {@code validated} block counts only for posters who may record
   * validations (model-risk, admin).
   */
  public Command.PostBlueprint blueprint(byte[] body, String contentType, Caller caller) {
    return new Command.PostBlueprint(
        blueprints.parse(body, formatHint(contentType)),
        body,
        contentType,
        caller,
        caller.hasAny("model-risk", "admin"));
  }

  public Command.PostChangeRequests changeRequests(byte[] body, Caller caller) {
    return new Command.PostChangeRequests(changeRequests.parse(body), body, caller);
  }

  /**
   * A promotion gate's question about a candidate that is not stored: {@code blueprint} is the
   * candidate document (JSON or YAML, as a blueprint is posted), parsed and redacted like one and
   * never stored. Its {@code validated} block counts only for askers who may record validations
   * (model-risk, admin).
   */
  public Command.DecidePromotion candidateGate(
      byte[] blueprint, String environment, Caller caller) {
    return new Command.DecidePromotion(
        PromotionGates.Question.candidate(
            blueprints.parse(blueprint, null), environment, caller.hasAny("model-risk", "admin")),
        caller);
  }

  public Command.RegisterPrompt prompt(byte[] body, Caller caller) {
    return new Command.RegisterPrompt(prompts.parse(body), body, caller);
  }

  /**
   * The loader checks the document, the rules whether its values suit the kind; both refuse with
   * INVALID_METRIC_SAMPLE and every problem's pointer.
   */
  public Command.PostMetric metric(byte[] body, Caller caller) {
    ParsedMetricSample p = metrics.parse(body);
    MetricSample sample =
        MetricSample.of(
            p.environment(), p.metric(), p.kind(), p.window(), p.baseline(), p.values());
    return new Command.PostMetric(sample, body, caller);
  }

  /**
   * The command a journal entry recorded. Entries of kind {@code mutation} (GraphQL text, written
   * by servers before commands were journaled as such) are not commands: the caller replays them
   * through the GraphQL API.
   *
   * @throws IOException for a kind this version does not know
   */
  public Command<?> fromJournal(InputJournal.Entry e, byte[] body) throws IOException {
    Caller caller = e.caller();
    return switch (e.kind()) {
      case "snapshot" -> snapshot(body, caller);
      case "blueprint" -> blueprint(body, e.contentType(), caller);
      case "change-request" -> changeRequests(body, caller);
      case "prompt" -> prompt(body, caller);
      case "metric" -> metric(body, caller);
      case "expiry" -> new Command.Expire(caller);
      case "observation.check" -> new Command.CheckObservations(caller);
      case "audit.key.rotate" ->
          new Command.RotateSigningKey(
              org.plumbline.ontology.ledger.KeyRotation.fromJson(JSON.readTree(body)), caller);
      case "disposition.request" -> {
        JsonNode a = JSON.readTree(body);
        yield new Command.RequestDisposition(
            text(a, "drift"),
            DispositionKind.valueOf(text(a, "kind")),
            text(a, "justification"),
            instant(a, "expiresAt"),
            caller);
      }
      case "disposition.approve" -> {
        JsonNode a = JSON.readTree(body);
        yield new Command.ApproveDisposition(
            text(a, "disposition"), text(a, "meaning"), text(a, "comment"), caller);
      }
      case "disposition.reject" -> {
        JsonNode a = JSON.readTree(body);
        yield new Command.RejectDisposition(text(a, "disposition"), text(a, "reason"), caller);
      }
      case "blueprint.approve" -> {
        JsonNode a = JSON.readTree(body);
        yield new Command.ApproveBlueprint(
            text(a, "bundle"), text(a, "version"), text(a, "meaning"), text(a, "comment"), caller);
      }
      case "blueprint.reject" -> {
        JsonNode a = JSON.readTree(body);
        yield new Command.RejectBlueprint(
            text(a, "bundle"), text(a, "version"), text(a, "reason"), caller);
      }
      case "environment.extend" -> {
        JsonNode a = JSON.readTree(body);
        yield new Command.ExtendEnvironment(
            text(a, "environment"), instant(a, "until"), text(a, "justification"), caller);
      }
      case "bundle.validate" -> {
        JsonNode a = JSON.readTree(body);
        yield new Command.RecordValidation(
            text(a, "bundle"), text(a, "version"), text(a, "evidence"), caller);
      }
      case "gate.decide" -> {
        JsonNode a = JSON.readTree(body);
        yield new Command.DecidePromotion(
            a.hasNonNull("blueprint")
                ? PromotionGates.Question.candidate(
                    blueprints.parse(JSON.writeValueAsBytes(a.get("blueprint")), "json"),
                    text(a, "environment"),
                    a.path("mayValidate").asBoolean(false))
                : PromotionGates.Question.stored(
                    text(a, "bundle"), text(a, "version"), text(a, "environment")),
            caller);
      }
      case "gate.override.request" -> {
        JsonNode a = JSON.readTree(body);
        yield new Command.RequestGateOverride(
            text(a, "environment"),
            text(a, "bundle"),
            text(a, "version"),
            text(a, "justification"),
            instant(a, "expiresAt"),
            caller);
      }
      case "gate.override.approve" -> {
        JsonNode a = JSON.readTree(body);
        yield new Command.ApproveGateOverride(
            text(a, "override"), text(a, "meaning"), text(a, "comment"), caller);
      }
      case "gate.override.reject" -> {
        JsonNode a = JSON.readTree(body);
        yield new Command.RejectGateOverride(text(a, "override"), text(a, "reason"), caller);
      }
      default -> throw new IOException("unknown journal entry kind '" + e.kind() + "'");
    };
  }

  private static String text(JsonNode args, String name) {
    JsonNode v = args.get(name);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Instant instant(JsonNode args, String name) {
    String v = text(args, name);
    return v == null ? null : Instant.parse(v);
  }

  /** The format a content type names: {@code json}, {@code yaml}, or null to sniff it. */
  public static String formatHint(String contentType) {
    String type = String.valueOf(contentType);
    return type.contains("json") ? "json" : type.contains("yaml") ? "yaml" : null;
  }
}
