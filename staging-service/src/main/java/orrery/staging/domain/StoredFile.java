package orrery.staging.domain;

/** A file as the store has it: size and, where known, its digests. */
public record StoredFile(long size, String md5, String sha256) {
}
