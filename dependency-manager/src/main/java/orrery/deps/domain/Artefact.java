package orrery.deps.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A node of the artefact graph: a file under a watched root, either a source or built by a rule
 * from its inputs. Mutated only through {@link ArtefactGraph} and the build run, which keep the
 * reverse edges ({@link #users()}) and the staleness bookkeeping consistent.
 */
public final class Artefact {

    /** How many hashes a build produced are remembered to recognise the file watcher's echo of them. */
    private static final int PRODUCED_MEMORY = 16;

    private final int index;
    private final String id;
    private final String root;
    private final String path;
    private final List<Artefact> inputs = new ArrayList<>();
    private final Set<Artefact> users = new LinkedHashSet<>();
    private final ArrayDeque<String> produced = new ArrayDeque<>();
    private String sha256;
    private ArtefactState state = ArtefactState.MISSING;
    private String builder;
    private String recipe;
    private String rule;
    private long staleVersion;
    private String lastBuildId;
    private String lastTaskId;
    private String lastLog;
    private String failure;

    Artefact(int index, String root, String path) {
        this.index = index;
        this.root = Objects.requireNonNull(root, "root");
        this.path = Objects.requireNonNull(path, "path");
        this.id = idOf(root, path);
    }

    /**
     * The stable id of the artefact at {@code root}/{@code path}: one NATS subject token, the same
     * on every replica and after every restart.
     */
    public static String idOf(String root, String path) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((root + "\n" + path).getBytes(StandardCharsets.UTF_8));
            return "a" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public int index() {
        return index;
    }

    public String id() {
        return id;
    }

    public String root() {
        return root;
    }

    public String path() {
        return path;
    }

    /** {@code root/path}, the name people use. */
    public String key() {
        return root + "/" + path;
    }

    public String sha256() {
        return sha256;
    }

    public ArtefactState state() {
        return state;
    }

    public String builder() {
        return builder;
    }

    public String recipe() {
        return recipe;
    }

    public String rule() {
        return rule;
    }

    public boolean isDerived() {
        return builder != null;
    }

    public List<Artefact> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public Set<Artefact> users() {
        return Collections.unmodifiableSet(users);
    }

    public long staleVersion() {
        return staleVersion;
    }

    public String lastBuildId() {
        return lastBuildId;
    }

    public String lastTaskId() {
        return lastTaskId;
    }

    public String lastLog() {
        return lastLog;
    }

    public String failure() {
        return failure;
    }

    /** True when a build is due: never built, an input changed, or the last build failed. */
    public boolean needsBuild() {
        return isDerived() && (state == ArtefactState.NEW || state == ArtefactState.STALE
                || state == ArtefactState.FAILED || sha256 == null);
    }

    /** True if a build of this artefact produced {@code hash} recently (so a file event with it is our own echo). */
    public boolean producedRecently(String hash) {
        return hash != null && produced.contains(hash);
    }

    // --- mutation, package-private to the graph and public to the run through ArtefactGraph ---

    void setContent(String hash) {
        this.sha256 = hash;
    }

    void setState(ArtefactState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    void markStale() {
        staleVersion++;
        if (isDerived() && state != ArtefactState.NEW) {
            state = ArtefactState.STALE;
        }
    }

    void define(String builder, String recipe, String rule, List<Artefact> newInputs) {
        this.builder = builder;
        this.recipe = recipe;
        this.rule = rule;
        for (Artefact old : inputs) {
            old.users.remove(this);
        }
        inputs.clear();
        inputs.addAll(newInputs);
        for (Artefact input : newInputs) {
            input.users.add(this);
        }
    }

    void built(String hash, String buildId, String taskId, String log, long dispatchedVersion) {
        this.sha256 = hash;
        if (hash != null) {
            produced.remove(hash);
            produced.addLast(hash);
            while (produced.size() > PRODUCED_MEMORY) {
                produced.removeFirst();
            }
        }
        this.lastBuildId = buildId;
        this.lastTaskId = taskId;
        this.lastLog = log;
        this.failure = null;
        this.state = staleVersion == dispatchedVersion ? ArtefactState.UP_TO_DATE : ArtefactState.STALE;
    }

    void failed(String buildId, String taskId, String reason, String log) {
        this.lastBuildId = buildId;
        this.lastTaskId = taskId;
        this.lastLog = log;
        this.failure = reason;
        this.state = ArtefactState.FAILED;
    }

    void restore(String hash, ArtefactState state, long staleVersion, String lastBuildId, String lastTaskId,
                 String lastLog, String failure) {
        this.sha256 = hash;
        this.state = state;
        this.staleVersion = staleVersion;
        this.lastBuildId = lastBuildId;
        this.lastTaskId = lastTaskId;
        this.lastLog = lastLog;
        this.failure = failure;
        if (hash != null && isDerived()) {
            produced.add(hash);
        }
    }

    @Override
    public String toString() {
        return key();
    }
}
