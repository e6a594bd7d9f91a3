package orrery.canfar.backend.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import orrery.canfar.config.CanfarConfig;

/** Configurations of the local backend for tests that build it without Quarkus. */
final class TestConfigs {

    private TestConfigs() {
    }

    /** The local backend's settings, as a record so that tests can change one with a copy. */
    record Local(Path runDir, CanfarConfig.SupervisorMode supervisor, CanfarConfig.Isolation isolation,
                 String sessionUser, Optional<String> sessionGroup, CanfarConfig.Sandbox sandbox, Optional<List<Path>> hide)
            implements CanfarConfig.Local {

        /** Sessions as nobody:nogroup where the tests run as root, else (unfenced) as the tests' own account. */
        static Local of(Path runDir, String supervisor) {
            return new Local(runDir, CanfarConfig.SupervisorMode.valueOf(supervisor),
                    Fences.adapterIsRoot() ? CanfarConfig.Isolation.account : CanfarConfig.Isolation.none, "nobody",
                    Optional.of("nogroup"), CanfarConfig.Sandbox.auto, Optional.empty());
        }

        Local withIsolation(CanfarConfig.Isolation value) {
            return new Local(runDir, supervisor, value, sessionUser, sessionGroup, sandbox, hide);
        }

        Local withSessionUser(String user, Optional<String> group) {
            return new Local(runDir, supervisor, isolation, user, group, sandbox, hide);
        }

        public Duration grace() {
            return Duration.ofSeconds(1);
        }

        public Duration pollInitial() {
            return Duration.ofMillis(100);
        }

        public Duration pollMax() {
            return Duration.ofSeconds(1);
        }

        public Duration defaultStartup() {
            return Duration.ofSeconds(1);
        }

        public String jupyter() {
            return "jupyter";
        }

        public String path() {
            return "/usr/local/bin:/usr/bin:/bin";
        }

        public String lang() {
            return "C.UTF-8";
        }

        public boolean limits() {
            return true;
        }

        public CanfarConfig.Containers containers() {
            return new CanfarConfig.Containers() {
                public String podman() {
                    return "podman";
                }

                public Optional<Path> conf() {
                    return Optional.empty();
                }

                public String network() {
                    return "none";
                }
            };
        }
    }

    static CanfarConfig canfar(CanfarConfig.Local local) {
        return new CanfarConfig() {
            public Backend backend() {
                return Backend.local;
            }

            public Images images() {
                return () -> List.of("images.canfar.net/");
            }

            public Quote quote() {
                return () -> 10;
            }

            public Watch watch() {
                return null;
            }

            public Local local() {
                return local;
            }

            public Skaha skaha() {
                return null;
            }

            public Simulated simulated() {
                return null;
            }
        };
    }
}
