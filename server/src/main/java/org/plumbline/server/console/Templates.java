package org.plumbline.server.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The console's templates, compiled to classes at build time (jte-maven-plugin): rendering needs
 * jte's runtime only, never a compiler. Html content type: every {@code ${…}} is escaped for the
 * context it lands in (text, attribute), so stored keys and values cannot become markup.
 */
final class Templates {
  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  String render(String name, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    engine.render("console/" + name + ".jte", params, out);
    return out.toString();
  }
}
