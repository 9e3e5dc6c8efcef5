package org.plumbline.loaders.internal.flags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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
import org.plumbline.ontology.Snapshot;

/**
 * An OpenFeature flagd flag file (JSON or YAML). Each {@code ENABLED} flag gives {@code flags.<flag
 * key>}: the value of its {@code defaultVariant}, which is what every request gets unless targeting
 * picks another. A {@code DISABLED} flag, or one whose default variant is {@code null}, is not
 * served (the application falls back to its code default) and has no key. flagd records no creation
 * dates.
 */
public final class FlagdFlags {
  private FlagdFlags() {}

  public static Loaded.SnapshotsLoaded parse(List<Document> documents, LoadContext context) {
    Problems problems = new Problems();
    if (documents.size() != 1 || documents.get(0).root() == null) {
      problems.add("", "must be one JSON or YAML document, got " + documents.size());
      problems.throwIfAny(LoaderError.INVALID_FLAGD, "invalid flagd flags");
    }
    Members top = Members.lenient(documents.get(0).root(), "", problems);
    List<Entry> entries = entries(top, problems);
    ObjectNode flags = JsonNodeFactory.instance.objectNode();
    int disabled = 0;
    int targeted = 0;
    for (Entry entry : entries) {
      Members flag = Members.lenient(entry.flag(), entry.pointer(), problems);
      String state = flag.text("state", true);
      ObjectNode variants = flag.object("variants", true);
      String defaultVariant = flag.text("defaultVariant", false);
      flag.object("metadata", false);
      if (flag.get("targeting") != null) {
        flag.object("targeting", false);
        targeted++;
      }
      if (state != null && !state.equals("ENABLED") && !state.equals("DISABLED")) {
        flag.problem("state", "must be ENABLED or DISABLED, got " + Problems.quote(state));
        continue;
      }
      if (variants == null) {
        continue;
      }
      if (variants.isEmpty()) {
        flag.problem("variants", "must define at least one variant");
        continue;
      }
      if (defaultVariant != null && !variants.has(defaultVariant)) {
        flag.problem(
            "defaultVariant",
            Problems.quote(defaultVariant)
                + " is not a variant (variants: "
                + String.join(", ", (Iterable<String>) variants::fieldNames)
                + ")");
        continue;
      }
      if ("DISABLED".equals(state) || defaultVariant == null) {
        disabled++;
      } else if (state != null) {
        JsonNode value = FlagValue.of(variants.get(defaultVariant));
        if (value != null && !value.isNull()) {
          flags.set(entry.key(), value);
        }
      }
    }
    problems.throwIfAny(LoaderError.INVALID_FLAGD, "invalid flagd flags");
    String environment =
        Observations.requireEnvironment(
            context.environmentOr(null), Format.FLAGD, "a flagd file has none");
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    if (!flags.isEmpty()) {
      config.set("flags", flags);
    }
    Snapshot snapshot =
        Observations.snapshot(environment, context.observedAtOr(null), "flagd", config, problems);
    problems.throwIfAny(LoaderError.INVALID_FLAGD, "invalid flagd flags");
    List<String> notes = new ArrayList<>();
    notes.add(
        entries.size()
            + (entries.size() == 1 ? " flag: " : " flags: ")
            + flags.size()
            + " served, "
            + disabled
            + " disabled or without a default (no key)"
            + (targeted > 0 ? ", " + targeted + " with targeting (default variant kept)" : ""));
    return new Loaded.SnapshotsLoaded(Format.FLAGD, List.of(snapshot), notes);
  }

  /** One flag: its key, its definition and where that is. */
  private record Entry(String key, JsonNode flag, String pointer) {}

  /**
   * The flags: members of the {@code flags} object, or (the newer schema) objects of a {@code
   * flags} list, each carrying its {@code key}.
   */
  private static List<Entry> entries(Members top, Problems problems) {
    List<Entry> entries = new ArrayList<>();
    JsonNode flags = top.get("flags");
    if (flags != null && flags.isArray()) {
      Map<String, String> firstPointer = new HashMap<>();
      for (int i = 0; i < flags.size(); i++) {
        String at = Problems.pointer(top.pointer("flags"), i);
        Members flag = Members.lenient(flags.get(i), at, problems);
        String key = flag.text("key", true);
        if (key == null) {
          continue;
        }
        String earlier = firstPointer.putIfAbsent(key, at);
        if (earlier != null) {
          flag.problem("key", "duplicate flag " + Problems.quote(key) + ", as at " + earlier);
          continue;
        }
        entries.add(new Entry(key, flags.get(i), at));
      }
      return entries;
    }
    ObjectNode object = top.object("flags", true);
    for (Iterator<Map.Entry<String, JsonNode>> it =
            object == null ? null : object.properties().iterator();
        it != null && it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      entries.add(
          new Entry(e.getKey(), e.getValue(), Problems.pointer(top.pointer("flags"), e.getKey())));
    }
    return entries;
  }
}
