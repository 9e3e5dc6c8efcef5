package org.plumbline.server.http.resources;

import static org.plumbline.server.http.resources.Requests.bytes;
import static org.plumbline.server.http.resources.Requests.caller;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import org.plumbline.graphql.GraphQLApi;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.ServerError;
import org.plumbline.server.http.HttpErrors;
import org.plumbline.server.http.RequestJson;
import org.plumbline.server.write.WritePath;

/** {@code POST /graphql}: one {query, variables, operationName} object per request. */
public final class GraphQLResource {
  private final WritePath writes;
  private final RequestJson requestJson;

  public GraphQLResource(WritePath writes, RequestJson requestJson) {
    this.writes = writes;
    this.requestJson = requestJson;
  }

  public Reply execute(RoutingContext ctx) {
    JsonNode body = requestJson.tree(bytes(ctx));
    if (body.isArray()) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "batched GraphQL requests are not supported: send one {query, variables} object",
          List.of("/"));
    }
    if (!body.isObject()) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST, "request body is not a JSON object", List.of("/"));
    }
    JsonNode query = body.path("query");
    if (!query.isTextual() || query.asText().isBlank()) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "a GraphQL request needs a non-empty string 'query'",
          List.of("/query"));
    }
    JsonNode vars = body.path("variables");
    if (!vars.isMissingNode() && !vars.isNull() && !vars.isObject()) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST, "'variables' must be an object", List.of("/variables"));
    }
    JsonNode op = body.path("operationName");
    if (!op.isMissingNode() && !op.isNull() && !op.isTextual()) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "'operationName' must be a string",
          List.of("/operationName"));
    }
    Map<String, Object> variables = vars.isObject() ? requestJson.map(vars) : Map.of();
    GraphQLApi.Response result =
        writes.graphql(
            query.asText(),
            variables,
            op.isTextual() ? op.asText() : null,
            caller(ctx),
            true); // /graphql authenticates every request by its own bearer credential
    // A request stopped before execution (syntax, validation, limits) is the client's error: 4xx,
    // as GraphQL over HTTP answers it; field errors of an executed request keep 200.
    int status =
        result.requestError() == null ? 200 : HttpErrors.status(result.requestError().kind());
    return Reply.json(status, result.body());
  }
}
