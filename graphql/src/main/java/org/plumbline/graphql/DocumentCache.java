package org.plumbline.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The requests seen lately, parsed and checked once (issue 21): a dashboard sends the same few
 * query texts again and again, and parsing and validating one cost more than running it. Keyed by
 * the query text; bounded by the characters it holds, least recently used first out, so a client
 * sending ever new texts only evicts, never grows it.
 *
 * <p>An entry holds what depends on the text alone: the parsed document, its aliases and shape (our
 * limits), and graphql-java's own parse and validation, which graphql-java takes from here as its
 * {@link PreparsedDocumentProvider}. What depends on the store (the cost estimate) and on the
 * request (variables, caller) is still worked out for every request (unless the entry's cost
 * ceiling shows the store's counts cannot matter). graphql-java's depth and complexity checks run
 * on the cached document before each execution of a request with variables; without variables, once
 * per operation name that passed them (see {@link Guards}).
 */
final class DocumentCache implements PreparsedDocumentProvider {
  /** Texts longer than this are parsed every time: rare, and they would crowd out the rest. */
  static final int MAX_TEXT = 16 * 1024;

  /** The characters of query text the cache holds at most. */
  static final long MAX_CHARACTERS = 2L * 1024 * 1024;

  /** One request text, parsed (null: it does not parse) and measured. */
  static final class Parsed {
    final Document doc;
    final int aliases;
    final DocumentShape shape;

    /** The most the cost estimate can be, whatever the store holds (no store read needed). */
    final long costCeiling;

    private volatile PreparsedDocumentEntry validated;

    /** The operation names (null: the only one) that passed graphql-java's guards, no variables. */
    private final java.util.Set<String> guardsPassed =
        java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Whether graphql-java's depth and complexity checks already passed this text's operation
     * without variables: they then pass again (same text, operation, schema and limits).
     */
    boolean guardsPassed(String operationName) {
      return guardsPassed.contains(String.valueOf(operationName));
    }

    /** Remembers that graphql-java's checks passed (a few operation names at most). */
    void guardsPass(String operationName) {
      if (guardsPassed.size() < 8) {
        guardsPassed.add(String.valueOf(operationName));
      }
    }

    Parsed(Document doc, int aliases, DocumentShape shape, long costCeiling) {
      this.doc = doc;
      this.aliases = aliases;
      this.shape = shape;
      this.costCeiling = costCeiling;
    }
  }

  private final long maxCharacters;
  private long characters;
  private final LinkedHashMap<String, Parsed> entries = new LinkedHashMap<>(64, 0.75f, true);

  DocumentCache(long maxCharacters) {
    this.maxCharacters = maxCharacters;
  }

  /** The parsed request, from the cache or made by {@code parse} (and kept if it is small). */
  Parsed parsed(String query, Function<String, Parsed> parse) {
    synchronized (entries) {
      Parsed known = entries.get(query);
      if (known != null) {
        return known;
      }
    }
    Parsed made = parse.apply(query);
    if (query.length() <= MAX_TEXT) {
      synchronized (entries) {
        if (entries.putIfAbsent(query, made) == null) {
          characters += query.length();
          var eldest = entries.entrySet().iterator();
          while (characters > maxCharacters && eldest.hasNext()) {
            Map.Entry<String, Parsed> e = eldest.next();
            characters -= e.getKey().length();
            eldest.remove();
          }
        }
      }
    }
    return made;
  }

  /** How many texts it holds (tests). */
  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /**
   * graphql-java's parse and validation of a request seen before, done once per text: the first
   * time by graphql-java itself (its instrumentations see it), afterwards from the cache.
   */
  @Override
  public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(
      ExecutionInput input, Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
    Parsed p;
    synchronized (entries) {
      p = entries.get(input.getQuery());
    }
    if (p == null) {
      return CompletableFuture.completedFuture(parseAndValidate.apply(input));
    }
    PreparsedDocumentEntry v = p.validated;
    if (v == null) {
      v = parseAndValidate.apply(input);
      p.validated = v;
    }
    return CompletableFuture.completedFuture(v);
  }
}
