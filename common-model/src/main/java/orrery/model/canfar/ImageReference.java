package orrery.model.canfar;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference, {@code registry/repository[:tag][@sha256:<64 hex>]}, split into the
 * name a registry lists and the digest that pins its content. The broker joins them when a request
 * names both; the backends split them again (skaha launches by name and checks the digest it lists,
 * podman runs the pinned reference itself).
 */
public record ImageReference(String name, Optional<String> digest) {

    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    public ImageReference {
        digest = digest == null ? Optional.empty() : digest;
    }

    /** {@code image} split at its {@code @}; a reference without one has no digest. */
    public static ImageReference parse(String image) {
        int at = image.indexOf('@');
        return at < 0 ? new ImageReference(image, Optional.empty())
                : new ImageReference(image.substring(0, at), Optional.of(image.substring(at + 1)));
    }

    /** {@code name@digest}, or the name alone. */
    public static String join(String name, String digest) {
        return digest == null || digest.isBlank() ? name : name + "@" + digest;
    }

    /** Whether {@code digest} is a SHA-256 image digest ({@code sha256:} and 64 lower-case hex digits). */
    public static boolean isDigest(String digest) {
        return digest != null && DIGEST.matcher(digest).matches();
    }

    /** The reference as a runtime takes it. */
    @Override
    public String toString() {
        return join(name, digest.orElse(null));
    }
}
