package orrery.staging.service.transfer;

/** Told how far a transfer has got, at most once per progress interval. */
@FunctionalInterface
public interface ProgressListener {

    void progress(long done, Long total);
}
