package orrery.deps.domain.graph;

import java.util.Arrays;

/**
 * The strongly connected components of a {@link CompactGraph}, found with Tarjan's algorithm
 * run on explicit stacks (no recursion, so a chain of a million nodes needs no deep call stack).
 *
 * <p>Components are numbered in topological order of the condensation: every edge between two
 * components goes from a lower number to a higher one. Tarjan completes components sinks first,
 * so the numbering is its completion order reversed, with no separate sort.
 */
public final class Components {

    private final int[] componentOf;
    private final int[] memberStart;
    private final int[] members;
    private final boolean[] cyclic;

    private Components(int[] componentOf, int[] memberStart, int[] members, boolean[] cyclic) {
        this.componentOf = componentOf;
        this.memberStart = memberStart;
        this.members = members;
        this.cyclic = cyclic;
    }

    public static Components of(CompactGraph graph) {
        int n = graph.nodeCount();
        int[] outStart = graph.outStarts();
        int[] outTarget = graph.outTargets();
        // index[v] = -1 unvisited; low[v] doubles as the component number once v is assigned (then index < 0 is
        // not used again: an assigned node is marked by assigned[v]).
        int[] index = new int[n];
        int[] low = new int[n];
        int[] component = new int[n];
        boolean[] selfLoop = new boolean[n];
        Arrays.fill(index, -1);
        Arrays.fill(component, -1);
        int[] sccStack = new int[n];
        int[] callNode = new int[n];
        int[] callEdge = new int[n];
        int counter = 0;
        int completed = 0;
        int sccTop = 0;

        for (int root = 0; root < n; root++) {
            if (index[root] >= 0) {
                continue;
            }
            int callTop = 0;
            index[root] = low[root] = counter++;
            sccStack[sccTop++] = root;
            callNode[callTop] = root;
            callEdge[callTop++] = outStart[root];
            while (callTop > 0) {
                int v = callNode[callTop - 1];
                int e = callEdge[callTop - 1];
                int end = outStart[v + 1];
                int lowV = low[v];
                boolean descended = false;
                while (e < end) {
                    int w = outTarget[e++];
                    if (index[w] < 0) {
                        callEdge[callTop - 1] = e;
                        low[v] = lowV;
                        index[w] = low[w] = counter++;
                        sccStack[sccTop++] = w;
                        callNode[callTop] = w;
                        callEdge[callTop++] = outStart[w];
                        descended = true;
                        break;
                    }
                    if (w == v) {
                        selfLoop[v] = true;
                    } else if (component[w] < 0 && index[w] < lowV) {
                        lowV = index[w]; // w is still on the stack: same component as v
                    }
                }
                if (descended) {
                    continue;
                }
                low[v] = lowV;
                callTop--;
                if (lowV == index[v]) {
                    int w;
                    do {
                        w = sccStack[--sccTop];
                        component[w] = completed;
                    } while (w != v);
                    completed++;
                }
                if (callTop > 0) {
                    int parent = callNode[callTop - 1];
                    if (lowV < low[parent]) {
                        low[parent] = lowV;
                    }
                }
            }
        }

        int count = completed;
        int[] memberStart = new int[count + 1];
        for (int v = 0; v < n; v++) {
            component[v] = count - 1 - component[v]; // completion order reversed = topological order
            memberStart[component[v] + 1]++;
        }
        for (int c = 0; c < count; c++) {
            memberStart[c + 1] += memberStart[c];
        }
        int[] members = index; // no longer needed: reuse its memory
        int[] next = low;
        System.arraycopy(memberStart, 0, next, 0, count);
        for (int v = 0; v < n; v++) {
            members[next[component[v]]++] = v;
        }
        boolean[] cyclic = new boolean[count];
        for (int c = 0; c < count; c++) {
            cyclic[c] = memberStart[c + 1] - memberStart[c] > 1 || selfLoop[members[memberStart[c]]];
        }
        return new Components(component, memberStart, members, cyclic);
    }

    public int count() {
        return cyclic.length;
    }

    public int componentOf(int node) {
        return componentOf[node];
    }

    /** The nodes of {@code component}, in increasing node order. */
    public int[] members(int component) {
        return Arrays.copyOfRange(members, memberStart[component], memberStart[component + 1]);
    }

    public int size(int component) {
        return memberStart[component + 1] - memberStart[component];
    }

    int memberStart(int component) {
        return memberStart[component];
    }

    int member(int position) {
        return members[position];
    }

    int[] componentArray() {
        return componentOf;
    }

    int[] memberStarts() {
        return memberStart;
    }

    int[] memberArray() {
        return members;
    }

    /** True for a component of several nodes, or of one node that depends on itself. */
    public boolean isCyclic(int component) {
        return cyclic[component];
    }
}
