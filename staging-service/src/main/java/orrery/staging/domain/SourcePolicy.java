package orrery.staging.domain;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which sources staging may fetch from: {@code http(s)} hosts on an allow-list (and never a
 * loopback, private or link-local address unless allowed), {@code file:} paths under configured
 * roots (after resolving symlinks), and {@code vos://} URIs of known VOSpace authorities.
 *
 * <p>Allow-list entries are exact host names, {@code .example.org} for a domain and its
 * sub-domains, or {@code *} for any host.
 */
public final class SourcePolicy {

    /** A source that passed the checks. */
    public record Source(Scheme scheme, URI uri, String host, Path file) {
    }

    /** The kinds of source. */
    public enum Scheme { HTTP, FILE, VOS }

    private final Set<String> allowedHosts;
    private final boolean allowPrivateAddresses;
    private final List<Path> fileRoots;
    private final Set<String> vosAuthorities;

    public SourcePolicy(Set<String> allowedHosts, boolean allowPrivateAddresses, List<Path> fileRoots,
                        Set<String> vosAuthorities) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
        this.allowPrivateAddresses = allowPrivateAddresses;
        this.fileRoots = fileRoots.stream().map(SourcePolicy::real).collect(Collectors.toUnmodifiableList());
        this.vosAuthorities = Set.copyOf(vosAuthorities);
    }

    /** Checks {@code url} without touching the network (addresses are checked on connect). */
    public Source check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw StagingRefusals.disallowedSource("'" + url + "' is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "http":
            case "https":
                return new Source(Scheme.HTTP, uri, checkHost(uri), null);
            case "file":
                return new Source(Scheme.FILE, uri, "file", checkFile(uri));
            case "vos":
                return new Source(Scheme.VOS, uri, checkVos(uri), null);
            default:
                throw StagingRefusals.disallowedSource("scheme '" + scheme + "' of '" + url
                        + "' is not supported; use https://, http://, file: or vos://");
        }
    }

    /** Refuses a resolved address that points into our own network unless that is allowed. */
    public void checkAddresses(String host, InetAddress[] addresses) {
        if (allowPrivateAddresses) {
            return;
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                throw StagingRefusals.disallowedSource("host '" + host + "' resolves to " + address.getHostAddress()
                        + ", a loopback, private or link-local address; such sources are refused unless the "
                        + "service allows private addresses (orrery.staging.sources.http.allow-private-addresses)");
            }
        }
    }

    public boolean allowsPrivateAddresses() {
        return allowPrivateAddresses;
    }

    String checkHost(URI uri) {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw StagingRefusals.disallowedSource("'" + uri + "' has no host");
        }
        if (uri.getUserInfo() != null) {
            throw StagingRefusals.disallowedSource("'" + uri + "' carries credentials in the URL; they are not accepted");
        }
        String normalised = host.toLowerCase(Locale.ROOT);
        if (normalised.startsWith("[") && normalised.endsWith("]")) {
            normalised = normalised.substring(1, normalised.length() - 1);
        }
        if (!hostAllowed(normalised)) {
            throw StagingRefusals.disallowedSource("host '" + host + "' is not on the staging allow-list ("
                    + (allowedHosts.isEmpty() ? "which is empty" : String.join(", ", allowedHosts.stream().sorted().toList()))
                    + "); ask an operator to add it (orrery.staging.sources.http.allowed-hosts)");
        }
        return normalised;
    }

    private boolean hostAllowed(String host) {
        if (allowedHosts.contains("*") || allowedHosts.contains(host)) {
            return true;
        }
        for (String entry : allowedHosts) {
            if (entry.startsWith(".") && (host.endsWith(entry) || host.equals(entry.substring(1)))) {
                return true;
            }
        }
        return false;
    }

    private Path checkFile(URI uri) {
        if (fileRoots.isEmpty()) {
            throw StagingRefusals.disallowedSource("file: sources are not enabled on this service "
                    + "(orrery.staging.sources.file.roots is empty)");
        }
        if (uri.getAuthority() != null && !uri.getAuthority().isEmpty() && !"localhost".equals(uri.getAuthority())) {
            throw StagingRefusals.disallowedSource("'" + uri + "' names a remote host; file: URLs must be local");
        }
        String rawPath = uri.getPath();
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw StagingRefusals.disallowedSource("'" + uri + "' must be an absolute file: URL such as file:///data/x.fits");
        }
        Path path;
        try {
            path = Path.of(rawPath).toRealPath();
        } catch (IOException e) {
            throw StagingRefusals.disallowedSource("'" + uri + "' does not exist or cannot be read");
        }
        for (Path root : fileRoots) {
            if (path.startsWith(root)) {
                if (!Files.isRegularFile(path)) {
                    throw StagingRefusals.disallowedSource("'" + uri + "' is not a regular file");
                }
                return path;
            }
        }
        throw StagingRefusals.disallowedSource("'" + uri + "' is outside the folders staging may read ("
                + fileRoots.stream().map(Path::toString).sorted().collect(Collectors.joining(", "))
                + "; symbolic links are followed before this check)");
    }

    private String checkVos(URI uri) {
        String authority = uri.getAuthority();
        if (authority == null || !vosAuthorities.contains(authority)) {
            throw StagingRefusals.disallowedSource("VOSpace authority '" + authority + "' of '" + uri
                    + "' is not configured; known: " + String.join(", ", vosAuthorities.stream().sorted().toList()));
        }
        if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().contains("/../")) {
            throw StagingRefusals.disallowedSource("'" + uri + "' has no usable node path");
        }
        return authority;
    }

    static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                || (first == 169 && second == 254);
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
