package org.plumbline.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries, checked on the compiled classes of every module (the server's test
 * classpath holds them all): no module reaches into another module's {@code internal} packages, and
 * modules depend one way, {@code ontology <- rules <- governance <- graphql <- server} and {@code
 * ontology <- loaders <- governance}. The {@code bench} module sits above {@code server} and is not
 * on this classpath; it is a tool over the server's public API.
 *
 * <p>Why ArchUnit rather than {@code module-info.java}: Drools compiles the rule packs at run time
 * into a class loader of its own and reaches the fact and function classes the DRL files import by
 * reflection, and both Drools and Jena find their parts through {@code META-INF/services} and split
 * packages across jars; as named modules they would need opens and exports for the whole stack, and
 * the product ships as one shaded jar on the class path, where a module descriptor is not enforced
 * at all. A test over the bytecode enforces the same rule in every build without changing how
 * anything loads. The DRL files are text, not classes: {@code RulePackTest} checks that the shipped
 * pack imports only the published pack API ({@code org.plumbline.rules.pack}).
 */
class ArchitectureTest {
  private static final List<String> MODULES =
      List.of("ontology", "rules", "loaders", "governance", "graphql", "server");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.plumbline");
  }

  @Test
  void everyModuleIsScanned() {
    // A rule over classes that were never imported passes vacuously: make sure all are there.
    Set<String> found =
        classes.stream()
            .map(c -> c.getPackageName())
            .filter(p -> p.startsWith("org.plumbline."))
            .map(p -> p.split("\\.")[2])
            .collect(Collectors.toSet());
    assertTrue(found.containsAll(MODULES), () -> "scanned only " + found);
    assertTrue(
        classes.containPackage("org.plumbline.ontology.internal")
            && classes.containPackage("org.plumbline.rules.pack"),
        "internal and API packages scanned");
  }

  @Test
  void noModuleImportsAnotherModulesInternalPackages() {
    for (String module : MODULES) {
      ArchRule rule =
          noClasses()
              .that()
              .resideOutsideOfPackage("org.plumbline." + module + "..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage("org.plumbline." + module + ".internal..")
              .because(
                  "only the "
                      + module
                      + " module may use its internal packages; others use its API")
              .allowEmptyShould(true);
      rule.check(classes);
    }
  }

  @Test
  void modulesDependOneWay() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("ontology")
        .definedBy("org.plumbline.ontology..")
        .layer("rules")
        .definedBy("org.plumbline.rules..")
        .layer("loaders")
        .definedBy("org.plumbline.loaders..")
        .layer("governance")
        .definedBy("org.plumbline.governance..")
        .layer("graphql")
        .definedBy("org.plumbline.graphql..")
        .layer("server")
        .definedBy("org.plumbline.server..")
        .whereLayer("server")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("graphql")
        .mayOnlyBeAccessedByLayers("server")
        .whereLayer("governance")
        .mayOnlyBeAccessedByLayers("graphql", "server")
        .whereLayer("loaders")
        .mayOnlyBeAccessedByLayers("governance", "server")
        .whereLayer("rules")
        .mayOnlyBeAccessedByLayers("governance", "graphql", "server")
        .whereLayer("ontology")
        .mayOnlyBeAccessedByLayers("rules", "loaders", "governance", "graphql", "server")
        .check(classes);
  }

  @Test
  void theLedgerPackageStandsOnTheStoreApiNotItsInternals() {
    noClasses()
        .that()
        .resideInAPackage("org.plumbline.ontology.ledger..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.plumbline.ontology.internal..", "org.apache.jena..")
        .because("the ledger's rules (chain, Merkle tree, checkpoints, verification) are pure")
        .check(classes);
  }

  @Test
  void theRulePackApiDependsOnlyOnTheOntologyApi() {
    noClasses()
        .that()
        .resideInAPackage("org.plumbline.rules.pack..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.plumbline.rules.internal..", "org.plumbline.ontology.internal..")
        .because("DRL authors program against it: it must not drag internals into their packs")
        .check(classes);
  }

  @Test
  void onlyTheGovernorOpensWriteTransactions() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(org.plumbline.governance.Governor.class.getName())
        .and()
        .resideOutsideOfPackage("org.plumbline.ontology..")
        .should()
        .callMethod(
            org.plumbline.ontology.GraphStore.class, "write", java.util.function.Function.class)
        .because(
            "every write is a command the governor journals and applies in one transaction;"
                + " a second way in would bypass the journal, the lock and the audit")
        .check(classes);
  }

  @Test
  void onlyTheGovernorRehearsesWrites() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(org.plumbline.governance.Governor.class.getName())
        .and()
        .resideOutsideOfPackage("org.plumbline.ontology..")
        .should()
        .callMethod(
            org.plumbline.ontology.GraphStore.class, "rehearse", java.util.function.Function.class)
        .because(
            "a dry run answers from the governance code of a real ingest, under the governor's"
                + " lock; a second rehearsal would be a second copy of it")
        .check(classes);
  }
}
