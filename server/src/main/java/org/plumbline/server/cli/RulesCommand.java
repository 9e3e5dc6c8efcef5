package org.plumbline.server.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.plumbline.rules.RulePackTester;
import org.plumbline.server.RulePacks;
import org.plumbline.server.cli.Main.Options;
import org.plumbline.server.config.ServerConfig;

/** {@code plumbline rules test [DIR]}: runs a rule pack's golden cases. */
final class RulesCommand {
  private final PrintStream out;

  RulesCommand(PrintStream out) {
    this.out = out;
  }

  int run(Options o) {
    o.allow();
    if (o.words().isEmpty() || !o.words().get(0).equals("test")) {
      throw new Main.UsageException("usage: plumbline rules test [DIR]");
    }
    Path dir =
        o.words().size() > 1
            ? Path.of(o.words().get(1))
            : RulePacks.packDirectory(ServerConfig.DEFAULT_RULES);
    org.plumbline.rules.TestReport report = RulePackTester.run(dir);
    out.print(report.render());
    return report.failed() == 0 ? 0 : 1;
  }
}
