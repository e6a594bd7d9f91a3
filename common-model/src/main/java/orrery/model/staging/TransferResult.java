package orrery.model.staging;

/**
 * The {@code result} of a COMPLETED transfer (and of a COMPLETED directory task, with only
 * {@code path} set).
 *
 * @param path where the file is, relative to the storage root ({@code home/{user}/broker/{executionId}/{name}})
 * @param transferred false when the file was already present and nothing was fetched
 */
public record TransferResult(String path, Long size, String md5, String sha256, boolean transferred) {
}
