package orrery.broker.api.ivoa;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import orrery.model.staging.Checks;

/**
 * The standard's data resources as items to stage. An {@code ivoa-data-resource} becomes a URL the
 * staging service fetches: its DataLink row's {@code access_url} (a direct link, with
 * {@code content_length} as the size to check), or its ObsCore {@code access_url}, which is the
 * file itself unless {@code access_format} says it is a DataLink document: then
 * {@code datalink+<url>}, which the staging service resolves to its {@code #this} row at staging
 * time (staging-service README, "Sources"). An IVOA identifier alone cannot be resolved here (no
 * registry is asked).
 */
final class IvoaData {

    /** A URL to stage, with what to check, or why there is none. */
    record Resolved(String url, Checks checks, String why) {
    }

    private IvoaData() {
    }

    static Resolved resolve(JsonNode ivoa, String name) {
        JsonNode datalink = ivoa.path("datalink");
        String linked = text(datalink, "access_url");
        if (linked != null && text(datalink, "service_def") == null) {
            Long size = datalink.path("content_length").isNumber() ? datalink.path("content_length").asLong() : null;
            return new Resolved(linked, size == null ? null : new Checks(size, null), null);
        }
        JsonNode obscore = ivoa.path("obscore");
        String access = text(obscore, "access_url");
        if (access != null) {
            String format = String.valueOf(text(obscore, "access_format")).toLowerCase(Locale.ROOT);
            return new Resolved(format.contains("content=datalink") ? "datalink+" + access : access, null, null);
        }
        String ivoid = text(ivoa, "ivoid");
        return new Resolved(null, null, "data resource '" + name + "' is an ivoa-data-resource "
                + (ivoid != null ? "with only an identifier (" + ivoid + "), which this broker cannot resolve yet (it asks "
                + "no registry)" : "without an access URL")
                + "; give ivoa.obscore.access_url (a file or a DataLink document) or an ivoa.datalink row with its access_url");
    }

    /** Why a data resource of {@code kind} cannot be staged, in words that say what to give instead. */
    static String unstageable(String kind, String name) {
        String named = "data resource '" + name + "'";
        if (kind.contains("rucio-data")) {
            return named + " is a rucio-data-resource, and this broker has no Rucio backend yet; give a "
                    + "simple-data-resource with a download URL";
        }
        if (kind.contains("skao-data")) {
            return named + " is an skao-data-resource, and this broker has no SKA data-lake backend yet; give a "
                    + "simple-data-resource with a download URL";
        }
        if (kind.contains("s3-data")) {
            return named + " is an S3-data-resource, and this broker stages only over HTTP(S); give a "
                    + "simple-data-resource with a (pre-signed) URL";
        }
        return named + " of type '" + kind + "' cannot be staged here; give a simple-data-resource with a location URL";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
