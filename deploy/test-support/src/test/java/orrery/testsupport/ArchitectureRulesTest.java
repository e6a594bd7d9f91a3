package orrery.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import orrery.testsupport.fixture.ClockOfItsOwn;
import orrery.testsupport.fixture.ReadsTheWallClock;
import orrery.testsupport.fixture.SleepsOnTheWallClock;
import orrery.cyclic.alpha.Alpha;
import orrery.cyclic.beta.Beta;
import orrery.testsupport.fixture.domain.UsesJackson;
import orrery.testsupport.fixture.domain.UsesJaxRs;
import org.junit.jupiter.api.Test;

class ArchitectureRulesTest {

    private final ClassFileImporter importer = new ClassFileImporter();

    @Test
    void catchesCodeThatReadsTheWallClock() {
        JavaClasses classes = importer.importClasses(ReadsTheWallClock.class);

        assertThatThrownBy(() -> ArchitectureRules.timeGoesThroughTimeSource().check(classes))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Instant.now()");
    }

    @Test
    void catchesCodeThatSleeps() {
        JavaClasses classes = importer.importClasses(SleepsOnTheWallClock.class);

        assertThatThrownBy(() -> ArchitectureRules.timeGoesThroughTimeSource().check(classes))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Thread.sleep");
    }

    @Test
    void letsTimeSourceImplementationsReadTheClock() {
        JavaClasses classes = importer.importClasses(ClockOfItsOwn.class);

        assertThatCode(() -> ArchitectureRules.timeGoesThroughTimeSource().check(classes)).doesNotThrowAnyException();
    }

    @Test
    void catchesFrameworkTypesInDomainCode() {
        JavaClasses classes = importer.importClasses(UsesJaxRs.class);

        assertThatThrownBy(() -> ArchitectureRules.domainIsFrameworkFree().check(classes))
                .isInstanceOf(AssertionError.class).hasMessageContaining("jakarta.ws.rs");
    }

    @Test
    void catchesJacksonInDomainCode() {
        JavaClasses classes = importer.importClasses(UsesJackson.class);

        assertThatThrownBy(() -> ArchitectureRules.domainIsFrameworkFree().check(classes))
                .isInstanceOf(AssertionError.class).hasMessageContaining("com.fasterxml.jackson");
    }

    @Test
    void catchesPackageCycles() {
        JavaClasses classes = importer.importClasses(Alpha.class, Beta.class);

        assertThatThrownBy(() -> ArchitectureRules.packagesAreFreeOfCycles().check(classes))
                .isInstanceOf(AssertionError.class).hasMessageContaining("cyclic.alpha").hasMessageContaining("cyclic.beta");
    }

    @Test
    void oneWayDependenciesAreNoCycle() {
        JavaClasses classes = importer.importClasses(Alpha.class, UsesJackson.class);

        assertThatCode(() -> ArchitectureRules.packagesAreFreeOfCycles().check(classes)).doesNotThrowAnyException();
    }
}
