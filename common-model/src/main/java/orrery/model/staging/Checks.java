package orrery.model.staging;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a staged file must be, as the requester knows it. Either may be absent.
 *
 * @param size length in bytes
 * @param md5 hex MD5 digest, lower or upper case
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Checks(Long size, String md5) {

    public Checks {
        if (size != null && size < 0) {
            throw new IllegalArgumentException("checks.size must not be negative, was " + size);
        }
        if (md5 != null && !md5.matches("[0-9a-fA-F]{32}")) {
            throw new IllegalArgumentException("checks.md5 must be 32 hexadecimal digits, was '" + md5 + "'");
        }
        md5 = md5 == null ? null : md5.toLowerCase(java.util.Locale.ROOT);
    }

    public static Checks none() {
        return new Checks(null, null);
    }
}
