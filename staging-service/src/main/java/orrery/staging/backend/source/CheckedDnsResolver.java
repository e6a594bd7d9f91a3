package orrery.staging.backend.source;

import java.net.InetAddress;
import java.net.UnknownHostException;
import orrery.model.problem.ProblemException;
import orrery.staging.domain.HostResolver;
import orrery.staging.domain.SourcePolicy;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The HTTP client's only way to turn a host into addresses: one look-up through the
 * {@link HostResolver}, every address checked by {@link SourcePolicy#resolve}, and exactly those
 * addresses returned for the client to connect to. A host the policy refuses is a {@link Refused}
 * with the policy's reason, before any connection is made.
 */
final class CheckedDnsResolver implements DnsResolver {

    /** The host resolved, but to an address the policy refuses; retrying will not change that. */
    static final class Refused extends UnknownHostException {
        Refused(String reason) {
            super(reason);
        }
    }

    private final SourcePolicy policy;
    private final HostResolver resolver;

    CheckedDnsResolver(SourcePolicy policy, HostResolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        try {
            return policy.resolve(host, resolver).toArray(InetAddress[]::new);
        } catch (ProblemException refused) {
            throw new Refused(refused.getMessage());
        }
    }

    /** Only used for SPNEGO, which staging never does: the name as it is, without a look-up. */
    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
