package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 16 with a real browser (Debian's chromium and chromium-driver), driven by the visible
 * labels of CONTRACT section 7 as a person would: the operator requests a revert of a REGULATED
 * drift, two approvers sign it on the Approvals page with a meaning and their token, the stored
 * facts are checked through GraphQL, a viewer sees no disposition controls, hostile markup in a
 * snapshot stays text, and every page passes an axe-core scan without serious violations.
 * Screenshots are kept in target/console-screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  static final Path SHOTS = Path.of("target/console-screenshots");

  ConsoleWorld world;
  WebDriver driver;
  String driftId;

  @BeforeAll
  void start(@TempDir Path data) throws Exception {
    driver = CsrfBrowserTest.browser();
    world = new ConsoleWorld(data);
    driver.manage().window().setSize(new Dimension(1280, 900));
    driftId =
        world
            .graphql("victor", "{ drifts(environment: \"credit-model-prod\") { id key } }")
            .at("/data/drifts/0/id")
            .asText();
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (world != null) {
      world.close();
    }
  }

  // ---- helpers: a person's actions ----

  void open(String path) {
    driver.get(world.base() + path);
  }

  WebElement labelled(String label) {
    WebElement l = driver.findElement(By.xpath("//label[normalize-space(.)='" + label + "']"));
    String id = l.getAttribute("for");
    return id == null || id.isEmpty()
        ? l.findElement(By.xpath(".//input|.//select|.//textarea"))
        : driver.findElement(By.id(id));
  }

  WebElement labelledIn(WebElement scope, String label) {
    WebElement l = scope.findElement(By.xpath(".//label[normalize-space(.)='" + label + "']"));
    return scope.findElement(By.id(l.getAttribute("for")));
  }

  WebElement button(String name) {
    return driver.findElement(By.xpath("//button[normalize-space(.)='" + name + "']"));
  }

  List<WebElement> buttons(String name) {
    return driver.findElements(By.xpath("//button[normalize-space(.)='" + name + "']"));
  }

  void signIn(String user) {
    open("/");
    if (!buttons("Sign out").isEmpty()) {
      signOut(); // a step before failed half-way
      open("/");
    }
    assertTrue(driver.getCurrentUrl().endsWith("/console/sign-in"), driver.getCurrentUrl());
    labelled("Token").sendKeys(ConsoleWorld.TOKENS.get(user));
    button("Sign in").click();
    waitFor(() -> !buttons("Sign out").isEmpty());
    assertTrue(text().contains("Signed in as " + user), text());
  }

  void signOut() {
    button("Sign out").click();
    waitFor(() -> !buttons("Sign in").isEmpty());
  }

  /** The page's text; a page replaced while it is read (after a form post) is read again. */
  String text() {
    for (int attempt = 0; ; attempt++) {
      try {
        return driver.findElement(By.tagName("body")).getText();
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  void waitFor(java.util.function.BooleanSupplier condition) {
    try {
      new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> condition.getAsBoolean());
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "timed out on " + driver.getCurrentUrl() + ": " + driver.getPageSource(), e);
    }
  }

  /** The whole page (the window grown to its height for the shot), as a build artifact. */
  void screenshot(String name) throws IOException {
    Dimension before = driver.manage().window().getSize();
    Number height =
        (Number)
            ((JavascriptExecutor) driver)
                .executeScript("return document.documentElement.scrollHeight;");
    driver
        .manage()
        .window()
        .setSize(new Dimension(before.getWidth(), Math.min(4000, height.intValue() + 140)));
    Path png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    driver.manage().window().setSize(before);
  }

  /** Runs axe-core (read from the test class path, never served) on the page: serious findings. */
  List<String> axe() throws IOException {
    String source;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("axe.min.js")) {
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    JavascriptExecutor js = (JavascriptExecutor) driver;
    js.executeScript(source);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    String result =
        (String)
            js.executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                    + "axe.run(document, {resultTypes: ['violations']})"
                    + ".then(function (r) { done(JSON.stringify(r.violations)); })"
                    + ".catch(function (e) { done('failed: ' + e); });");
    assertFalse(result.startsWith("failed"), result);
    List<String> serious = new ArrayList<>();
    for (JsonNode v : ConsoleWorld.JSON.readTree(result)) {
      String impact = v.path("impact").asText();
      if (impact.equals("serious") || impact.equals("critical")) {
        serious.add(v.path("id").asText() + ": " + v.path("help").asText() + " " + v.path("nodes"));
      }
    }
    return serious;
  }

  void accessible(String page) throws IOException {
    List<String> serious = axe();
    assertTrue(serious.isEmpty(), page + ": " + serious);
  }

  void noCspViolation() {
    List<String> violations = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getMessage().contains("Content Security Policy")) {
        violations.add(e.getMessage());
      }
    }
    assertTrue(violations.isEmpty(), "the page breaks its CSP: " + violations);
  }

  void noAlert() {
    try {
      driver.switchTo().alert();
      throw new AssertionError("a script ran: an alert is open");
    } catch (NoAlertPresentException expected) {
      // nothing ran
    }
  }

  // ---- the story ----

  @Test
  @Order(1)
  void theSignInPageIsServedWithItsDefences() throws Exception {
    HttpResponse<String> root = world.get("/", List.of());
    assertEquals(303, root.statusCode());
    assertEquals("/console/sign-in", root.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> page = world.get("/console/sign-in", List.of());
    assertEquals(200, page.statusCode());
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(
        cookie.toLowerCase(java.util.Locale.ROOT).contains("httponly")
            && cookie.contains("SameSite=Strict"),
        "cookie: " + cookie);
    assertFalse(page.body().contains("<script>"), "no inline script");
    // A form posted without the session's token (another site's form) is refused.
    HttpResponse<String> forged =
        world.http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(world.base() + "/console/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookie.split(";", 2)[0])
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=demo-admin-token"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(403, forged.statusCode(), forged.body());
  }

  @Test
  @Order(2)
  void anOperatorFindsTheDriftAndRequestsARevert() throws Exception {
    signIn("alice");
    WebElement link =
        driver.findElement(
            By.xpath(
                "//tr[td[contains(., 'credit-model-prod')]]//a[normalize-space(.)='llm.temperature']"));
    assertTrue(text().contains("High: 1"), text());
    screenshot("inbox");
    accessible("inbox");
    noCspViolation();
    link.click();
    waitFor(() -> driver.getCurrentUrl().contains("/console/drifts/"));
    assertTrue(text().contains("It will need 2 approvals from approver, model-risk"), text());
    screenshot("drift");
    accessible("drift");
    // The expiry belongs to Accept: not displayed until Accept is chosen, gone again after.
    WebElement expires = labelled("Expires after (days)");
    assertFalse(expires.isDisplayed(), "the expiry shows before Accept is chosen");
    labelled("Accept").click();
    waitFor(expires::isDisplayed);
    assertEquals("true", expires.getDomProperty("required"), "Accept needs an expiry");
    screenshot("drift-accept");
    labelled("Revert").click();
    waitFor(() -> !expires.isDisplayed());
    labelled("Justification").sendKeys("Incident INC-7: temperature raised by hand <b>bold</b>");
    button("Request").click();
    waitFor(() -> text().contains("Requested revert"));
    assertTrue(text().contains("waiting for 2 approvals"), text());
    assertTrue(text().contains("Incident INC-7: temperature raised by hand <b>bold</b>"), text());
    // Her own request is not hers to approve.
    open("/console/approvals");
    assertTrue(text().contains("Approving needs the role approver or model-risk"), text());
    signOut();
  }

  @Test
  @Order(3)
  void twoApproversSignOnTheApprovalsPage() throws Exception {
    signIn("bob");
    driver.findElement(By.linkText("Approvals")).click();
    WebElement pending = driver.findElement(By.cssSelector("section.pending"));
    assertTrue(pending.getText().contains("Requested by alice"), pending.getText());
    screenshot("approvals");
    accessible("approvals");
    new Select(labelledIn(pending, "Meaning")).selectByValue("approved as model-risk owner");
    labelledIn(pending, "Token").sendKeys(ConsoleWorld.TOKENS.get("bob"));
    pending.findElement(By.xpath(".//button[normalize-space(.)='Approve']")).click();
    waitFor(() -> text().contains("Signed (approved as model-risk owner)"));
    assertTrue(text().contains("Nothing waits for your signature"), text());
    signOut();

    signIn("carol");
    open("/console/approvals");
    pending = driver.findElement(By.cssSelector("section.pending"));
    new Select(labelledIn(pending, "Meaning")).selectByValue("approved");
    // A wrong token does not sign.
    labelledIn(pending, "Token").sendKeys("not-carols-token");
    pending.findElement(By.xpath(".//button[normalize-space(.)='Approve']")).click();
    waitFor(() -> !driver.findElements(By.cssSelector(".flash-error")).isEmpty());
    pending = driver.findElement(By.cssSelector("section.pending"));
    new Select(labelledIn(pending, "Meaning")).selectByValue("approved");
    labelledIn(pending, "Token").sendKeys(ConsoleWorld.TOKENS.get("carol"));
    pending.findElement(By.xpath(".//button[normalize-space(.)='Approve']")).click();
    waitFor(() -> text().contains("Signed (approved)"));
    assertTrue(text().contains("the disposition is approved"), text());
    signOut();

    JsonNode d =
        world
            .graphql(
                "victor",
                "{ drift(id: \""
                    + driftId
                    + "\") { status dispositions { kind status requestedBy justification"
                    + " approvals { by role meaning at } } } }")
            .at("/data/drift");
    assertEquals("REVERT_APPROVED", d.path("status").asText(), d.toString());
    JsonNode p = d.path("dispositions").get(0);
    assertEquals("REVERT", p.path("kind").asText());
    assertEquals("APPROVED", p.path("status").asText());
    assertEquals("alice", p.path("requestedBy").asText());
    assertEquals(
        "Incident INC-7: temperature raised by hand <b>bold</b>", p.path("justification").asText());
    assertEquals("bob", p.at("/approvals/0/by").asText());
    assertEquals("model-risk", p.at("/approvals/0/role").asText());
    assertEquals("approved as model-risk owner", p.at("/approvals/0/meaning").asText());
    assertEquals("carol", p.at("/approvals/1/by").asText());
    assertEquals("approved", p.at("/approvals/1/meaning").asText());
  }

  @Test
  @Order(4)
  void aViewerSeesNoDispositionControlsAndHostileMarkupStaysText() throws Exception {
    signIn("victor");
    assertTrue(
        driver.findElements(By.linkText("Approvals")).isEmpty(), "no Approvals for a viewer");
    // The development environment's drifts carry the hostile key and value.
    WebElement hostile =
        driver.findElement(
            By.xpath("//a[normalize-space(.)='notes." + ConsoleWorld.HOSTILE + "']"));
    noAlert();
    assertTrue(
        driver.findElements(By.cssSelector("main img")).isEmpty(), "markup became an element");
    assertTrue(text().contains(ConsoleWorld.HOSTILE), text());
    hostile.click();
    waitFor(() -> driver.getCurrentUrl().contains("/console/drifts/"));
    noAlert();
    assertTrue(driver.findElements(By.cssSelector("main img")).isEmpty());
    assertTrue(buttons("Request").isEmpty(), "a viewer has no Request button");
    assertTrue(
        driver.findElements(By.xpath("//label[normalize-space(.)='Revert']")).isEmpty(),
        "a viewer has no Revert control");
    open("/console/approvals");
    assertTrue(buttons("Approve").isEmpty());
    // On a phone's width the page does not scroll sideways (tables scroll in their own box).
    open("/");
    driver.manage().window().setSize(new Dimension(390, 844));
    Object overflow =
        ((JavascriptExecutor) driver)
            .executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    screenshot("inbox-phone");
    assertTrue(((Number) overflow).intValue() <= 1, "horizontal overflow: " + overflow);
    driver.manage().window().setSize(new Dimension(1280, 900));
    noCspViolation();
    signOut();
  }

  @Test
  @Order(5)
  void environmentEvidenceAndTheOtherPages() throws Exception {
    // a pipeline asks the gate (DENY) and an operator requests an override of the denial
    JsonNode gate =
        world.graphql(
            "loader",
            "mutation { promotionGate(bundle: \"credit-model\", version: \"2.3.0\","
                + " environment: \"credit-model-prod\") { decision reasons { code } } }");
    assertEquals("DENY", gate.at("/data/promotionGate/decision").asText(), gate.toString());
    String firstReason = gate.at("/data/promotionGate/reasons/0/code").asText();
    signIn("alice");
    open("/console/environments/credit-model-prod");
    labelled("Why it must ship anyway").sendKeys("INC-7 hotfix");
    labelled("Override for (days)").sendKeys("1");
    button("Request override").click();
    waitFor(() -> text().contains("Requested override "));
    java.util.regex.Matcher requested =
        java.util.regex.Pattern.compile("Requested override (\\S+): waiting for").matcher(text());
    assertTrue(requested.find(), text());
    String override = requested.group(1);
    assertTrue(buttons("Request override").isEmpty(), "a pending override is not requested twice");
    signOut();
    signIn("dana");
    open("/console/environments/credit-model-prod");
    waitFor(() -> !driver.findElements(By.cssSelector(".chart canvas")).isEmpty());
    assertTrue(text().contains("Matches the blueprint"), text());
    // the gate history: a table with its headers, the decision, its reasons and the override
    WebElement gates =
        driver.findElement(By.xpath("//section[h2[normalize-space(.)='Promotion gates']]"));
    List<String> headers = new ArrayList<>();
    gates.findElements(By.xpath("(.//table)[1]//th")).forEach(th -> headers.add(th.getText()));
    assertEquals(
        List.of("When", "Version", "Decision", "Reasons", "Override", "Asked by"), headers);
    String history = gates.getText();
    assertTrue(history.contains("credit-model@2.3.0"), history);
    assertTrue(history.contains("DENY"), history);
    assertTrue(history.contains(firstReason), history);
    assertTrue(history.contains("ci-loader"), history);
    assertTrue(history.contains("Overrides of denials"), history);
    assertTrue(history.contains(override), history);
    assertTrue(history.contains("INC-7 hotfix"), history);
    screenshot("environment");
    accessible("environment");
    labelled("As of").sendKeys("11/02/2026");
    button("Show").click();
    waitFor(() -> text().contains("As of 2 Nov 2026"));
    open("/console/evidence");
    assertTrue(text().contains("Verified: every one of"), text());
    screenshot("evidence");
    accessible("evidence");
    HttpResponse<String> noSession =
        world.get("/console/evidence/export?environment=credit-model-prod&format=json", List.of());
    assertEquals(303, noSession.statusCode(), "exports need a session");
    for (String page :
        List.of(
            "/console/rules",
            "/console/change-requests",
            "/console/prompts",
            "/console/environments")) {
      open(page);
      accessible(page);
    }
    open("/console/rules");
    assertTrue(text().contains("Active version"), text());
    noCspViolation();
    signOut();
  }

  @Test
  @Order(6)
  void twoApproversSignTheGateOverrideAndTheGateAllows() throws Exception {
    signIn("carol");
    open("/console/approvals");
    WebElement pending = driver.findElement(By.cssSelector("section.override"));
    assertTrue(pending.getText().contains("Requested by alice"), pending.getText());
    assertTrue(pending.getText().contains("INC-7 hotfix"), pending.getText());
    screenshot("approvals-override");
    accessible("approvals-override");
    new Select(labelledIn(pending, "Meaning")).selectByValue("approved");
    labelledIn(pending, "Token").sendKeys(ConsoleWorld.TOKENS.get("carol"));
    pending.findElement(By.xpath(".//button[normalize-space(.)='Approve']")).click();
    waitFor(() -> text().contains("Signed (approved): the override is"));
    signOut();

    signIn("bob");
    open("/console/approvals");
    pending = driver.findElement(By.cssSelector("section.override"));
    new Select(labelledIn(pending, "Meaning")).selectByValue("approved as model-risk owner");
    labelledIn(pending, "Token").sendKeys(ConsoleWorld.TOKENS.get("bob"));
    pending.findElement(By.xpath(".//button[normalize-space(.)='Approve']")).click();
    waitFor(
        () -> text().contains("Signed (approved as model-risk owner): the override is approved"));
    signOut();

    JsonNode o =
        world
            .graphql(
                "victor",
                "{ gateOverrides(environment: \"credit-model-prod\") { id status requestedBy"
                    + " justification approvals { by role meaning } } }")
            .at("/data/gateOverrides/0");
    assertEquals("APPROVED", o.path("status").asText(), o.toString());
    assertEquals("alice", o.path("requestedBy").asText());
    assertEquals("INC-7 hotfix", o.path("justification").asText());
    assertEquals(
        List.of("carol", "bob"),
        List.of(o.at("/approvals/0/by").asText(), o.at("/approvals/1/by").asText()));
    JsonNode gate =
        world.graphql(
            "loader",
            "mutation { promotionGate(bundle: \"credit-model\", version: \"2.3.0\","
                + " environment: \"credit-model-prod\") { decision override { id } } }");
    assertEquals("ALLOW", gate.at("/data/promotionGate/decision").asText(), gate.toString());
    assertEquals(o.path("id").asText(), gate.at("/data/promotionGate/override/id").asText());
  }
}
