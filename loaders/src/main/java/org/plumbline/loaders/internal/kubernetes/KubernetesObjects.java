package org.plumbline.loaders.internal.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * Kubernetes objects: multi-document YAML manifests, {@code kubectl get -o json} (one object or a
 * {@code List}), or the same as YAML. Keys: {@code k8s.<kind>.<namespace>.<name>.<path>}, with
 * {@code _} for an object that names no namespace (cluster-scoped, or namespaced by {@code kubectl
 * -n}); array items by index as everywhere ({@code spec.template.spec.containers[0].image}).
 *
 * <p>What the API server writes is noise for drift and is dropped before flattening, at every
 * {@code metadata} in the object (pod templates too): {@code status}, {@code managedFields}, {@code
 * resourceVersion}, {@code uid}, {@code generation}, {@code creationTimestamp}, {@code selfLink},
 * server-set annotations ({@code kubectl.kubernetes.io/last-applied-configuration}, {@code
 * deployment.kubernetes.io/revision}, ...) and labels ({@code pod-template-hash}), a Service's
 * allocated {@code clusterIP}. So a manifest from git and a dump of what it created give the same
 * keys. A Secret's {@code data} and {@code stringData} values are flagged secret, and like every
 * secret (an {@code env[].value} beside a secret's name, ...) redacted by {@link
 * org.plumbline.loaders.Secrets}.
 *
 * <p>The newest entry of {@code metadata.managedFields} (status updates aside) says who made the
 * last change and when: it becomes the snapshot's source ({@code k8s/kubectl-edit}) and, unless
 * {@code --observed-at} is given, its instant, so loading an unchanged cluster twice stores one
 * snapshot.
 */
public final class KubernetesObjects {
  /** Objects labelled with this go to that environment when no {@code --environment} is given. */
  public static final String ENVIRONMENT_LABEL = "plumbline.io/environment";

  private static final Set<String> NOISY_METADATA =
      Set.of(
          "managedFields",
          "resourceVersion",
          "uid",
          "generation",
          "creationTimestamp",
          "selfLink",
          "deletionTimestamp",
          "deletionGracePeriodSeconds");
  private static final Set<String> SERVER_ANNOTATIONS =
      Set.of(
          "kubectl.kubernetes.io/last-applied-configuration",
          "kubectl.kubernetes.io/restartedAt",
          "deployment.kubernetes.io/revision",
          "deployment.kubernetes.io/desired-replicas",
          "deployment.kubernetes.io/max-replicas",
          "control-plane.alpha.kubernetes.io/leader",
          "endpoints.kubernetes.io/last-change-trigger-time");
  private static final List<String> SERVER_ANNOTATION_PREFIXES =
      List.of(
          "autoscaling.alpha.kubernetes.io/",
          "pv.kubernetes.io/",
          "volume.kubernetes.io/",
          "volume.beta.kubernetes.io/");
  private static final Set<String> SERVER_LABELS =
      Set.of(
          "pod-template-hash",
          "controller-revision-hash",
          "pod-template-generation",
          ENVIRONMENT_LABEL);

  private final LoadContext context;
  private final Problems problems = new Problems();
  private final Map<String, Observed> byEnvironment = new LinkedHashMap<>();
  private final Map<String, Integer> kinds = new TreeMap<>();
  private int objects;
  private int redacted;

  /** What one environment's objects add up to. */
  private static final class Observed {
    final ObjectNode config = JsonNodeFactory.instance.objectNode();
    final Map<String, String> firstPointer = new HashMap<>();
    Instant lastChange;
    String lastManager;
  }

  private KubernetesObjects(LoadContext context) {
    this.context = context;
  }

  public static Loaded.SnapshotsLoaded parse(List<Document> documents, LoadContext context) {
    return new KubernetesObjects(context).parse(documents);
  }

