package orrery.model.canfar;

/**
 * What a session runs.
 *
 * <ul>
 *   <li>{@code headless}: a command, to completion, on the platform's own image (on the local
 *       backend: a program on this machine, fenced off from the suite);</li>
 *   <li>{@code notebook}: a notebook, executed from top to bottom;</li>
 *   <li>{@code container}: a container image's own program (or {@code cmd} as its entrypoint and
 *       {@code args} as its command), to completion: a headless session of that image on skaha, a
 *       container runtime (podman) on the local backend.</li>
 * </ul>
 */
public enum SessionKind {
    headless,
    notebook,
    container
}
