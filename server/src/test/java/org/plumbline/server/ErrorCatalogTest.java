package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.ErrorCode;
import org.plumbline.server.http.HttpErrors;

/**
 * Every error code of every module, in one catalogue: codes are unique (a name shared by two
 * modules means one thing, with one status), and {@code docs/errors.md} is generated from the
 * enums, their Javadoc and {@link HttpErrors#status(ErrorCode)}, so it cannot go stale.
 *
 * <p>Run with {@code -Ddocs.update=true} to rewrite the page; otherwise the test fails when the
 * page differs from what it would write.
 */
class ErrorCatalogTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path PAGE = ROOT.resolve("docs/errors.md");
  private static final String REGENERATE =
      "./mvnw -B -q -pl server -am verify -Dtest=ErrorCatalogTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Ddocs.update=true";

  /**
   * Codes that two layers raise on purpose under one name, each with the same kind: a lower module
   * cannot name the server's code, and the client sees one code either way. Any other name in two
   * enums fails the test.
   */
  private static final Set<String> SHARED =
      Set.of(
          "FORBIDDEN", // graphql (a field's role) and server (a route's role)
          "PAYLOAD_TOO_LARGE", // loaders (a document's size) and server (a request body's size)
          "INVALID_METRIC_SAMPLE"); // loaders (the document) and rules (the values for the kind)

  private static final Pattern ENUM =
      Pattern.compile("public\\s+enum\\s+(\\w+)\\s+implements\\s+ErrorCode\\b");
  private static final Pattern PACKAGE =
      Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);

  /** One code of one enum, with the module that declares it and its Javadoc as Markdown. */
  record Entry(
      String code, ErrorCode.Kind kind, int status, String module, String type, String doc) {}

  @Test
  void everyCodeIsUniqueAndDocsErrorsMdIsGeneratedFromTheEnums() throws Exception {
    List<Entry> entries = entries();

    // The scan must find every module's enum, or a broken scan would pass with an empty page.
    Set<String> types = entries.stream().map(Entry::type).collect(Collectors.toSet());
    assertTrue(
        types.containsAll(
            Set.of(
                "StoreError",
                "RuleError",
                "MetricError",
                "ApiError",
                "ServerError",
                "LoaderError")),
        "error enums found: " + types);
    for (Entry e : entries) {
      assertFalse(e.doc().isBlank(), e.type() + "." + e.code() + " has no Javadoc to document it");
    }

    Map<String, List<Entry>> byCode =
        entries.stream()
            .collect(Collectors.groupingBy(Entry::code, TreeMap::new, Collectors.toList()));
    Set<String> shared = new TreeSet<>();
    for (Map.Entry<String, List<Entry>> c : byCode.entrySet()) {
      if (c.getValue().size() > 1) {
        shared.add(c.getKey());
        Set<ErrorCode.Kind> kinds =
            c.getValue().stream().map(Entry::kind).collect(Collectors.toSet());
        assertEquals(1, kinds.size(), c.getKey() + " has different kinds in " + c.getValue());
      }
    }
    assertEquals(
        new TreeSet<>(SHARED),
        shared,
        "a code name must belong to one enum; the deliberate exceptions are listed in SHARED");

    String page = render(byCode);
    if (Boolean.getBoolean("docs.update")) {
      Files.writeString(PAGE, page, StandardCharsets.UTF_8);
      return;
    }
    String current = Files.exists(PAGE) ? Files.readString(PAGE, StandardCharsets.UTF_8) : "";
    if (!current.equals(page)) {
      fail(
          "docs/errors.md is stale (an error code or its Javadoc changed); regenerate it with\n  "
              + REGENERATE);
    }
  }

  @Test
  void theRendererTurnsJavadocIntoMarkdown() {
    assertEquals(
        "`a` and `B.c`, `d`; e", markdown(" {@code a} and {@link B#c}, {@link d};\n   * e "));
  }

  /** Finds every {@code enum X implements ErrorCode} in the modules' main sources. */
  private static List<Entry> entries() throws IOException, ClassNotFoundException {
    List<Entry> entries = new ArrayList<>();
    List<Path> sources;
    try (Stream<Path> modules = Files.list(ROOT)) {
      sources =
          modules
              .filter(m -> Files.isDirectory(m.resolve("src/main/java")))
              .flatMap(ErrorCatalogTest::javaFiles)
              .sorted()
              .toList();
    }
    for (Path source : sources) {
      String text = Files.readString(source, StandardCharsets.UTF_8);
      Matcher m = ENUM.matcher(text);
      if (!m.find()) {
        continue;
      }
      Matcher p = PACKAGE.matcher(text);
      assertTrue(p.find(), "no package in " + source);
      String type = m.group(1);
      Class<?> c = Class.forName(p.group(1) + "." + type);
      String module = ROOT.relativize(source).getName(0).toString();
      for (Object constant : c.getEnumConstants()) {
        ErrorCode code = (ErrorCode) constant;
        entries.add(
            new Entry(
                code.name(),
                code.kind(),
                HttpErrors.status(code),
                module,
                type,
                javadoc(text, code.name())));
      }
    }
    return entries;
  }

  private static Stream<Path> javaFiles(Path module) {
    try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
      return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The Javadoc comment right before the constant {@code NAME(}, as Markdown on one line. */
  static String javadoc(String source, String constant) {
    Matcher m =
        Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*" + constant + "\\s*\\(", Pattern.DOTALL)
            .matcher(source);
    return m.find() ? markdown(m.group(1)) : "";
  }

  static String markdown(String comment) {
    String text = comment.replaceAll("\\n\\s*\\*", " ").replaceAll("\\s+", " ").trim();
    text = text.replaceAll("\\{@code\\s+([^}]*)}", "`$1`");
    text = text.replaceAll("\\{@link\\s+(\\w+)#(\\w+)}", "`$1.$2`");
    text = text.replaceAll("\\{@link\\s+([^}]*)}", "`$1`");
    return text.replace("|", "\\|");
  }

  private static String render(Map<String, List<Entry>> byCode) {
    StringBuilder out = new StringBuilder();
    out.append("# Error codes\n\n")
        .append("<!-- Generated by server/src/test/java/org/plumbline/server/ErrorCatalogTest.java")
        .append(" from the error enums; do not edit. Regenerate with:\n     ")
        .append(REGENERATE)
        .append(" -->\n\n")
        .append("Every refusal carries one of these codes. Over HTTP the body is\n")
        .append("`{\"error\":{\"code\":\"…\",\"message\":\"…\",\"details\":[…]}}` with the status")
        .append(" below, which comes from the\n")
        .append("code's kind (`HttpErrors`, the one place that maps kinds to statuses). GraphQL")
        .append(" errors carry the same code\n")
        .append("in `extensions.code`: a request refused before it runs answers with the status,")
        .append(" a field that fails\n")
        .append("while it runs answers 200 with the error beside the data. The command line")
        .append(" prints `plumbline: CODE: message`\n")
        .append("on stderr and exits 1 (2 on bad usage). Codes of the store and the configuration")
        .append(" also stop a server\n")
        .append("from starting.\n\n")
        .append("| code | HTTP | kind | module | meaning |\n")
        .append("|---|---|---|---|---|\n");
    for (Map.Entry<String, List<Entry>> c : byCode.entrySet()) {
      Entry first = c.getValue().get(0);
      String modules =
          c.getValue().stream()
              .map(e -> e.module() + " (`" + e.type() + "`)")
              .collect(Collectors.joining(", "));
      String meaning =
          c.getValue().stream()
              .map(e -> c.getValue().size() > 1 ? e.module() + ": " + e.doc() : e.doc())
              .collect(Collectors.joining(" "));
      out.append("| `")
          .append(c.getKey())
          .append("` | ")
          .append(first.status())
          .append(" | ")
          .append(first.kind())
          .append(" | ")
          .append(modules)
          .append(" | ")
          .append(meaning)
          .append(" |\n");
    }
    return out.toString();
  }
}
