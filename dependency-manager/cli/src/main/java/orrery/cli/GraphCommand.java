package orrery.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code orrery graph --dot}: the artefact graph as Graphviz, Mermaid or JSON. */
@Command(name = "graph", description = "Print the artefact graph (pipe --dot into `dot -Tsvg`).")
final class GraphCommand implements Callable<Integer> {

    @ParentCommand
    Orrery parent;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true)
    Format format = new Format();

    static final class Format {
        @Option(names = "--dot", description = "Graphviz (default)")
        boolean dot;

        @Option(names = "--mermaid", description = "Mermaid flowchart")
        boolean mermaid;

        @Option(names = "--json", description = "JSON")
        boolean json;
    }

    @Override
    public Integer call() {
        String query = format.mermaid ? "?format=mermaid" : format.json ? "" : "?format=dot";
        spec.commandLine().getOut().print(parent.client().getText("api/v1/graph" + query));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
