package org.regionfailover;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;
import org.regionfailover.coordinate.Decider;
import org.regionfailover.coordinate.FleetMember;
import org.regionfailover.coordinate.standby.StandbyHost;
import org.regionfailover.loop.Supervisor;

/**
 * The layout's rules, checked on the compiled main classes so that they hold themselves
 * (issue 25): a rule that lives only in a document is broken by the next feature.
 */
class ArchitectureTest {
  /** The main classes, imported once for every rule. */
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.regionfailover");

  /**
   * Each room ({@code config}, {@code decide}, {@code loop}, ...) with its sub-packages
   * depends on the others one way only: a cycle means neither can be understood, tested or
   * changed without the other.
   */
  static final ArchRule noCycleBetweenRooms =
      slices().matching("org.regionfailover.(*)..").should().beFreeOfCycles();

  /**
   * Threads are made by {@code time.NamedThreads} only, so every one has a name and says
   * whether it keeps the JVM alive. Covers {@code new Thread(}, a subclass of Thread and an
   * executor's thread factory alike: each constructs a Thread.
   */
  static final ArchRule threadsOnlyFromTime = noClasses()
      .that().resideOutsideOfPackage("org.regionfailover.time..")
      .should().callConstructorWhere(target(owner(assignableTo(Thread.class))))
      .because("threads are made by time.NamedThreads");

  /**
   * The policy is a pure function of state, input and time, tested in zero wall time: it
   * reads no file, opens no socket, and neither acts nor reports.
   */
  static final ArchRule decideDoesNoIo = noClasses()
      .that().resideInAPackage("org.regionfailover.decide..")
      .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..",
          "java.net..", "org.regionfailover.act..", "org.regionfailover.report..")
      .because("decide is pure: the loop does the I/O, act acts and report reports");

  /**
   * One assembly (issue 25): the long-lived parts of a host are built in {@code cli}, by
   * {@code HostAssembler} and the coordinations it makes, never by the rooms themselves.
   */
  static final ArchRule longLivedPartsOnlyFromTheAssembler = noClasses()
      .that().resideOutsideOfPackage("org.regionfailover.cli..")
      .should().callConstructorWhere(target(owner(assignableTo(Supervisor.class)
          .or(assignableTo(FleetMember.class)).or(assignableTo(Decider.class))
          .or(assignableTo(StandbyHost.class)))))
      .because("a host is assembled in one place, cli.HostAssembler");

  @Test
  void noCycleBetweenRooms_holds() {
    assertHolds(noCycleBetweenRooms);
  }

  @Test
  void threadsOnlyFromTime_holds() {
    assertHolds(threadsOnlyFromTime);
  }

  @Test
  void decideDoesNoIo_holds() {
    assertHolds(decideDoesNoIo);
  }

  @Test
  void longLivedPartsOnlyFromTheAssembler_holds() {
    assertHolds(longLivedPartsOnlyFromTheAssembler);
  }

  /** The rules can fail: a class that makes its own thread is reported by name. */
  @Test
  void threadsOnlyFromTime_reportsARawThread() {
    EvaluationResult r = threadsOnlyFromTime.evaluate(
        new ClassFileImporter().importClasses(RawThread.class));
    assertThat(r.hasViolation()).isTrue();
    assertThat(r.getFailureReport().toString()).contains("RawThread");
  }

  private static void assertHolds(ArchRule rule) {
    EvaluationResult r = rule.evaluate(MAIN);
    assertThat(r.hasViolation()).as(r.getFailureReport().toString()).isFalse();
  }

  /** A test-only class that breaks the thread rule on purpose. */
  static final class RawThread {
    Thread make(Runnable r) {
      return new Thread(r, "raw");
    }
  }
}
