package orrery.deps.service;

import java.util.ArrayList;
import java.util.List;
import orrery.deps.api.ArtefactView;
import orrery.deps.api.BuildEventView;
import orrery.deps.api.BuildView;
import orrery.deps.api.GraphView;
import orrery.deps.api.StepView;
import orrery.deps.domain.Artefact;
import orrery.deps.domain.ArtefactGraph;
import orrery.deps.domain.BuildEvent;
import orrery.deps.domain.BuildRun;
import orrery.deps.domain.graph.Components;
import orrery.deps.domain.graph.Planner;

/** Turns the domain into the REST API's records and pictures. Called under the coordinator's lock. */
final class Views {

    private Views() {
    }

    static BuildView build(BuildRecord record) {
        List<StepView> steps = new ArrayList<>();
        List<String> failures = List.of();
        if (record.run != null) {
            for (BuildRun.Step step : record.run.steps()) {
                Artefact a = step.artefact();
                steps.add(new StepView(a.id(), a.key(), step.status().name(), step.rounds(), step.changed(),
                        a.sha256(), step.taskId(), step.reason()));
            }
            failures = record.run.failures();
        }
        return new BuildView(record.id, record.target == null ? null : record.target.key(), record.trigger,
                record.owner, record.phase.name(), record.createdAt, record.finishedAt, steps, failures);
    }

    static BuildEventView event(String buildId, BuildEvent event, java.time.Instant time) {
        return new BuildEventView(buildId, event.sequence(), time, event.kind().name(), event.artefactId(),
                event.artefact(), event.round() == 0 ? null : event.round(), event.sha256(),
                event.kind() == BuildEvent.Kind.BUILT ? event.changed() : null, event.message());
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
        Planner planner = graph.planner();
        Components components = planner.components();
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
        Planner planner = graph.planner();
        Components components = planner.components();
        StringBuilder dot = new StringBuilder("digraph artefacts {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
        for (int c = 0; c < components.count(); c++) {
            boolean cluster = components.isCyclic(c) && components.size(c) > 1;
            if (cluster) {
                dot.append("  subgraph cluster_").append(c).append(" {\n    label=\"cycle\"; style=dashed;\n");
            }
            for (int node : components.members(c)) {
                Artefact a = graph.byIndex(node);
                dot.append(cluster ? "    " : "  ").append(quote(a.key())).append(" [shape=")
                        .append(a.isDerived() ? "box" : "ellipse").append(", tooltip=").append(quote(a.state().name()))
                        .append(a.state().name().equals("FAILED") ? ", color=red" : "").append("];\n");
            }
            if (cluster) {
                dot.append("  }\n");
            }
        }
        for (Artefact a : graph.all()) {
            for (Artefact input : a.inputs()) {
                dot.append("  ").append(quote(input.key())).append(" -> ").append(quote(a.key())).append(";\n");
            }
        }
        return dot.append("}\n").toString();
    }

    /** Mermaid flowchart, with each cycle as a subgraph. */
    static String mermaid(ArtefactGraph graph) {
        Planner planner = graph.planner();
        Components components = planner.components();
        StringBuilder text = new StringBuilder("flowchart LR\n");
        for (int c = 0; c < components.count(); c++) {
            boolean cluster = components.isCyclic(c) && components.size(c) > 1;
            if (cluster) {
                text.append("  subgraph cycle").append(c).append("[cycle]\n");
            }
            for (int node : components.members(c)) {
                Artefact a = graph.byIndex(node);
                String label = a.key().replace("\"", "'");
                text.append(cluster ? "    " : "  ").append(a.id())
                        .append(a.isDerived() ? "[\"" + label + "\"]" : "([\"" + label + "\"])").append('\n');
            }
            if (cluster) {
                text.append("  end\n");
            }
        }
        for (Artefact a : graph.all()) {
            for (Artefact input : a.inputs()) {
                text.append("  ").append(input.id()).append(" --> ").append(a.id()).append('\n');
            }
        }
        return text.toString();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
