package orrery.deps.domain.graph;

import java.util.Arrays;

/**
 * The strongly connected components of a {@link CompactGraph}, found with Tarjan's algorithm:
 * R. E. Tarjan, "Depth-first search and linear graph algorithms", SIAM Journal on Computing 1(2),
 * 146-160 (1972). Time O(n + m) for n nodes and m edges; extra memory O(n), six int arrays and a
 * boolean array, two of which become the member lists afterwards.
 *
 * <p>One depth-first search numbers the nodes in the order it reaches them ({@code index}) and
 * keeps for each the lowest index reachable from its subtree by one edge back to a node still on
 * the component stack ({@code low}). A node whose {@code low} is its own index is the root of a
 * component: the component is everything above it on that stack, popped at once. The search runs on
 * explicit stacks ({@link Search}: a call stack of node and next edge, and the component stack), not
 * recursion, so a chain of a million nodes needs no deep call stack.
 *
 * <p>Components are numbered in topological order of the condensation: every edge between two
 * components goes from a lower number to a higher one. Tarjan completes components sinks first, so
 * the numbering is its completion order reversed ({@link #reverse}), with no separate sort. Each
 * component's nodes are then listed contiguously, in increasing node order, by a counting sort
 * ({@link #memberStarts}, {@link #groupMembers}), and a component is cyclic if it has several nodes
 * or one node with an edge to itself ({@link #cyclic}).
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
        Search search = new Search(graph);
        search.run();
        int count = search.completed;
        int[] componentOf = search.component;
        reverse(componentOf, count);
        int[] memberStart = memberStarts(componentOf, count);
        // The search's index and low arrays are no longer needed: their memory becomes the member lists.
        int[] members = groupMembers(componentOf, memberStart, search.index, search.low);
        return new Components(componentOf, memberStart, members, cyclic(memberStart, members, search.selfLoop));
    }

    /** Completion order reversed is a topological order of the condensation. */
    private static void reverse(int[] componentOf, int count) {
        for (int v = 0; v < componentOf.length; v++) {
            componentOf[v] = count - 1 - componentOf[v];
        }
    }

    /** Where each component's members start in the member list (prefix sums of the sizes); one extra entry at the end. */
    private static int[] memberStarts(int[] componentOf, int count) {
        int[] memberStart = new int[count + 1];
        for (int c : componentOf) {
            memberStart[c + 1]++;
        }
        for (int c = 0; c < count; c++) {
            memberStart[c + 1] += memberStart[c];
        }
        return memberStart;
    }

    /** Every node in its component's run of {@code into}, in increasing node order; {@code next} is scratch. */
    private static int[] groupMembers(int[] componentOf, int[] memberStart, int[] into, int[] next) {
        System.arraycopy(memberStart, 0, next, 0, memberStart.length - 1);
        for (int v = 0; v < componentOf.length; v++) {
            into[next[componentOf[v]]++] = v;
        }
        return into;
    }

    private static boolean[] cyclic(int[] memberStart, int[] members, boolean[] selfLoop) {
        boolean[] cyclic = new boolean[memberStart.length - 1];
        for (int c = 0; c < cyclic.length; c++) {
            cyclic[c] = memberStart[c + 1] - memberStart[c] > 1 || selfLoop[members[memberStart[c]]];
        }
        return cyclic;
    }

    /**
     * Tarjan's depth-first search on explicit stacks. A node is unvisited while its {@code index} is
     * -1, on the component stack while visited and its {@code component} is -1, and done once it
     * has a component (numbered in completion order).
     */
    private static final class Search {
        final int[] outStart;
        final int[] outTarget;
        final int[] index;
        final int[] low;
        final int[] component;
        final boolean[] selfLoop;
        final int[] stack;
        final int[] callNode;
        final int[] callEdge;
        int stackTop;
        int callTop;
        int counter;
        int completed;

        Search(CompactGraph graph) {
            int n = graph.nodeCount();
            outStart = graph.outStarts();
            outTarget = graph.outTargets();
            index = new int[n];
            low = new int[n];
            component = new int[n];
            selfLoop = new boolean[n];
            stack = new int[n];
            callNode = new int[n];
            callEdge = new int[n];
            Arrays.fill(index, -1);
            Arrays.fill(component, -1);
        }

        /** A search from every node not reached yet. */
        void run() {
            for (int root = 0; root < index.length; root++) {
                if (index[root] < 0) {
                    visit(root);
                    while (callTop > 0) {
                        if (!descend()) {
                            retreat();
                        }
                    }
                }
            }
        }

        /** Numbers {@code v}, puts it on the component stack, and calls it (its edges from the first). */
        private void visit(int v) {
            index[v] = low[v] = counter++;
            stack[stackTop++] = v;
            callNode[callTop] = v;
            callEdge[callTop++] = outStart[v];
        }

        /**
         * Follows the called node's edges from where it stopped: to the first unvisited successor,
         * which is called (true); an edge to a node still on the stack lowers its {@code low}.
         * False once its edges are exhausted.
         */
        private boolean descend() {
            int v = callNode[callTop - 1];
            int e = callEdge[callTop - 1];
            int end = outStart[v + 1];
            int lowV = low[v];
            while (e < end) {
                int w = outTarget[e++];
                if (index[w] < 0) {
                    callEdge[callTop - 1] = e;
                    low[v] = lowV;
                    visit(w);
                    return true;
                }
                if (w == v) {
                    selfLoop[v] = true;
                } else if (component[w] < 0 && index[w] < lowV) {
                    lowV = index[w]; // w is still on the stack: same component as v
                }
            }
            low[v] = lowV;
            return false;
        }

        /** Returns from the called node: completes its component if it is a root, and passes its {@code low} up. */
        private void retreat() {
            int v = callNode[--callTop];
            if (low[v] == index[v]) {
                complete(v);
            }
            if (callTop > 0) {
                int parent = callNode[callTop - 1];
                if (low[v] < low[parent]) {
                    low[parent] = low[v];
                }
            }
        }

        /** Pops the component whose root is {@code v} off the stack. */
        private void complete(int v) {
            int w;
            do {
                w = stack[--stackTop];
                component[w] = completed;
            } while (w != v);
            completed++;
        }
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
