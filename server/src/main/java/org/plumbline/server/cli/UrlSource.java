package org.plumbline.server.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.plumbline.loaders.LoaderError;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.ServerError;

/**
 * {@code plumbline load --from URL}: a document pulled over HTTP(S) from where a loader job finds
 * it (a Terraform HTTP backend, a LaunchDarkly relay, a Langfuse API), with the bearer token of an
 * environment variable. The whole exchange, body included, must end within the timeout, and the
 * body may not exceed the loaders' size limit; every failure is coded and names the URL (without
 * its user information or query, which may hold credentials), never the token. Redirects are not
 * followed: the token would go wherever they point.
 */
final class UrlSource {
  /** What was fetched: the body, and the instant the source says it last changed (or null). */
  record Fetched(byte[] body, Instant lastModified) {}

  private final Duration timeout;
  private final long maxBytes;

  UrlSource(Duration timeout, long maxBytes) {
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  /** The URL as messages show it: scheme, host, port and path; {@code ?…} for a query. */
  static String shown(URI url) {
    StringBuilder s = new StringBuilder();
    s.append(url.getScheme()).append("://").append(url.getHost());
    if (url.getPort() >= 0) {
      s.append(':').append(url.getPort());
    }
    s.append(url.getRawPath() == null ? "" : url.getRawPath());
    return url.getRawQuery() == null ? s.toString() : s + "?…";
  }

  /**
   * Fetches the document; {@code token} null sends no credentials, a token that names its scheme
   * ({@code Basic …}, {@code Bearer …}) is sent as it is, any other as {@code Bearer TOKEN}.
   */
  Fetched fetch(URI url, String token) {
    String where = shown(url);
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Accept", "application/json, application/yaml;q=0.9, */*;q=0.5")
            .GET();
    if (token != null) {
      boolean schemed = token.startsWith("Bearer ") || token.startsWith("Basic ");
      request.header("Authorization", schemed ? token : "Bearer " + token);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<HttpResponse<InputStream>> sent =
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> response = await(sent, deadline, where, null);
    try (InputStream in = response.body()) {
      if (response.statusCode() / 100 != 2) {
        throw new PlumblineException(
            ServerError.SOURCE_HTTP_ERROR,
            where
                + " answered HTTP "
                + response.statusCode()
                + (response.statusCode() == 401 || response.statusCode() == 403
                    ? " (check the token: --from-token-env NAME)"
                    : response.statusCode() / 100 == 3
                        ? " (redirects are not followed; give the URL it names)"
                        : ""),
            List.of("--from " + where));
      }
      long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (declared > maxBytes) {
        throw tooLarge(where, declared + " bytes");
      }
      CompletableFuture<byte[]> body = CompletableFuture.supplyAsync(() -> readLimited(in, where));
      byte[] bytes = await(body, deadline, where, in);
      return new Fetched(bytes, lastModified(response));
    } catch (IOException e) {
      throw unreachable(where, e);
    }
  }

  private byte[] readLimited(InputStream in, String where) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (out.size() + (long) n > maxBytes) {
          throw tooLarge(where, "more than " + maxBytes + " bytes");
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw unreachable(where, e);
    }
    return out.toByteArray();
  }

  /** Waits for the exchange until the deadline; on timeout closes {@code stream} (if any). */
  private <T> T await(
      CompletableFuture<T> future, long deadline, String where, InputStream stream) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      closeQuietly(stream);
      throw timedOut(where);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(stream);
      throw new PlumblineException(
          ServerError.SOURCE_UNREACHABLE,
          "interrupted fetching " + where,
          List.of("--from " + where));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof PlumblineException p) {
        throw p;
      }
      if (cause instanceof HttpTimeoutException) {
        throw timedOut(where);
      }
      throw unreachable(where, cause);
    }
  }

  private PlumblineException timedOut(String where) {
    return new PlumblineException(
        ServerError.SOURCE_TIMEOUT,
        where + " did not answer in full within " + timeout.toSeconds() + " s",
        List.of("--from " + where, "--from-timeout SECONDS to wait longer"));
  }

  private PlumblineException tooLarge(String where, String size) {
    return new PlumblineException(
        LoaderError.PAYLOAD_TOO_LARGE,
        where + " sent " + size + "; the limit is " + maxBytes + " bytes",
        List.of("--from " + where));
  }

  private static PlumblineException unreachable(String where, Throwable why) {
    // the exception's text names the host and the failure; the request's headers never appear
    return new PlumblineException(
        ServerError.SOURCE_UNREACHABLE,
        "cannot fetch "
            + where
            + ": "
            + why.getClass().getSimpleName()
            + (why.getMessage() == null ? "" : " " + why.getMessage()),
        List.of("--from " + where));
  }

  private static Instant lastModified(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Last-Modified")
        .map(
            v -> {
              try {
                return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
              } catch (RuntimeException e) {
                return null;
              }
            })
        .orElse(null);
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // closing is how the transfer is abandoned; nothing more to do
      }
    }
  }
}
