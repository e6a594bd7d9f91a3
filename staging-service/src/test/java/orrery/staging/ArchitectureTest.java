package orrery.staging;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import orrery.testsupport.ArchitectureRules;

/** House rules, checked on this service and on the shared modules it runs with. */
@AnalyzeClasses(packages = {"orrery.staging", "orrery.model", "orrery.support"},
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule TIME_GOES_THROUGH_TIME_SOURCE = ArchitectureRules.timeGoesThroughTimeSource();

    @ArchTest
    static final ArchRule DOMAIN_IS_FRAMEWORK_FREE = ArchitectureRules.domainIsFrameworkFree();

    @ArchTest
    static final ArchRule PACKAGES_ARE_FREE_OF_CYCLES = ArchitectureRules.packagesAreFreeOfCycles();

    @ArchTest
    static final ArchRule NO_NATIVE_QUERIES_THROUGH_HIBERNATE = ArchitectureRules.noNativeQueriesThroughHibernate();
}
