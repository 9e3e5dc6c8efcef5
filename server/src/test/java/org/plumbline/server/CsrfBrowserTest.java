package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 14 point 1 with a real browser (Debian's chromium and chromium-driver): while the
 * approver's browser holds Basic credentials for the server (it opened GraphiQL with them), a page
 * from another origin auto-posts a cross-site form to {@code /graphql} with an {@code
 * approveDisposition} mutation. Nothing may be signed. Also: the GraphiQL page renders under the
 * Content-Security-Policy without a violation.
 */
class CsrfBrowserTest {
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  static Path chromium() {
    for (String p : List.of("/usr/lib/chromium/chromium", "/usr/bin/chromium")) {
      if (Files.isExecutable(Path.of(p))) {
        return Path.of(p);
      }
    }
    return null;
  }

  static WebDriver browser() {
    Assumptions.assumeTrue(
        Files.isExecutable(DRIVER) && chromium() != null,
        "browser tests skipped: install Debian's chromium and chromium-driver"
            + " (apt-get install -y chromium chromium-driver; .ci/run does it)");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium().toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.DISMISS);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // The driver Debian ships: Selenium Manager downloads nothing.
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    return new ChromeDriver(service, options);
  }

  /** The attacker's page: an auto-submitting cross-site form, posted as text/plain. */
  static String attackPage(String target, String disposition) {
    String mutation =
        "mutation { approveDisposition(disposition: \\\""
            + disposition
            + "\\\", meaning: \\\"approved\\\") { id status } }";
    String name = "{\"query\":\"" + mutation + "\",\"x\":\"";
    return "<!DOCTYPE html><html><body><form id=\"f\" method=\"POST\" enctype=\"text/plain\""
        + " action=\""
        + target
        + "\"><input type=\"hidden\" name='"
        + name.replace("'", "&#39;")
        + "' value='\"}'></form><script>document.getElementById('f').submit();</script>"
        + "</body></html>";
  }

  @Test
  void aCrossSiteFormCannotSignWithTheApproversBrowserCredentials(@TempDir Path data)
      throws Exception {
    WebDriver driver = browser();
    Vertx vertx = Vertx.vertx();
    try (SecurityWorld w = new SecurityWorld(data, c -> c)) {
      // A disposition waiting for the approver.
      String drift =
          w.graphql("viewer", "{ drifts(environment: \"credit-model-prod\") { id } }")
              .at("/data/drifts/0/id")
              .asText();
      String disposition =
          w.graphql(
                  "operator",
                  "mutation { requestDisposition(drift: \""
                      + drift
                      + "\", kind: REVERT, justification: \"incident INC-7\") { id } }")
              .at("/data/requestDisposition/id")
              .asText();
      assertFalse(disposition.isEmpty());
      int port = w.server.port();
      String token = SecurityWorld.TOKENS.get("model-risk");
      String target = "http://127.0.0.1:" + port + "/graphql";
      HttpServer attacker =
          vertx
              .createHttpServer()
              .requestHandler(
                  req ->
                      req.response()
                          .putHeader("Content-Type", "text/html; charset=utf-8")
                          .end(attackPage(target, disposition)))
              .listen(0)
              .toCompletionStage()
              .toCompletableFuture()
              .join();
      // The approver opens GraphiQL with Basic credentials: first as /graphiql (where a browser
      // would keep them for the whole origin if the server challenged there), then the page.
      driver.get("http://bob:" + token + "@127.0.0.1:" + port + "/graphiql");
      driver.get("http://bob:" + token + "@127.0.0.1:" + port + "/graphiql/");
      dismissPrompt(driver);
      new WebDriverWait(driver, Duration.ofSeconds(30))
          .until(d -> !d.findElements(By.cssSelector(".graphiql-container")).isEmpty());
      assertEquals("GraphiQL", driver.getTitle());
      List<String> violations = new ArrayList<>();
      for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
        if (e.getMessage().contains("Content Security Policy")) {
          violations.add(e.getMessage());
        }
      }
      assertTrue(violations.isEmpty(), "GraphiQL breaks the CSP: " + violations);

      // The attack: a page of another site (localhost is another site than 127.0.0.1).
      driver.get("http://localhost:" + attacker.actualPort() + "/");
      new WebDriverWait(driver, Duration.ofSeconds(30))
          .until(d -> d.getCurrentUrl().startsWith(target));
      String answer = driver.findElement(By.tagName("body")).getText();
      assertFalse(answer.contains("\"status\""), answer);

      JsonNode trail = w.graphql("auditor", "{ auditTrail { action actor subject } }");
      for (JsonNode r : trail.at("/data/auditTrail")) {
        String action = r.path("action").asText();
        assertFalse(
            action.equals("disposition.signed") || action.equals("disposition.approved"),
            "forged: " + r);
      }
      JsonNode d =
          w.graphql("auditor", "{ dispositions { id status approvals { by } } }")
              .at("/data/dispositions");
      for (JsonNode one : d) {
        assertTrue(one.path("approvals").isEmpty(), one.toString());
      }
      attacker.close();
    } finally {
      driver.quit();
      vertx.close();
    }
  }

  private static void dismissPrompt(WebDriver driver) {
    // The page asks for a bearer token for its own requests; the approver declines here.
    try {
      new WebDriverWait(driver, Duration.ofSeconds(10))
          .until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent())
          .dismiss();
    } catch (org.openqa.selenium.TimeoutException e) {
      // no prompt: a token was already in the tab
    }
  }
}
