package org.plumbline.loaders.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.plumbline.loaders.LoaderError;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.ontology.ErrorCode;
import org.plumbline.ontology.PlumblineException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a JSON or YAML document into a tree within {@link ParseLimits}. Anything unreadable is
 * {@link LoaderError#INVALID_JSON} with a pointer and line:column; nothing else escapes.
 *
 * <p>The tree is built here from tokens rather than by databind so that numbers stay exact ({@code
 * 0.30} is not turned into a double), nesting is bounded for both formats, and YAML features that
 * have no JSON meaning are refused: tags ({@code !!java.net.URL}, {@code !custom}) and aliases.
 * Jackson never expands aliases (it reports them as strings), so an alias bomb cannot explode, but
 * silently reading {@code *ref} as the text "ref" would be wrong, hence refused.
 */
public final class DocumentReader {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ParseLimits limits;
  private final JsonFactory json;
  private final YAMLFactory yaml;

  public DocumentReader(ParseLimits limits) {
    this.limits = limits;
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxDocumentLength(limits.maxDocumentBytes())
            .maxNestingDepth(limits.maxNestingDepth())
            .maxStringLength(limits.maxStringLength())
            .maxNumberLength(limits.maxNumberLength())
            .build();
    this.json =
        JsonFactory.builder()
            .streamReadConstraints(constraints)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    // SnakeYAML's own limits guard its composer, which Jackson bypasses; set them anyway so a
    // future switch to composed nodes stays safe.
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(limits.maxNestingDepth());
    options.setCodePointLimit(limits.maxDocumentBytes());
    this.yaml =
        YAMLFactory.builder()
            .loaderOptions(options)
            .streamReadConstraints(constraints)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
  }

  public JsonNode readJson(byte[] content) {
    return read(json, content, "JSON", LoaderError.INVALID_JSON);
  }

  /** Reads YAML; tags and aliases are refused with {@code code}, the caller's content error. */
  public JsonNode readYaml(byte[] content, ErrorCode code) {
    return read(yaml, content, "YAML", code);
  }

  /**
   * Reads every document of a stream: YAML documents separated by {@code ---}, or JSON values one
   * after another (JSON Lines, or one pretty-printed value). Empty YAML documents are kept as
   * {@code null} roots so document numbers match what an editor shows.
   *
   * @param yaml whether to read YAML; else JSON
   * @param code the caller's content error, for YAML tags and aliases
   */
  public List<Document> readAll(byte[] content, boolean yaml, ErrorCode code) {
    checkSize(content);
    String format = yaml ? "YAML" : "JSON";
    try (JsonParser parser = (yaml ? this.yaml : json).createParser(content)) {
      try {
        return new TreeBuilder(parser, format, code).documents();
      } catch (JsonProcessingException e) {
        throw unreadable(format, parser, e.getLocation(), e.getOriginalMessage(), e);
      } catch (YAMLException e) {
        throw unreadable(format, parser, null, e.getMessage(), e);
      }
    } catch (IOException | YAMLException e) {
      throw unreadable(format, null, null, e.getMessage(), e);
    }
  }

  /**
   * Whether content reads as JSON: its first non-blank character, after any UTF-8 byte order mark,
   * opens an object or a list. Anything else is read as YAML.
   */
  public static boolean looksLikeJson(byte[] content) {
    int i = 0;
    if (content.length >= 3
        && (content[0] & 0xFF) == 0xEF
        && (content[1] & 0xFF) == 0xBB
        && (content[2] & 0xFF) == 0xBF) {
      i = 3;
    }
    while (i < content.length && " \t\r\n".indexOf(content[i]) >= 0) {
      i++;
    }
    return i < content.length && (content[i] == '{' || content[i] == '[');
  }

  private void checkSize(byte[] content) {
    if (content.length > limits.maxDocumentBytes()) {
      throw new PlumblineException(
          LoaderError.PAYLOAD_TOO_LARGE,
          "document is "
              + content.length
              + " bytes; the limit is "
              + limits.maxDocumentBytes()
              + " bytes");
    }
  }

  private JsonNode read(JsonFactory factory, byte[] content, String format, ErrorCode code) {
    if (content.length > limits.maxDocumentBytes()) {
      throw new PlumblineException(
          LoaderError.PAYLOAD_TOO_LARGE,
          "document is "
              + content.length
              + " bytes; the limit is "
              + limits.maxDocumentBytes()
              + " bytes");
    }
    try (JsonParser parser = factory.createParser(content)) {
      try {
        return new TreeBuilder(parser, format, code).document();
      } catch (JsonProcessingException e) {
        throw unreadable(format, parser, e.getLocation(), e.getOriginalMessage(), e);
      } catch (YAMLException e) {
        throw unreadable(format, parser, null, e.getMessage(), e);
      }
    } catch (IOException | YAMLException e) {
      throw unreadable(format, null, null, e.getMessage(), e);
    }
  }

  private static PlumblineException unreadable(
      String format, JsonParser parser, JsonLocation location, String message, Exception cause) {
    String pointer = parser == null ? "" : parser.getParsingContext().pathAsPointer().toString();
    if (location == null && parser != null) {
      location = parser.currentLocation();
    }
    return new PlumblineException(
        format.equals("YAML") ? LoaderError.INVALID_YAML : LoaderError.INVALID_JSON,
        "document is not well-formed " + format,
        List.of(where(pointer, location) + ": " + reason(message, cause)),
        cause);
  }

  private static String where(String pointer, JsonLocation location) {
    return (pointer.isEmpty() ? "/" : pointer)
        + (location == null || location.getLineNr() < 1 || location.getColumnNr() < 1
            ? ""
            : " (line " + location.getLineNr() + ":" + location.getColumnNr() + ")");
  }

  /** One line saying what is wrong, without Jackson's pointers to its own configuration. */
  private static String reason(String message, Exception cause) {
    if (cause.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
      // SnakeYAML's first line is only the context ("while parsing a flow sequence").
      message =
          yaml.getContext() == null
              ? yaml.getProblem()
              : yaml.getContext() + ": " + yaml.getProblem();
    }
    if (message == null) {
      return cause.getClass().getSimpleName();
    }
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).replaceAll(", from `[^`]*`", "");
  }

  /** One pass over the tokens of one document. */
  private final class TreeBuilder {
    private final JsonParser parser;
    private final String format;
    private final ErrorCode code;

    /** The code of a document that is not well-formed in its format. */
    private LoaderError syntaxError() {
      return format.equals("YAML") ? LoaderError.INVALID_YAML : LoaderError.INVALID_JSON;
    }

    TreeBuilder(JsonParser parser, String format, ErrorCode code) {
      this.parser = parser;
      this.format = format;
      this.code = code;
    }

    List<Document> documents() throws IOException {
      List<Document> documents = new ArrayList<>();
      for (JsonToken first = parser.nextToken(); first != null; first = parser.nextToken()) {
        int line = Math.max(1, parser.currentTokenLocation().getLineNr());
        JsonNode root = value(first, "", 0);
        // SnakeYAML reads the empty document in "---\n---" as null or as an empty plain scalar.
        boolean empty =
            root.isNull()
                || (format.equals("YAML") && root.isTextual() && root.textValue().isEmpty());
        documents.add(new Document(empty ? null : root, documents.size() + 1, line));
      }
      if (documents.isEmpty()) {
        throw refused(syntaxError(), "", "empty document");
      }
      return documents;
    }

    JsonNode document() throws IOException {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw refused(syntaxError(), "", "empty document");
      }
      JsonNode root = value(first, "", 0);
      if (parser.nextToken() != null) {
        throw refused(syntaxError(), "", "content after the end of the " + format + " document");
      }
      return root;
    }

    private JsonNode value(JsonToken token, String pointer, int depth) throws IOException {
      if (token == null) { // both parsers throw at a premature end; this keeps it so if one won't
        throw refused(syntaxError(), pointer, "unexpected end of document");
      }
      if (parser instanceof YAMLParser yamlParser) {
        refuseYamlFeatures(yamlParser, pointer);
      }
      switch (token) {
        case START_OBJECT:
          nest(pointer, depth);
          ObjectNode object = NODES.objectNode();
          for (JsonToken next = parser.nextToken();
              next != JsonToken.END_OBJECT;
              next = parser.nextToken()) {
            if (next != JsonToken.FIELD_NAME) {
              throw refused(syntaxError(), pointer, "unexpected end of document");
            }
            String name = parser.currentName();
            String child = Problems.pointer(pointer, name);
            if (parser instanceof YAMLParser yamlParser && yamlParser.isCurrentAlias()) {
              throw refused(code, child, "YAML aliases (*" + name + ") are not allowed");
            }
            if (object.has(name)) { // backs up STRICT_DUPLICATE_DETECTION, whatever the format
              throw refused(syntaxError(), child, "duplicate key " + Problems.quote(name));
            }
            object.set(name, value(parser.nextToken(), child, depth + 1));
          }
          return object;
        case START_ARRAY:
          nest(pointer, depth);
          ArrayNode array = NODES.arrayNode();
          for (JsonToken item = parser.nextToken();
              item != JsonToken.END_ARRAY;
              item = parser.nextToken()) {
            array.add(value(item, Problems.pointer(pointer, array.size()), depth + 1));
          }
          return array;
        case VALUE_STRING:
          return NODES.textNode(parser.getText());
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          return number(token, pointer);
        case VALUE_TRUE:
          return NODES.booleanNode(true);
        case VALUE_FALSE:
          return NODES.booleanNode(false);
        case VALUE_NULL:
          return NODES.nullNode();
        default:
          throw refused(code, pointer, "unsupported " + format + " value (" + token + ")");
      }
    }

    private JsonNode number(JsonToken token, String pointer) throws IOException {
      try {
        // Exact: 0.30 stays 0.30 (and 1e400 stays finite) until the flattener canonicalises it.
        return token == JsonToken.VALUE_NUMBER_INT
            ? BigIntegerNode.valueOf(parser.getBigIntegerValue())
            : DecimalNode.valueOf(parser.getDecimalValue());
      } catch (NumberFormatException | ArithmeticException e) {
        // YAML lets odd literals through as numbers; JSON never gets here.
        throw refused(
            syntaxError(), pointer, "malformed number " + Problems.quote(parser.getText()));
      }
    }

    private void nest(String pointer, int depth) {
      if (depth >= limits.maxNestingDepth()) {
        throw refused(
            syntaxError(), pointer, "nested deeper than " + limits.maxNestingDepth() + " levels");
      }
    }

    private void refuseYamlFeatures(YAMLParser yamlParser, String pointer) throws IOException {
      if (yamlParser.isCurrentAlias()) {
        throw refused(
            code, pointer, "YAML aliases (*" + yamlParser.getText() + ") are not allowed");
      }
      String tag = yamlParser.getTypeId();
      if (tag != null) {
        throw refused(code, pointer, "YAML tags (" + tag + ") are not allowed");
      }
    }

    private PlumblineException refused(ErrorCode errorCode, String pointer, String message) {
      JsonLocation at = parser.currentTokenLocation();
      String where =
          at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ":" + at.getColumnNr() + ")";
      return new PlumblineException(
          errorCode,
          errorCode == syntaxError()
              ? "document is not well-formed " + format
              : "document uses a " + format + " feature that is not allowed",
          List.of(where(pointer, parser.currentTokenLocation()) + ": " + message));
    }
  }
}
