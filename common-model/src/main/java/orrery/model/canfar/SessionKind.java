package orrery.model.canfar;

/** What a session runs: a command to completion, or an interactive notebook server. */
public enum SessionKind {
    headless,
    notebook
}
