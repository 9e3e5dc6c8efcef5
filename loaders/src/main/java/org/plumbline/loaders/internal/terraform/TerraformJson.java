package org.plumbline.loaders.internal.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plumbline.loaders.Format;
import org.plumbline.loaders.LoadContext;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.LoaderError;
import org.plumbline.loaders.internal.Document;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Observations;
import org.plumbline.loaders.internal.Problems;
import org.plumbline.loaders.internal.Redaction;
import org.plumbline.ontology.Snapshot;

/**
 * {@code terraform show -json} output. A state gives the resources of {@code values.root_module}
 * and its child modules; a plan gives its {@code prior_state} (the refreshed state: what is really
 * there) with each {@code resource_drift} entry laid over it, so a refresh-only plan yields what
 * changed outside Terraform even when the producer left {@code prior_state} out.
 *
 * <p>Keys: {@code terraform.<address>.<attribute path>}, the address exactly as {@code terraform
 * state list} prints it ({@code module.llm.aws_instance.web[0]}), and {@code
 * terraform.outputs.<name>}. Data sources are lookups, not configuration, and are left out, as is
 * {@code tags_all} (tags plus provider defaults, derived). Values Terraform marks sensitive are
 * flagged secret and redacted by {@link org.plumbline.loaders.Secrets}: {@code show -json} prints
 * them in clear.
 */
public final class TerraformJson {
  private static final String PREFIX = "terraform.";

  private final LoadContext context;
  private final Problems problems = new Problems();
  private final ObjectNode config = JsonNodeFactory.instance.objectNode();
  private final Map<String, String> firstPointer = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private int dataSources;

  private TerraformJson(LoadContext context) {
    this.context = context;
  }

  /** Parses one {@code terraform show -json} document. */
  public static Loaded.SnapshotsLoaded parse(List<Document> documents, LoadContext context) {
    return new TerraformJson(context).parse(documents);
  }

  private Loaded.SnapshotsLoaded parse(List<Document> documents) {
    if (documents.size() != 1) {
      problems.add(
          "",
          "must be one JSON document (the output of terraform show -json), got "
              + documents.size());
      problems.throwIfAny(LoaderError.INVALID_TERRAFORM, "invalid Terraform JSON");
    }
    JsonNode root = documents.get(0).root();
    if (RawState.is(root)) {
      return raw(root);
    }
    Members top = Members.lenient(root, "", problems);
    top.text("format_version", true);
    boolean plan =
        top.isObject()
            && !root.has("values")
            && (root.has("planned_values")
                || root.has("prior_state")
                || root.has("resource_drift")
                || root.has("resource_changes"));
    Instant own = null;
    if (plan) {
      own = plan(top);
    } else {
      ObjectNode values = top.object("values", false);
      if (values != null) {
        state(Members.lenient(values, top.pointer("values"), problems));
      }
    }
    return finish(own, plan ? "plan: " : "state: ");
  }

  /**
   * A raw {@code terraform.tfstate}: read as the state {@code show -json} would print, so both give
   * the same keys; it records no instant of its own.
   */
  private Loaded.SnapshotsLoaded raw(JsonNode root) {
    ObjectNode values = RawState.values(root, problems);
    problems.throwIfAny(LoaderError.INVALID_TERRAFORM, "invalid Terraform state");
    state(Members.lenient(values, "", problems));
    return finish(null, "raw state (terraform.tfstate v4, read as terraform show -json): ");
  }

