package orrery.canfar.domain;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import orrery.model.canfar.ImageReference;

/**
 * The container images sessions may use: an image is allowed when it starts with one of the
 * configured registry or repository prefixes. A bare registry host ({@code images.canfar.net})
 * is read as {@code images.canfar.net/}, so that {@code images.canfar.net.example.org/...} does
 * not slip through.
 */
public final class ImageAllowList {

    private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:@-]{0,254}");

    private final List<String> prefixes;

    public ImageAllowList(List<String> prefixes) {
        this.prefixes = prefixes.stream().map(String::trim).filter(p -> !p.isEmpty())
                .map(ImageAllowList::normalise).toList();
    }

    /** Refuses an image that is malformed or outside the allow-list. */
    public void check(String image) {
        if (image == null || !IMAGE.matcher(image).matches() || image.contains("..") || image.contains("//")) {
            throw Refusals.invalidField("image", "image '" + image + "' is not a container image reference "
                    + "(lower-case registry/repository:tag, e.g. images.canfar.net/skaha/base-notebook:latest)");
        }
        ImageReference reference = ImageReference.parse(image);
        if (reference.digest().isPresent() && !ImageReference.isDigest(reference.digest().get())) {
            throw Refusals.invalidField("image", "image '" + image + "' pins a digest that is not sha256: and 64 "
                    + "lower-case hex digits");
        }
        if (!isAllowed(image)) {
            throw Refusals.invalid("image-not-allowed", "The image is not on the allow-list",
                    "image '" + image + "' is not on the image allow-list; allowed registries and prefixes are "
                            + String.join(", ", prefixes) + " (configure orrery.canfar.images.allowed)");
        }
    }

    public boolean isAllowed(String image) {
        return image != null && prefixes.stream().anyMatch(ImageReference.parse(image).name()::startsWith);
    }

    public List<String> prefixes() {
        return prefixes;
    }

    private static String normalise(String prefix) {
        String lower = prefix.toLowerCase(Locale.ROOT);
        return lower.contains("/") || lower.endsWith(":") ? lower : lower + "/";
    }
}
