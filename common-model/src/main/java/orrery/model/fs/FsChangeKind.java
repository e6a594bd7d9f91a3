package orrery.model.fs;

/** What happened to a watched file. */
public enum FsChangeKind {
    CREATED,
    MODIFIED,
    DELETED,
    MOVED,
    APPENDED
}