  private Loaded.SnapshotsLoaded parse(List<Document> documents) {
    boolean several = documents.size() > 1;
    for (Document document : documents) {
      if (document.root() == null) {
        continue; // an empty document between two ---
      }
      String base = document.base(several);
      JsonNode root = document.root();
      if (root.isObject() && root.path("kind").asText("").endsWith("List") && root.has("items")) {
        Members list = Members.lenient(root, document.rootPointer(several), problems);
        ArrayNode items = list.array("items", true);
        for (int i = 0; items != null && i < items.size(); i++) {
          object(items.get(i), Problems.pointer(Problems.pointer(base, "items"), i));
        }
      } else {
        object(root, several || document.file() != null ? base : "");
      }
    }
    if (objects == 0 && problems.isEmpty()) {
      problems.add("", "holds no Kubernetes object");
    }
    problems.throwIfAny(LoaderError.INVALID_KUBERNETES, "invalid Kubernetes objects");

    List<Snapshot> snapshots = new ArrayList<>();
    for (Map.Entry<String, Observed> entry : byEnvironment.entrySet()) {
      Observed observed = entry.getValue();
      String source = observed.lastManager == null ? "k8s" : "k8s/" + observed.lastManager;
      snapshots.add(
          Observations.snapshot(
              entry.getKey(),
              context.observedAtOr(observed.lastChange),
              source,
              observed.config,
              problems));
    }
    problems.throwIfAny(LoaderError.INVALID_KUBERNETES, "invalid Kubernetes objects");
    List<String> notes = new ArrayList<>();
    StringBuilder summary =
        new StringBuilder(objects + (objects == 1 ? " object (" : " objects ("));
    kinds.forEach((kind, count) -> summary.append(count).append(' ').append(kind).append(", "));
    summary.setLength(summary.length() - 2);
    notes.add(summary.append(')').toString());
    for (Map.Entry<String, Observed> entry : byEnvironment.entrySet()) {
      if (entry.getValue().lastManager != null) {
        notes.add(
            "last change in "
                + entry.getKey()
                + " by "
                + entry.getValue().lastManager
                + " at "
                + entry.getValue().lastChange);
      }
    }
    if (redacted > 0) {
      notes.add(redacted + " secret values redacted");
    }
    return new Loaded.SnapshotsLoaded(Format.KUBERNETES, snapshots, notes);
  }

  private void object(JsonNode node, String pointer) {
    Members object = Members.lenient(node, pointer, problems);
    object.text("apiVersion", true);
    String kind = object.text("kind", true);
    ObjectNode metadataNode = object.object("metadata", true);
    if (metadataNode == null || kind == null) {
      return;
    }
    Members metadata = Members.lenient(metadataNode, object.pointer("metadata"), problems);
    String name = metadata.text("name", true);
    String namespace = metadata.text("namespace", false);
    ObjectNode labels = metadata.object("labels", false);
    metadata.object("annotations", false);
    ArrayNode managedFields = metadata.array("managedFields", false);
    if (name == null) {
      return;
    }
    String labelled =
        labels != null && labels.path(ENVIRONMENT_LABEL).isTextual()
            ? labels.path(ENVIRONMENT_LABEL).textValue()
            : null;
    String environment =
        Observations.requireEnvironment(
            context.environmentOr(labelled),
            Format.KUBERNETES,
            "the label " + ENVIRONMENT_LABEL + " of " + kind + " " + name);
    Observed observed = byEnvironment.computeIfAbsent(environment, e -> new Observed());
    String key = "k8s." + kind + "." + (namespace == null ? "_" : namespace) + "." + name;
    String earlier = observed.firstPointer.putIfAbsent(key, pointer);
    if (earlier != null) {
      object.problem(
          "metadata",
          "duplicate object "
              + kind
              + " "
              + (namespace == null ? "" : namespace + "/")
              + name
              + ", as at "
              + earlier);
      return;
    }
    if (managedFields != null) {
      lastChange(managedFields, metadata.pointer("managedFields"), observed);
    }
    objects++;
    kinds.merge(kind, 1, Integer::sum);
    observed.config.set(key, clean(kind, (ObjectNode) node));
  }

