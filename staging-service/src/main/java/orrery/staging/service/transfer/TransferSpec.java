package orrery.staging.service.transfer;

import orrery.model.staging.Checks;
import orrery.staging.domain.SourcePolicy;

/** One file to fetch into the store. */
public record TransferSpec(String taskId, String targetPath, SourcePolicy.Source source, Checks checks) {
}
