package org.plumbline.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * The tampering classes of issue 17 applied to a per-environment JSON export, as an auditor's
 * adversary would: each must make {@code plumbline audit verify --file} exit 1.
 */
enum EnvironmentExportTampering {
  REMOVE_MIDDLE(records -> records.remove(records.size() / 2)),
  REMOVE_LAST(records -> records.remove(records.size() - 1)),
  SWAP(
      records -> {
        int i = records.size() / 2;
        var a = records.get(i - 1);
        records.set(i - 1, records.get(i));
        records.set(i, a);
      }),
  MOVE_TO_ANOTHER_ENVIRONMENT(
      records -> ((ObjectNode) records.get(records.size() / 2)).put("environment", "other-prod")),
  ACTOR_CHANGED(records -> ((ObjectNode) records.get(records.size() / 2)).put("actor", "mallory"));

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Consumer<ArrayNode> edit;

  EnvironmentExportTampering(Consumer<ArrayNode> edit) {
    this.edit = edit;
  }

  String apply(String export) {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(export);
      ArrayNode records = (ArrayNode) root.get("records");
      if (records.size() < 3) {
        throw new IllegalArgumentException("an export of at least 3 records is needed");
      }
      edit.accept(records);
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
