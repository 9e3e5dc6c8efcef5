package org.plumbline.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.RulePack;

/**
 * Finds the rule pack to run: the rules folder is either a pack itself or holds the shipped layout
 * {@code packs/default}.
 */
public final class RulePacks {
  private RulePacks() {}

  public static RulePack load(Path rulesFolder) {
    return RulePack.compile(packDirectory(rulesFolder));
  }

  public static Path packDirectory(Path rulesFolder) {
    if (Files.isDirectory(rulesFolder.resolve("packs/default"))) {
      return rulesFolder.resolve("packs/default");
    }
    if (Files.isDirectory(rulesFolder)) {
      return rulesFolder;
    }
    throw new PlumblineException(
        RuleError.PACK_NOT_FOUND,
        "rules folder "
            + rulesFolder.toAbsolutePath()
            + " does not exist (set --rules or 'rules:')",
        List.of("rules: " + rulesFolder));
  }
}
