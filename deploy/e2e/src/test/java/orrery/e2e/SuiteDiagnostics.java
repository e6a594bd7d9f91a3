package orrery.e2e;

import orrery.testsupport.JetStreamReport;
import orrery.testsupport.ServiceProcess;

/**
 * What a failed end-to-end test leaves behind besides the services' logs: a thread dump of each
 * running service (a handler that never settles shows as a waiting thread) and JetStream's view of
 * the consumers and dead letters ({@code logs/jetstream.txt}).
 */
final class SuiteDiagnostics {

    private SuiteDiagnostics() {
    }

    static void dump(Suite suite) {
        suite.services.values().forEach(ServiceProcess::dumpThreads);
        JetStreamReport.write(suite.nats, suite.dir.resolve("logs/jetstream.txt"));
        System.out.println("thread dumps and logs in " + suite.dir.resolve("logs"));
    }
}
