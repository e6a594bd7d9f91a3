package orrery.model.messaging;

import java.util.List;
import java.util.Objects;

/**
 * What one NATS user may publish and subscribe to, in nats-server's terms: a subject is allowed
 * when an {@code allow} pattern matches it and no {@code deny} pattern does (an empty allow list
 * allows nothing here: every Orrery user lists what it needs). With {@code allowResponses} the
 * user may also publish one reply to the reply subject of each request it receives (request/reply
 * answers, flow control), without a publish permission on inboxes.
 */
public record NatsPermissions(
        String user,
        List<String> publishAllow,
        List<String> publishDeny,
        List<String> subscribeAllow,
        List<String> subscribeDeny,
        boolean allowResponses) {

    public NatsPermissions {
        Objects.requireNonNull(user, "user");
        publishAllow = List.copyOf(publishAllow);
        publishDeny = List.copyOf(publishDeny);
        subscribeAllow = List.copyOf(subscribeAllow);
        subscribeDeny = List.copyOf(subscribeDeny);
    }

    /** True if nats-server lets this user publish to {@code subject} (a literal subject). */
    public boolean mayPublish(String subject) {
        return allowed(subject, publishAllow, publishDeny);
    }

    /** True if nats-server lets this user subscribe to {@code subject} (which may hold wildcards). */
    public boolean maySubscribe(String subject) {
        return allowed(subject, subscribeAllow, subscribeDeny);
    }

    private static boolean allowed(String subject, List<String> allow, List<String> deny) {
        return allow.stream().anyMatch(p -> matches(p, subject)) && deny.stream().noneMatch(p -> matches(p, subject));
    }

    /**
     * True if the permission {@code pattern} covers {@code subject}, as nats-server matches them:
     * token by token, {@code *} standing for one token and a final {@code >} for one or more.
     * Wildcards in {@code subject} are ordinary tokens here, so a subscription to {@code tasks.>}
     * is covered by {@code tasks.>} or {@code >} but not by {@code tasks.build.>}.
     */
    public static boolean matches(String pattern, String subject) {
        String[] p = pattern.split("\\.", -1);
        String[] s = subject.split("\\.", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals(">") && i == p.length - 1) {
                return s.length > i;
            }
            if (i >= s.length) {
                return false;
            }
            if (!p[i].equals("*") && !p[i].equals(s[i])) {
                return false;
            }
        }
        return p.length == s.length;
    }
}
