package orrery.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/**
 * House rules every module checks with ArchUnit (see DESIGN.md, "Time" and "Layout").
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** Service code asks the TimeSource for the time and for timers; it never reads the wall clock or sleeps. */
    public static ArchRule timeGoesThroughTimeSource() {
        return noClasses()
                .that(DescribedPredicate.not(isTimeSourceImplementation()))
                .should().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callMethod(OffsetDateTime.class, "now")
                .orShould().callMethod(ZonedDateTime.class, "now")
                .orShould().callMethod(Clock.class, "systemUTC")
                .orShould().callMethod(Clock.class, "systemDefaultZone")
                .orShould().callMethodWhere(threadSleep())
                .allowEmptyShould(true)
                .because("time goes through orrery.model.time.TimeSource (DESIGN.md, \"Time\")");
    }

    /** {@code domain} packages hold pure logic, unit-tested without Quarkus, NATS, Vert.x or JAX-RS. */
    public static ArchRule domainIsFrameworkFree() {
        return noClasses()
                .that().resideInAPackage("..domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.quarkus..", "io.quarkiverse..", "io.smallrye..", "io.vertx..", "io.nats..",
                        "jakarta.ws.rs..", "jakarta.persistence..", "jakarta.enterprise..", "jakarta.inject..",
                        "org.hibernate..", "org.eclipse.microprofile..", "com.fasterxml.jackson..")
                .allowEmptyShould(true)
                .because("domain code is pure logic (DESIGN.md, \"Layout\")");
    }

    /**
     * A service's packages ({@code orrery.<service>.<package>}, sub-packages folded in) depend on each
     * other in one direction only: {@code api} and {@code messaging} call {@code service}, which uses
     * {@code domain}, {@code store}, {@code backend} and {@code config} (docs/conventions.md).
     */
    public static ArchRule packagesAreFreeOfCycles() {
        return slices().matching("orrery.(*).(*)..").namingSlices("$1.$2")
                .should().beFreeOfCycles()
                .allowEmptyShould(true)
                .because("a package cycle means two packages are one (docs/conventions.md, \"Shape of a service\")");
    }

    /**
     * No native SQL through Hibernate: a native query's plan is cached under a key that never
     * matches the next call's (its result mapping compares by identity), so every call adds an
     * entry to the plan cache, all under one hash, and each later lookup walks them (it was 14% of
     * the broker's CPU in a replay). HQL reaches PostgreSQL's functions and locks as well
     * ({@code function('pg_advisory_xact_lock', ...)}, {@code LockMode.UPGRADE_SKIPLOCKED}).
     */
    public static ArchRule noNativeQueriesThroughHibernate() {
        return noClasses()
                .should().callMethodWhere(new DescribedPredicate<>("a call of createNativeQuery on a Hibernate session") {
                    @Override
                    public boolean test(JavaMethodCall call) {
                        return call.getName().equals("createNativeQuery")
                                && (call.getTargetOwner().getPackageName().startsWith("org.hibernate")
                                || call.getTargetOwner().getPackageName().startsWith("jakarta.persistence"));
                    }
                })
                .allowEmptyShould(true)
                .because("a native query grows Hibernate's plan cache on every call (write it in HQL)");
    }

    private static DescribedPredicate<JavaClass> isTimeSourceImplementation() {
        return new DescribedPredicate<>("a TimeSource implementation") {
            @Override
            public boolean test(JavaClass javaClass) {
                JavaClass outer = javaClass;
                while (outer.getEnclosingClass().isPresent()) {
                    outer = outer.getEnclosingClass().get();
                }
                return outer.isAssignableTo("orrery.model.time.TimeSource");
            }
        };
    }

    private static DescribedPredicate<JavaMethodCall> threadSleep() {
        return new DescribedPredicate<>("Thread.sleep") {
            @Override
            public boolean test(JavaMethodCall call) {
                return call.getTarget().getOwner().isEquivalentTo(Thread.class) && call.getTarget().getName().equals("sleep");
            }
        };
    }
}
