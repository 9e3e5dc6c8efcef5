package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.config.ServerConfig;

/**
 * The console's OpenID Connect sign-in (issue 16) against a real OIDC provider started here
 * (mock-oauth2-server: discovery, authorization and token endpoints, signed ID tokens, JWKS):
 * authorization code with PKCE, roles from the configured claim, one-time state bound to the
 * browser that started it, and a provider account without a Plumbline role refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcSignInTest {
  static final String ISSUER_ID = "corp";

  MockOAuth2Server idp;
  PlumblineServer server;
  String base;
  final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  void start(@TempDir Path data) throws Exception {
    idp = new MockOAuth2Server();
    idp.start();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    base = "http://localhost:" + port;
    String issuer = idp.issuerUrl(ISSUER_ID).toString();
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(port)
            .withData(data)
            .withRules(Path.of("../rules"))
            .withOidc(
                new ServerConfig.Oidc(
                    "Corp SSO",
                    issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer,
                    "plumbline-console",
                    "console-secret",
                    base + "/console/oidc/callback",
                    "preferred_username",
                    "realm_access.roles",
                    List.of("openid", "profile")));
    server = PlumblineServer.start(config, Clock.systemUTC());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (idp != null) {
      idp.shutdown();
    }
  }

  /** The provider's next sign-in is this user with these roles in {@code realm_access.roles}. */
  void nextUser(String user, List<String> roles) {
    idp.enqueueCallback(
        new DefaultOAuth2TokenCallback(
            ISSUER_ID,
            "sub-" + user,
            "JWT",
            null,
            Map.of("preferred_username", user, "realm_access", Map.of("roles", roles)),
            3600));
  }

  HttpResponse<String> get(String url, String cookies) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (cookies != null) {
      b.header("Cookie", cookies);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String cookie(HttpResponse<?> r, String name) {
    return r.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "=") && !c.startsWith(name + "=;"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cookie " + name + ": " + r.headers().map()))
        .split(";", 2)[0];
  }

  /** Presses "Sign in with Corp SSO": the answer that sends the browser to the provider. */
  HttpResponse<String> pressSignInWithSso() throws IOException, InterruptedException {
    HttpResponse<String> form = get(base + "/console/sign-in", null);
    assertTrue(form.body().contains("Sign in with Corp SSO"), form.body());
    String session = cookie(form, "plumbline_session");
    Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.body());
    assertTrue(m.find());
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/console/oidc/start"))
            .header("Cookie", session)
            .header("Origin", base)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString("_csrf=" + m.group(1), StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The provider's redirect back to our callback (it signs the queued user in at once). */
  String providerAnswers(HttpResponse<String> toProvider) throws Exception {
    assertEquals(303, toProvider.statusCode(), toProvider.body());
    String authorize = toProvider.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> back = get(authorize, null);
    assertEquals(302, back.statusCode(), back.body());
    String callback = back.headers().firstValue("Location").orElseThrow();
    assertTrue(callback.startsWith(base + "/console/oidc/callback?"), callback);
    return callback;
  }

  @Test
  void anOperatorSignsInThroughTheProviderWithCodeAndPkce() throws Exception {
    nextUser("olivia", List.of("operator", "approver", "not-a-plumbline-role"));
    HttpResponse<String> toProvider = pressSignInWithSso();
    String authorize = toProvider.headers().firstValue("Location").orElseThrow();
    assertTrue(authorize.startsWith(idp.issuerUrl(ISSUER_ID).toString()), authorize);
    for (String part :
        List.of(
            "response_type=code",
            "code_challenge_method=S256",
            "code_challenge=",
            "state=",
            "nonce=",
            "client_id=plumbline-console")) {
      assertTrue(authorize.contains(part), part + " in " + authorize);
    }
    String binding =
        toProvider.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("plumbline_oidc="))
            .findFirst()
            .orElseThrow();
    assertTrue(
        binding.toLowerCase(java.util.Locale.ROOT).contains("httponly")
            && binding.contains("SameSite=Lax"),
        binding);
    String bound = binding.split(";", 2)[0];

    String callback = providerAnswers(toProvider);
    // The provider's redirect is a cross-site navigation: only the Lax binding cookie comes along.
    HttpResponse<String> landed = get(callback, bound);
    assertEquals(200, landed.statusCode(), landed.body());
    assertTrue(landed.body().contains("url=/"), landed.body());
    String session = cookie(landed, "plumbline_session");
    assertTrue(
        landed.headers().allValues("Set-Cookie").stream()
            .anyMatch(c -> c.startsWith("plumbline_session=") && c.contains("SameSite=Strict")));

    HttpResponse<String> inbox = get(base + "/", session);
    assertEquals(200, inbox.statusCode(), inbox.body());
    assertTrue(inbox.body().contains("Signed in as olivia."), inbox.body());
    assertTrue(inbox.body().contains("operator"), inbox.body());
    assertFalse(inbox.body().contains("not-a-plumbline-role"), "only Plumbline's roles count");
    // Roles from the claim: an approver reaches the Approvals page.
    HttpResponse<String> approvals = get(base + "/console/approvals", session);
    assertFalse(approvals.body().contains("Approving needs the role"), approvals.body());

    // The state is used up: the same answer replayed signs nobody in.
    HttpResponse<String> replayed = get(callback, bound);
    assertEquals(400, replayed.statusCode());
    assertTrue(replayed.body().contains("not started here or has expired"), replayed.body());
    assertTrue(
        replayed.headers().allValues("Set-Cookie").stream()
            .noneMatch(
                c -> c.startsWith("plumbline_session=") && !c.startsWith("plumbline_session=;")));
  }

  @Test
  void anAnswerDeliveredToAnotherBrowserSignsNobodyIn() throws Exception {
    // Login CSRF: an attacker starts a sign-in and hands the provider's answer to a victim, whose
    // browser lacks the binding cookie of the attacker's start.
    // (No user is queued at the provider: the code is never exchanged, so none would be used.)
    String callback = providerAnswers(pressSignInWithSso());
    HttpResponse<String> victim = get(callback, null);
    assertEquals(400, victim.statusCode());
    assertTrue(victim.body().contains("not started here or has expired"), victim.body());
  }

  @Test
  void anAccountWithoutAPlumblineRoleIsRefused() throws Exception {
    nextUser("nora", List.of("employee"));
    HttpResponse<String> toProvider = pressSignInWithSso();
    String bound = cookie(toProvider, "plumbline_oidc");
    HttpResponse<String> landed = get(providerAnswers(toProvider), bound);
    assertEquals(400, landed.statusCode());
    assertTrue(landed.body().contains("That account grants no Plumbline role."), landed.body());
  }

  @Test
  void theConfigNamesWhatIsMissing(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("plumbline.yaml");
    Files.writeString(
        file,
        "auth:\n  oidc:\n    issuer: idp.example.com\n    redirectUri: https://p.example.com/x\n");
    PlumblineException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            PlumblineException.class, () -> ServerConfig.load(file));
    String details = String.join("\n", e.details());
    assertTrue(details.contains("/auth/oidc/clientId: required"), details);
    assertTrue(details.contains("/auth/oidc/issuer: an http(s) URL expected"), details);
    assertTrue(
        details.contains("/auth/oidc/redirectUri: must end with /console/oidc/callback"), details);
    Files.writeString(
        file,
        "auth:\n  oidc:\n    issuer: https://idp.example.com/realms/corp\n    clientId: console\n"
            + "    redirectUri: https://p.example.com/console/oidc/callback\n"
            + "    rolesClaim: groups\n");
    ServerConfig.Oidc oidc = ServerConfig.load(file).oidc();
    assertEquals("groups", oidc.rolesClaim());
    assertEquals("preferred_username", oidc.userClaim());
    assertEquals(List.of("openid", "profile"), oidc.scopes());
  }
}
