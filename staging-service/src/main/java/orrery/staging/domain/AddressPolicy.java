package orrery.staging.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which network addresses staging may connect to when it fetches an {@code http(s)} source: the
 * public internet, and nothing of our own network unless an operator allows that kind explicitly.
 *
 * <p>Every address is put into one {@link Kind}. IPv6 forms that carry an IPv4 address are judged
 * by what they carry or refused outright: IPv4-mapped ({@code ::ffff:0:0/96}) and 6to4
 * ({@code 2002::/16}) count as the IPv4 address inside; IPv4-compatible ({@code ::/96}, e.g.
 * {@code ::127.0.0.1}) and NAT64 ({@code 64:ff9b::/96}, {@code 64:ff9b:1::/48}) are refused, since the
 * network may route them to an IPv4 address of its own.
 *
 * <p>Loopback, private and link-local addresses each need their own switch; cloud metadata
 * endpoints, unspecified, multicast, broadcast and reserved addresses are refused whatever the
 * configuration.
 */
public final class AddressPolicy {

    /** What an address is, as far as fetching from it goes. */
    public enum Kind {
        PUBLIC("a public address", false),
        LOOPBACK("a loopback address (127.0.0.0/8, ::1)", true),
        PRIVATE("a private address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 carrier-grade NAT, fc00::/7)", true),
        LINK_LOCAL("a link-local address (169.254.0.0/16, fe80::/10)", true),
        METADATA("a cloud metadata endpoint (169.254.169.254, 100.100.100.200, fd00:ec2::254)", false),
        UNSPECIFIED("the unspecified address (0.0.0.0/8, ::)", false),
        MULTICAST("a multicast or broadcast address (224.0.0.0/4, 255.255.255.255, ff00::/8)", false),
        RESERVED("a reserved or special-purpose address (192.0.0.0/24, 198.18.0.0/15, documentation ranges, "
                + "240.0.0.0/4, 100::/64, 2001:db8::/32, fec0::/10)", false),
        IPV4_COMPATIBLE("an IPv4-compatible IPv6 address (::/96), which may reach an IPv4 address of our own", false),
        NAT64("a NAT64 address (64:ff9b::/96, 64:ff9b:1::/48), which reaches an IPv4 address through a translator", false);

        private final String description;
        private final boolean allowable;

        Kind(String description, boolean allowable) {
            this.description = description;
            this.allowable = allowable;
        }

        public String description() {
            return description;
        }
    }

    private final boolean allowLoopback;
    private final boolean allowPrivate;
    private final boolean allowLinkLocal;

    /**
     * @param allowLoopback  allow 127.0.0.0/8 and ::1 (a laptop demo serving from 127.0.0.1)
     * @param allowPrivate   allow private ranges: 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7
     * @param allowLinkLocal allow 169.254/16 and fe80::/10 (metadata endpoints stay refused)
     */
    public AddressPolicy(boolean allowLoopback, boolean allowPrivate, boolean allowLinkLocal) {
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
        this.allowLinkLocal = allowLinkLocal;
    }

    /** Public addresses only: the production default. */
    public static AddressPolicy publicOnly() {
        return new AddressPolicy(false, false, false);
    }

    public boolean allowsLoopback() {
        return allowLoopback;
    }

