package orrery.deps.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code GET /api/v1/graph}: every artefact and every "is built from" edge (from the input to
 * what is built from it), with the strongly connected component each artefact belongs to
 * (components are numbered in build order).
 */
public record GraphView(int artefacts, int edges, int components, int cycles, List<Node> nodes, List<Edge> links) {

    /** An artefact. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Node(String id, String artefact, String state, String sha256, String builder, int component,
                       boolean cyclic) {
    }

    /** {@code to} is built from {@code from}. */
    public record Edge(String from, String to) {
    }
}
