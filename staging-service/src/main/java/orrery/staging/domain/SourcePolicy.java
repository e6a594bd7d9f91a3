package orrery.staging.domain;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which sources staging may fetch from, the one URL policy for transfers and quotes alike:
 * {@code http(s)} hosts on an allow-list whose addresses pass the {@link AddressPolicy},
 * {@code file:} paths under configured roots (after resolving symlinks), and {@code vos://} URIs of
 * known VOSpace authorities (their paths normalised first, never climbing above the root).
 *
 * <p>Allow-list entries are exact host names, {@code .example.org} for a domain and its
 * sub-domains, or {@code *} for any host. A host written as an IP address is checked against the
 * address policy at once; a host name is checked when it is resolved ({@link #resolve}), once per
 * connection, and the fetcher connects to exactly the addresses that passed.
 */
public final class SourcePolicy {

    /** A source that passed the checks. */
    public record Source(Scheme scheme, URI uri, String host, Path file) {
    }

    /**
     * The kinds of source. {@code DATALINK} is an IVOA DataLink document at an HTTP(S) address
     * ({@code datalink+https://...}): the file is its {@code #this} row's access_url.
     */
    public enum Scheme { HTTP, FILE, VOS, DATALINK }

    private final Set<String> allowedHosts;
    private final AddressPolicy addresses;
    private final List<Path> fileRoots;
    private final Set<String> vosAuthorities;

    public SourcePolicy(Set<String> allowedHosts, AddressPolicy addresses, List<Path> fileRoots,
                        Set<String> vosAuthorities) {
        this.allowedHosts = allowedHosts.stream().map(h -> unbracket(h.trim().toLowerCase(Locale.ROOT)))
                .filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
        this.addresses = addresses;
        this.fileRoots = fileRoots.stream().map(SourcePolicy::real).collect(Collectors.toUnmodifiableList());
        this.vosAuthorities = Set.copyOf(vosAuthorities);
    }

    /**
     * Checks {@code url} without a name look-up: scheme, allow-list, credentials, a host written as
     * an address, file roots, VOSpace authorities and paths.
     */
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
            case "datalink+http":
            case "datalink+https":
                Source document = check(url.substring("datalink+".length()));
                return new Source(Scheme.DATALINK, document.uri(), document.host(), null);
            case "file":
                return new Source(Scheme.FILE, uri, "file", checkFile(uri));
            case "vos":
                return checkVos(uri);
            default:
                throw StagingRefusals.disallowedSource("scheme '" + scheme + "' of '" + url
                        + "' is not supported; use https://, http://, file:, vos:// or datalink+https://");
        }
    }

    /**
     * The addresses of {@code host} that may be connected to: an IP literal as it is, a name
     * through {@code resolver}, exactly once. Every address must pass, or the host is refused.
     *
     * @throws UnknownHostException when the name does not resolve (worth a retry)
     * @throws orrery.model.problem.ProblemException {@code disallowed-source} when an address is refused
     */
    public List<InetAddress> resolve(String host, HostResolver resolver) throws UnknownHostException {
        String bare = unbracket(host == null ? "" : host);
        if (bare.isEmpty()) {
            // InetAddress.getAllByName("") would answer the loopback address.
            throw StagingRefusals.disallowedSource("the URL has no host");
        }
        if (AddressPolicy.isAmbiguousNumericHost(bare)) {
            throw StagingRefusals.disallowedSource("host '" + bare + "' is a number that resolvers read in different ways");
        }
        java.util.Optional<InetAddress> literal = AddressPolicy.literal(bare);
        InetAddress[] found = literal.isPresent() ? new InetAddress[] {literal.get()} : resolver.resolve(bare);
        if (found == null || found.length == 0) {
            throw new UnknownHostException("no addresses for " + bare);
        }
        return checkAddresses(bare, found);
    }

    /** Refuses {@code host} when any address it resolved to is not allowed; returns the addresses. */
    public List<InetAddress> checkAddresses(String host, InetAddress[] resolved) {
        for (InetAddress address : resolved) {
            java.util.Optional<String> refusal = addresses.refusal(address);
            if (refusal.isPresent()) {
                throw StagingRefusals.disallowedSource("host '" + host + "' resolves to " + refusal.get());
            }
        }
        return List.of(resolved);
    }

    public AddressPolicy addressPolicy() {
        return addresses;
    }

    String checkHost(URI uri) {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority().replaceFirst(":[0-9]*$", "");
            if (AddressPolicy.isAmbiguousNumericHost(authority.toLowerCase(Locale.ROOT))) {
                throw StagingRefusals.disallowedSource("host '" + authority + "' is a number that resolvers read in "
                        + "different ways; write an IPv4 address as four decimal numbers (a.b.c.d) or use the host name");
            }
            throw StagingRefusals.disallowedSource("'" + uri + "' has no host"
                    + (authority.isEmpty() ? "" : " ('" + authority + "' is not a valid host name or address)"));
        }
        if (uri.getUserInfo() != null) {
            throw StagingRefusals.disallowedSource("'" + uri + "' carries credentials in the URL; they are not accepted");
        }
        String normalised = unbracket(host.toLowerCase(Locale.ROOT));
        if (AddressPolicy.isAmbiguousNumericHost(normalised)) {
            throw StagingRefusals.disallowedSource("host '" + host + "' is a number that resolvers read in different ways; "
                    + "write an IPv4 address as four decimal numbers (a.b.c.d) or use the host name");
        }
        if (!hostAllowed(normalised)) {
            throw StagingRefusals.disallowedSource("host '" + host + "' is not on the staging allow-list ("
                    + (allowedHosts.isEmpty() ? "which is empty" : String.join(", ", allowedHosts.stream().sorted().toList()))
                    + "); ask an operator to add it (orrery.staging.sources.http.allowed-hosts)");
        }
        java.util.Optional<InetAddress> literal = AddressPolicy.literal(normalised);
        if (literal.isPresent()) {
            java.util.Optional<String> refusal = addresses.refusal(literal.get());
            if (refusal.isPresent()) {
                throw StagingRefusals.disallowedSource("host '" + host + "' is " + refusal.get());
            }
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

    private Source checkVos(URI uri) {
        String authority = uri.getAuthority();
        if (authority == null || !vosAuthorities.contains(authority)) {
            throw StagingRefusals.disallowedSource("VOSpace authority '" + authority + "' of '" + uri
                    + "' is not configured; known: " + String.join(", ", vosAuthorities.stream().sorted().toList()));
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw StagingRefusals.disallowedSource("'" + uri + "' has a query or fragment; a vos:// URI names a node only");
        }
        String path = normaliseNodePath(uri);
        try {
            return new Source(Scheme.VOS, new URI("vos", authority, path, null, null), authority, null);
        } catch (URISyntaxException e) {
            throw StagingRefusals.disallowedSource("'" + uri + "' has no usable node path");
        }
    }

    /**
     * The node path of a {@code vos://} URI with {@code .}, {@code ..} and empty segments resolved
     * (after percent-decoding, so {@code %2e%2e} counts); a path that climbs above the root is refused.
     */
    static String normaliseNodePath(URI uri) {
        String decoded = uri.getPath();
        if (decoded == null || decoded.isEmpty() || decoded.equals("/")) {
            throw StagingRefusals.disallowedSource("'" + uri + "' has no node path");
        }
        if (decoded.indexOf('\\') >= 0 || decoded.chars().anyMatch(Character::isISOControl)) {
            throw StagingRefusals.disallowedSource("'" + uri + "' has a backslash or control character in its path");
        }
        java.util.Deque<String> segments = new java.util.ArrayDeque<>();
        for (String segment : decoded.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw StagingRefusals.disallowedSource("'" + uri + "' climbs above the root of the VOSpace with '..'");
                }
                segments.removeLast();
                continue;
            }
            segments.addLast(segment);
        }
        if (segments.isEmpty()) {
            throw StagingRefusals.disallowedSource("'" + uri + "' names the root of the VOSpace, not a node");
        }
        return "/" + String.join("/", segments);
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
