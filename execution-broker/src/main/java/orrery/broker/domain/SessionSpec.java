package orrery.broker.domain;

import java.util.List;
import java.util.Map;
import orrery.model.canfar.SessionKind;

/** The session an execution will run: image, kind, and for headless sessions the command. */
public record SessionSpec(SessionKind kind, String image, String cmd, List<String> args, Map<String, String> env) {

    public SessionSpec {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
