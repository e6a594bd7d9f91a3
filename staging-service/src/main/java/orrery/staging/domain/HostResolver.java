package orrery.staging.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name into addresses: the system resolver in the service, a fixed answer in tests. */
@FunctionalInterface
public interface HostResolver {

    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