  private Loaded.SnapshotsLoaded finish(Instant own, String kind) {
    problems.throwIfAny(LoaderError.INVALID_TERRAFORM, "invalid Terraform JSON");
    String environment =
        Observations.requireEnvironment(
            context.environmentOr(null), Format.TERRAFORM, "terraform show -json has none");
    Snapshot snapshot =
        Observations.snapshot(
            environment, context.observedAtOr(own), "terraform", config, problems);
    problems.throwIfAny(LoaderError.INVALID_TERRAFORM, "invalid Terraform JSON");
    notes.add(
        0,
        kind
            + (config.size() - (config.has(PREFIX + "outputs") ? 1 : 0))
            + " resources"
            + (dataSources > 0 ? ", " + plural(dataSources, "data source") + " left out" : "")
            + (redacted(snapshot) > 0
                ? ", " + plural(redacted(snapshot), "sensitive value") + " redacted"
                : ""));
    return new Loaded.SnapshotsLoaded(Format.TERRAFORM, List.of(snapshot), notes);
  }

  private static long redacted(Snapshot snapshot) {
    return snapshot.config().values().values().stream()
        .filter(v -> v.startsWith('"' + Redaction.FLAGGED))
        .count();
  }

  /** Every leaf of a value Terraform marks sensitive, flagged for {@code Secrets} to redact. */
  private static JsonNode flagAll(JsonNode value) {
    if (value.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      value.properties().forEach(m -> copy.set(m.getKey(), flagAll(m.getValue())));
      return copy;
    }
    if (value.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      value.forEach(item -> copy.add(flagAll(item)));
      return copy;
    }
    return Redaction.flag(value);
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  /** The state's {@code values}: outputs and the module tree. */
  private void state(Members values) {
    ObjectNode outputs = values.object("outputs", false);
    if (outputs != null) {
      outputs(outputs, values.pointer("outputs"));
    }
    ObjectNode rootModule = values.object("root_module", false);
    if (rootModule != null) {
      module(rootModule, values.pointer("root_module"));
    }
  }

  private Instant plan(Members top) {
    Instant own = null;
    String timestamp = top.text("timestamp", false);
    if (timestamp != null) {
      own = Members.parseInstant(timestamp);
      if (own == null) {
        top.problem("timestamp", "not an ISO-8601 instant: " + Problems.quote(timestamp));
      }
    }
    ObjectNode prior = top.object("prior_state", false);
    if (prior != null) {
      Members priorState = Members.lenient(prior, top.pointer("prior_state"), problems);
      ObjectNode values = priorState.object("values", false);
      if (values != null) {
        state(Members.lenient(values, priorState.pointer("values"), problems));
      }
    }
    ArrayNode drift = top.array("resource_drift", false);
    List<String> drifted = new ArrayList<>();
    for (int i = 0; drift != null && i < drift.size(); i++) {
      String change = drift(drift.get(i), Problems.pointer(top.pointer("resource_drift"), i));
      if (change != null) {
        drifted.add(change);
      }
    }
    if (!drifted.isEmpty()) {
      notes.add(
          drifted.size()
              + (drifted.size() == 1 ? " resource" : " resources")
              + " changed outside Terraform: "
              + String.join(", ", drifted));
    }
    return own;
  }

  /** One {@code resource_drift} entry: its {@code after} replaces the resource, or deletes it. */
  private String drift(JsonNode item, String pointer) {
    Members entry = Members.lenient(item, pointer, problems);
    String address = entry.text("address", true);
    String mode = entry.text("mode", false);
    ObjectNode changeNode = entry.object("change", true);
    if (address == null || changeNode == null || "data".equals(mode)) {
      return null;
    }
    Members change = Members.lenient(changeNode, entry.pointer("change"), problems);
    List<String> actions = change.texts("actions", true, true);
    if (actions == null) {
      return null;
    }
    String key = PREFIX + address;
    if (actions.contains("delete") && !actions.contains("create")) {
      config.remove(key);
      return address + " (deleted)";
    }
    JsonNode after = change.get("after");
    if (after == null || !after.isObject()) {
      change.problem("after", "must be an object for actions " + actions);
      return null;
    }
    config.set(key, sensitive(withoutDerived(after), change.get("after_sensitive")));
    firstPointer.putIfAbsent(key, pointer);
    return address + " (" + String.join(", ", actions) + ")";
  }

  private void module(ObjectNode node, String pointer) {
    Members module = Members.lenient(node, pointer, problems);
    ArrayNode resources = module.array("resources", false);
    for (int i = 0; resources != null && i < resources.size(); i++) {
      resource(resources.get(i), Problems.pointer(module.pointer("resources"), i));
    }
    ArrayNode children = module.array("child_modules", false);
    for (int i = 0; children != null && i < children.size(); i++) {
      String childPointer = Problems.pointer(module.pointer("child_modules"), i);
      Members child = Members.lenient(children.get(i), childPointer, problems);
      child.text("address", true);
      if (child.isObject()) {
        module(child.node(), childPointer);
      }
    }
  }

  private void resource(JsonNode item, String pointer) {
    Members resource = Members.lenient(item, pointer, problems);
    String address = resource.text("address", true);
    String mode = resource.text("mode", false);
    ObjectNode values = resource.object("values", true);
    if (mode != null && !mode.equals("managed") && !mode.equals("data")) {
      resource.problem("mode", "must be managed or data, got " + Problems.quote(mode));
      return;
    }
    if ("data".equals(mode)) {
      dataSources++;
      return;
    }
    if (address == null || values == null) {
      return;
    }
    address = indexed(address, resource.get("index"));
    String key = PREFIX + address;
    String earlier = firstPointer.putIfAbsent(key, pointer);
    if (earlier != null) {
      resource.problem(
          "address", "duplicate address " + Problems.quote(address) + ", as at " + earlier);
      return;
    }
    JsonNode sensitiveValues = resource.get("sensitive_values");
    config.set(key, sensitive(withoutDerived(values), sensitiveValues));
  }

  /**
   * The address with its instance key: {@code show -json} of format 0.1 (Terraform 0.12) writes
   * {@code index} beside an address that lacks it; later versions put it in the address too.
   */
  static String indexed(String address, JsonNode index) {
    if (index == null || address.endsWith("]")) {
      return address;
    }
    if (index.isIntegralNumber()) {
      return address + "[" + index.asText() + "]";
    }
    if (index.isTextual()) {
      return address
          + "[\""
          + index.textValue().replace("\\", "\\\\").replace("\"", "\\\"")
          + "\"]";
    }
    return address;
  }

  private void outputs(ObjectNode outputs, String pointer) {
    ObjectNode values = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = outputs.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      Members output =
          Members.lenient(entry.getValue(), Problems.pointer(pointer, entry.getKey()), problems);
      Boolean sensitive = output.bool("sensitive", false);
      JsonNode value = output.get("value");
      if (Boolean.TRUE.equals(sensitive) && value != null) {
        values.set(entry.getKey(), flagAll(value));
      } else if (value != null) {
        values.set(entry.getKey(), value);
      }
    }
    if (!values.isEmpty()) {
      config.set(PREFIX + "outputs", values);
    }
  }

  private static JsonNode withoutDerived(JsonNode values) {
    ObjectNode copy = ((ObjectNode) values).deepCopy();
    copy.remove("tags_all");
    return copy;
  }

  /**
   * {@code values} with every leaf that {@code sensitive} (the mirror Terraform writes beside them:
   * {@code true} where a value is sensitive) marks replaced by the redaction text.
   */
  private JsonNode sensitive(JsonNode values, JsonNode sensitive) {
    if (sensitive == null || values == null || values.isNull()) {
      return values;
    }
    if (sensitive.isBoolean()) {
      if (sensitive.booleanValue()) {
        return flagAll(values);
      }
      return values;
    }
    if (values.isObject() && sensitive.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = values.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> member = it.next();
        copy.set(member.getKey(), sensitive(member.getValue(), sensitive.get(member.getKey())));
      }
      return copy;
    }
    if (values.isArray() && sensitive.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < values.size(); i++) {
        copy.add(sensitive(values.get(i), sensitive.get(i)));
      }
      return copy;
    }
    return values;
  }
}
