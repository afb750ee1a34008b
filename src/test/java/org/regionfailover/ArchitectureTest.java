package org.regionfailover;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.regionfailover.coordinate.Decider;
import org.regionfailover.coordinate.FleetMember;
import org.regionfailover.coordinate.standby.StandbyHost;
import org.regionfailover.loop.Supervisor;

/**
 * The layout's rules, checked on the compiled main classes so that they hold themselves
 * (issue 25): a rule that lives only in a document is broken by the next feature.
 */
@AnalyzeClasses(packages = "org.regionfailover",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  /**
   * Each room ({@code config}, {@code decide}, {@code loop}, ...) with its sub-packages
   * depends on the others one way only: a cycle means neither can be understood, tested or
   * changed without the other.
   */
  @ArchTest
  static final ArchRule noCycleBetweenRooms =
      slices().matching("org.regionfailover.(*)..").should().beFreeOfCycles();

  /**
   * Threads are made by {@code time.NamedThreads} only, so every one has a name and says
   * whether it keeps the JVM alive. Covers {@code new Thread(}, a subclass of Thread and an
   * executor's thread factory alike: each constructs a Thread.
   */
  @ArchTest
  static final ArchRule threadsOnlyFromTime = noClasses()
      .that().resideOutsideOfPackage("org.regionfailover.time..")
      .should().callConstructorWhere(target(owner(assignableTo(Thread.class))))
      .because("threads are made by time.NamedThreads");

  /**
   * The policy is a pure function of state, input and time, tested in zero wall time: it
   * reads no file, opens no socket, and neither acts nor reports.
   */
  @ArchTest
  static final ArchRule decideDoesNoIo = noClasses()
      .that().resideInAPackage("org.regionfailover.decide..")
      .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..",
          "java.net..", "org.regionfailover.act..", "org.regionfailover.report..")
      .because("decide is pure: the loop does the I/O, act acts and report reports");

  /**
   * One assembly (issue 25): the long-lived parts of a host are built in {@code cli}, by
   * {@code HostAssembler} and the coordinations it makes, never by the rooms themselves.
   */
  @ArchTest
  static final ArchRule longLivedPartsOnlyFromTheAssembler = noClasses()
      .that().resideOutsideOfPackage("org.regionfailover.cli..")
      .should().callConstructorWhere(target(owner(assignableTo(Supervisor.class)
          .or(assignableTo(FleetMember.class)).or(assignableTo(Decider.class))
          .or(assignableTo(StandbyHost.class)))))
      .because("a host is assembled in one place, cli.HostAssembler");
}