    /** Why {@code address} may not be fetched from, or empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        Kind kind = kindOf(address);
        if (allowed(kind)) {
            return Optional.empty();
        }
        String switchName = switch (kind) {
            case LOOPBACK -> " unless the service allows loopback (orrery.staging.sources.http.allow-loopback)";
            case PRIVATE -> " unless the service allows private addresses (orrery.staging.sources.http.allow-private-addresses)";
            case LINK_LOCAL -> " unless the service allows link-local addresses (orrery.staging.sources.http.allow-link-local)";
            default -> " always";
        };
        return Optional.of(address.getHostAddress() + " is " + kind.description() + "; such sources are refused" + switchName);
    }

    public boolean allowed(Kind kind) {
        return switch (kind) {
            case PUBLIC -> true;
            case LOOPBACK -> allowLoopback;
            case PRIVATE -> allowPrivate;
            case LINK_LOCAL -> allowLinkLocal;
            default -> false;
        };
    }

    /** The kind of {@code address}; IPv6 forms that embed an IPv4 address are judged by it (see the class comment). */
    public static Kind kindOf(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address || b.length == 4) {
            return kindOf4(b);
        }
        if (!(address instanceof Inet6Address) || b.length != 16) {
            return Kind.RESERVED;
        }
        Kind carried = kindOfIpv4Carrier(b);
        return carried != null ? carried : kindOf6(b);
    }

    /**
     * The kind of an IPv6 address in a range that carries IPv4 addresses ({@code ::/96}, which also
     * holds {@code ::} and {@code ::1}; IPv4-mapped; NAT64; 6to4), or null for any other address.
     */
    private static Kind kindOfIpv4Carrier(byte[] b) {
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return kindOf4(slice(b, 12)); // ::ffff:a.b.c.d, IPv4-mapped
        }
        if (zero(b, 0, 12)) {
            if (zero(b, 12, 15) && b[15] == 0) {
                return Kind.UNSPECIFIED;
            }
            if (zero(b, 12, 15) && b[15] == 1) {
                return Kind.LOOPBACK;
            }
            return Kind.IPV4_COMPATIBLE;
        }
        if (group(b, 0) == 0x0064 && group(b, 1) == 0xff9b && (zero(b, 4, 12) || group(b, 2) == 0x0001)) {
            return Kind.NAT64; // 64:ff9b::/96 and the local-use 64:ff9b:1::/48
        }
        if (group(b, 0) == 0x2002) {
            return kindOf4(slice(b, 2)); // 6to4 carries an IPv4 address
        }
        return null;
    }

    /** The kind of an IPv6 address that carries no IPv4 address. */
    private static Kind kindOf6(byte[] b) {
        if (isAwsMetadata6(b)) {
            return Kind.METADATA;
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Kind.PRIVATE; // fc00::/7 unique local
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
            return Kind.LINK_LOCAL; // fe80::/10
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return Kind.RESERVED; // fec0::/10, deprecated site-local
        }
        if ((b[0] & 0xff) == 0xff) {
            return Kind.MULTICAST;
        }
        if (group(b, 0) == 0x0100 && zero(b, 2, 8)) {
            return Kind.RESERVED; // 100::/64 discard
        }
        if (group(b, 0) == 0x2001 && group(b, 1) == 0x0db8) {
            return Kind.RESERVED; // documentation
        }
        return Kind.PUBLIC;
    }

    /** The {@code i}-th 16-bit group of an IPv6 address. */
    private static int group(byte[] b, int i) {
        return ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }

    private static Kind kindOf4(byte[] b) {
        int a = b[0] & 0xff;
        int c = b[1] & 0xff;
        int d = b[2] & 0xff;
        int e = b[3] & 0xff;
        if ((a == 169 && c == 254 && d == 169 && e == 254) || (a == 100 && c == 100 && d == 100 && e == 200)) {
            return Kind.METADATA;
        }
        if (a == 0) {
            return Kind.UNSPECIFIED;
        }
        if (a == 127) {
            return Kind.LOOPBACK;
        }
        if (a == 10 || (a == 172 && c >= 16 && c <= 31) || (a == 192 && c == 168) || (a == 100 && c >= 64 && c <= 127)) {
            return Kind.PRIVATE;
        }
        if (a == 169 && c == 254) {
            return Kind.LINK_LOCAL;
        }
        if (a >= 224 && a <= 239 || (a == 255 && c == 255 && d == 255 && e == 255)) {
            return Kind.MULTICAST;
        }
        if (a >= 240 || (a == 192 && c == 0 && (d == 0 || d == 2)) || (a == 198 && (c == 18 || c == 19))
                || (a == 198 && c == 51 && d == 100) || (a == 203 && c == 0 && d == 113)) {
            return Kind.RESERVED;
        }
        return Kind.PUBLIC;
    }

    private static boolean isAwsMetadata6(byte[] b) {
        // fd00:ec2::254
        return (b[0] & 0xff) == 0xfd && b[1] == 0 && (b[2] & 0xff) == 0x0e && (b[3] & 0xff) == 0xc2 && zero(b, 4, 14)
                && b[14] == 0x02 && (b[15] & 0xff) == 0x54;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] slice(byte[] b, int from) {
        return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
    }

    /**
     * The address written in {@code host} when it is an IP literal (strict dotted-quad IPv4, or
     * IPv6 with or without brackets), parsed without any name look-up; empty for a host name.
     */
    public static Optional<InetAddress> literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            if (h.indexOf(':') >= 0) {
                if (!h.matches("[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?")) {
                    return Optional.empty();
                }
                return Optional.of(InetAddress.getByName("[" + h + "]")); // bracketed: parsed as IPv6, never looked up
            }
            if (h.matches("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}")) {
                String[] parts = h.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    bytes[i] = (byte) Integer.parseInt(parts[i]);
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Whether {@code host} is a number-like host that is not a plain dotted quad ({@code 2130706433},
     * {@code 127.1}, {@code 0x7f.0.0.1}, {@code 0177.0.0.1}): resolvers read those differently, so they are refused.
     */
    public static boolean isAmbiguousNumericHost(String host) {
        return host.toLowerCase(java.util.Locale.ROOT).matches("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?")
                && literal(host).isEmpty();
    }
}
