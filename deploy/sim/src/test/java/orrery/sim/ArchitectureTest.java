package orrery.sim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import orrery.sim.controller.ControllerState;
import orrery.sim.controller.Decision;
import orrery.sim.controller.JetStreamStatus;
import orrery.sim.controller.Leak;
import orrery.sim.controller.StatusAnswer;
import orrery.sim.model.Action;
import orrery.sim.model.Event;
import orrery.sim.model.Letter;
import orrery.sim.model.Machine;
import orrery.sim.model.MachineStats;
import orrery.sim.model.ModelSettings;
import orrery.sim.model.Peers;
import orrery.sim.model.Queueing;
import orrery.testsupport.ArchitectureRules;

/** House rules, and: the controller's rule is pure (no NATS, JSON or command line in it), so it is tested without them. */
@AnalyzeClasses(packages = "orrery.sim", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule TIME_GOES_THROUGH_TIME_SOURCE = ArchitectureRules.timeGoesThroughTimeSource();

    @ArchTest
    static final ArchRule PACKAGES_ARE_FREE_OF_CYCLES = ArchitectureRules.packagesAreFreeOfCycles();

    @ArchTest
    static final ArchRule THE_RULE_IS_PURE = noClasses()
            .that().belongToAnyOf(ControllerState.class, Decision.class, JetStreamStatus.class, StatusAnswer.class, Leak.class)
            .should().dependOnClassesThat().resideInAnyPackage("io.nats..", "com.fasterxml.jackson..", "picocli..")
            .because("the advance rule is unit-tested without NATS (deploy/sim/README.md)");

    @ArchTest
    static final ArchRule THE_MODEL_IS_PURE = noClasses()
            .that().belongToAnyOf(Action.class, Event.class, Letter.class, Machine.class, MachineStats.class, ModelSettings.class,
                    Peers.class, Queueing.class)
            .should().dependOnClassesThat().resideInAnyPackage("io.nats..", "com.fasterxml.jackson..", "picocli..")
            .because("the machines and their clocks are tested alone; NATS is only the network (deploy/sim/README.md)");
}
