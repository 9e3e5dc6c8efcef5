package org.plumbline.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.plumbline.governance.Caller;
import org.plumbline.graphql.GraphQLApi;

/**
 * The console's only way to the data: GraphQL requests run in-process through the server's GraphQL
 * entry, as the signed-in user. Reads answer from the same data fetchers as {@code POST /graphql};
 * writes are the same mutations, journaled and serialised by the same write path. The console has
 * no other read or write path, so the server enforces every rule for it exactly as for the API.
 */
public final class ConsoleGraphQL {
  /** The server's GraphQL entry: {@code (query, variables, operationName, caller) -> answer}. */
  @FunctionalInterface
  public interface Entry {
    GraphQLApi.Response graphql(
        String query, Map<String, Object> variables, String operationName, Caller caller);
  }

  /** What a request answered: its data (null node when none) and its errors, in words. */
  public record Answer(JsonNode data, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** One GraphQL error: its code ({@code extensions.code}) and message. */
  public record Problem(String code, String message) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Entry entry;

  public ConsoleGraphQL(Entry entry) {
    this.entry = entry;
  }

  /** Runs a query or mutation as {@code caller}. Call from a worker thread. */
  public Answer run(String query, Map<String, Object> variables, Caller caller) {
    GraphQLApi.Response r = entry.graphql(query, variables, null, caller);
    JsonNode body = JSON.valueToTree(r.body());
    List<Problem> problems = new ArrayList<>();
    for (JsonNode e : body.path("errors")) {
      problems.add(
          new Problem(
              e.path("extensions").path("code").asText("ERROR"), e.path("message").asText("")));
    }
    JsonNode data = body.path("data");
    return new Answer(data.isMissingNode() ? NullNode.getInstance() : data, problems);
  }

  /** Runs a query whose failure is the page's failure: a coded {@link ConsoleException}. */
  public JsonNode read(String query, Map<String, Object> variables, Caller caller) {
    Answer a = run(query, variables, caller);
    if (!a.ok()) {
      throw new ConsoleException(a.problems().get(0));
    }
    return a.data();
  }
}