  /** Finds the newest change in {@code managedFields}; status updates are the cluster's own. */
  private void lastChange(ArrayNode managedFields, String pointer, Observed observed) {
    for (int i = 0; i < managedFields.size(); i++) {
      Members entry = Members.lenient(managedFields.get(i), Problems.pointer(pointer, i), problems);
      String manager = entry.text("manager", false);
      String time = entry.text("time", false);
      String subresource = entry.text("subresource", false);
      if (manager == null || time == null || "status".equals(subresource)) {
        continue;
      }
      Instant at = Members.parseInstant(time);
      if (at == null) {
        entry.problem("time", "not an ISO-8601 instant: " + Problems.quote(time));
      } else if (observed.lastChange == null || at.isAfter(observed.lastChange)) {
        observed.lastChange = at;
        observed.lastManager = manager;
      }
    }
  }

  private ObjectNode clean(String kind, ObjectNode original) {
    ObjectNode object = original.deepCopy();
    object.remove("kind");
    object.remove("status");
    ObjectNode metadata = (ObjectNode) object.get("metadata");
    metadata.remove("name");
    metadata.remove("namespace");
    if (metadata.isEmpty()) {
      object.remove("metadata");
    }
    cleanMetadata(object);
    if (kind.equals("Service") && object.path("spec").isObject()) {
      ObjectNode spec = (ObjectNode) object.get("spec");
      spec.remove("clusterIP"); // allocated by the cluster, differs per cluster
      spec.remove("clusterIPs");
    }
    if (kind.equals("Secret")) {
      redactValues(object, "data");
      redactValues(object, "stringData");
    }
    return object;
  }

  /** Drops server-written metadata at every level: pod templates carry metadata too. */
  private static void cleanMetadata(JsonNode node) {
    if (node.isObject()) {
      JsonNode metadata = node.get("metadata");
      if (metadata != null && metadata.isObject()) {
        ObjectNode m = (ObjectNode) metadata;
        m.remove(NOISY_METADATA);
        filter(m, "annotations", true);
        filter(m, "labels", false);
        JsonNode owners = m.get("ownerReferences");
        if (owners != null && owners.isArray()) {
          for (JsonNode owner : owners) {
            if (owner.isObject()) {
              ((ObjectNode) owner).remove("uid");
            }
          }
        }
        if (m.isEmpty()) {
          ((ObjectNode) node).remove("metadata");
        }
      }
      node.forEach(KubernetesObjects::cleanMetadata);
    } else if (node.isArray()) {
      node.forEach(KubernetesObjects::cleanMetadata);
    }
  }

  private static void filter(ObjectNode metadata, String member, boolean annotations) {
    JsonNode map = metadata.get(member);
    if (map == null || !map.isObject()) {
      return;
    }
    ObjectNode kept = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      boolean server =
          annotations
              ? SERVER_ANNOTATIONS.contains(e.getKey())
                  || SERVER_ANNOTATION_PREFIXES.stream().anyMatch(e.getKey()::startsWith)
              : SERVER_LABELS.contains(e.getKey());
      if (!server) {
        kept.set(e.getKey(), e.getValue());
      }
    }
    if (kept.isEmpty()) {
      metadata.remove(member);
    } else {
      metadata.set(member, kept);
    }
  }

  private void redactValues(ObjectNode secret, String member) {
    JsonNode data = secret.get(member);
    if (data == null || !data.isObject()) {
      return;
    }
    ObjectNode redactedData = JsonNodeFactory.instance.objectNode();
    data.fieldNames()
        .forEachRemaining(
            name -> {
              redacted++;
              redactedData.set(name, Redaction.flag(data.get(name)));
            });
    secret.set(member, redactedData);
  }
}
