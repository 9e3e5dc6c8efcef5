package org.plumbline.server.console;

import io.vertx.ext.web.RoutingContext;

/** Sign-in through an OpenID Connect provider, when one is configured. */
public interface Oidc {
  /** The provider's name on the sign-in button. */
  String name();

  /** POST /console/oidc/start: to the provider's authorization endpoint. */
  void start(RoutingContext ctx, Console console);

  /** GET /console/oidc/callback: the provider's answer. */
  void callback(RoutingContext ctx, Console console);
}
