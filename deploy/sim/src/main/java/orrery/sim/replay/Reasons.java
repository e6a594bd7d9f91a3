package orrery.sim.replay;

/**
 * Reasons as counting keys: what the broker says, with what differs from one booking to the
 * next (ids, URLs, instants, digests, numbers) replaced by placeholders, so that "not enough
 * capacity between 09:45 and 10:45" for two bookings counts as one reason.
 */
final class Reasons {

    private static final int MAX = 160;

    private Reasons() {
    }

    static String key(String reason) {
        if (reason == null || reason.isBlank()) {
            return "no reason given";
        }
        String r = reason.strip()
                .replaceAll("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "<id>")
                .replaceAll("[a-z]+://\\S+", "<url>")
                .replaceAll("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})?", "<time>")
                .replaceAll("\\bP(T?[0-9.]+[WDHMS])+\\b", "<duration>")
                .replaceAll("\\b[0-9a-fA-F]{16,}\\b", "<hex>")
                .replaceAll("\\b\\d+(\\.\\d+)?\\b", "<n>")
                .replaceAll("\\s+", " ");
        return r.length() <= MAX ? r : r.substring(0, MAX - 3) + "...";
    }
}
