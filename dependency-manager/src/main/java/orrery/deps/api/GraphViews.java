package orrery.deps.api;

import java.util.ArrayList;
import java.util.List;
import orrery.deps.domain.Artefact;
import orrery.deps.domain.ArtefactGraph;
import orrery.deps.domain.graph.Components;

/**
 * The graph and its artefacts as the REST API's records and pictures (JSON, Graphviz, Mermaid).
 * Run under the service's lock ({@code BuildQueries.graph}), so what they read holds still.
 */
final class GraphViews {

    private GraphViews() {
    }

    static ArtefactView artefact(ArtefactGraph graph, Artefact a) {
        Components components = graph.planner().components();
        List<ArtefactView.InputView> inputs = a.inputs().stream()
                .map(i -> new ArtefactView.InputView(i.id(), i.key(), i.state().name(), i.sha256())).toList();
        List<String> users = a.users().stream().map(Artefact::key).sorted().toList();
        ArtefactView.LastBuild last = a.lastBuildId() == null ? null
                : new ArtefactView.LastBuild(a.lastBuildId(), a.lastTaskId(), a.failure(), a.lastLog());
        return new ArtefactView(a.id(), a.root(), a.path(), a.state().name(), a.sha256(), a.builder(), a.recipe(),
                a.rule(), components.isCyclic(components.componentOf(a.index())), inputs, users, last);
    }

    static GraphView graph(ArtefactGraph graph) {
        Components components = graph.planner().components();
        List<GraphView.Node> nodes = new ArrayList<>();
        List<GraphView.Edge> edges = new ArrayList<>();
        int cycles = 0;
        for (int c = 0; c < components.count(); c++) {
            if (components.isCyclic(c)) {
                cycles++;
            }
        }
        for (Artefact a : graph.all()) {
            int c = components.componentOf(a.index());
            nodes.add(new GraphView.Node(a.id(), a.key(), a.state().name(), a.sha256(), a.builder(), c,
                    components.isCyclic(c)));
            for (Artefact input : a.inputs()) {
                edges.add(new GraphView.Edge(input.id(), a.id()));
            }
        }
        return new GraphView(nodes.size(), edges.size(), components.count(), cycles, nodes, edges);
    }

    /** Graphviz: cycles drawn as boxed clusters, derived artefacts as boxes, sources as ellipses. */
    static String dot(ArtefactGraph graph) {
        return draw(graph, Picture.DOT);
    }

    /** Mermaid flowchart, with each cycle as a subgraph. */
    static String mermaid(ArtefactGraph graph) {
        return draw(graph, Picture.MERMAID);
    }

    /** The nodes component by component (a cycle of several as a cluster), then every edge, in {@code picture}'s words. */
    private static String draw(ArtefactGraph graph, Picture picture) {
        Components components = graph.planner().components();
        StringBuilder text = new StringBuilder(picture.start());
        for (int c = 0; c < components.count(); c++) {
            boolean cluster = components.isCyclic(c) && components.size(c) > 1;
            if (cluster) {
                text.append(picture.cycleStart(c));
            }
            for (int node : components.members(c)) {
                text.append(cluster ? "    " : "  ").append(picture.node(graph.byIndex(node))).append('\n');
            }
            if (cluster) {
                text.append(picture.cycleEnd());
            }
        }
        for (Artefact a : graph.all()) {
            for (Artefact input : a.inputs()) {
                text.append("  ").append(picture.edge(input, a)).append('\n');
            }
        }
        return text.append(picture.end()).toString();
    }

    /** How a text format writes each part of a picture of the graph. */
    private enum Picture {
        DOT {
            String start() {
                return "digraph artefacts {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
            }

            String cycleStart(int component) {
                return "  subgraph cluster_" + component + " {\n    label=\"cycle\"; style=dashed;\n";
            }

            String node(Artefact a) {
                return quote(a.key()) + " [shape=" + (a.isDerived() ? "box" : "ellipse") + ", tooltip="
                        + quote(a.state().name()) + (a.state().name().equals("FAILED") ? ", color=red" : "") + "];";
            }

            String cycleEnd() {
                return "  }\n";
            }

            String edge(Artefact from, Artefact to) {
                return quote(from.key()) + " -> " + quote(to.key()) + ";";
            }

            String end() {
                return "}\n";
            }
        },
        MERMAID {
            String start() {
                return "flowchart LR\n";
            }

            String cycleStart(int component) {
                return "  subgraph cycle" + component + "[cycle]\n";
            }

            String node(Artefact a) {
                String label = a.key().replace("\"", "'");
                return a.id() + (a.isDerived() ? "[\"" + label + "\"]" : "([\"" + label + "\"])");
            }

            String cycleEnd() {
                return "  end\n";
            }

            String edge(Artefact from, Artefact to) {
                return from.id() + " --> " + to.id();
            }

            String end() {
                return "";
            }
        };

        abstract String start();

        abstract String cycleStart(int component);

        abstract String node(Artefact a);

        abstract String cycleEnd();

        abstract String edge(Artefact from, Artefact to);

        abstract String end();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
