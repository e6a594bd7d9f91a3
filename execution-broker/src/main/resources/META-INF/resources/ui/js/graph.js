// The build graph's logic: an index over GET /api/v1/graph, a search, and the neighbourhood of one
// artefact (so the view draws tens of nodes, never ten thousand), laid out in layers.

/** An index of the graph: nodes by id, inputs (upstream) and outputs (downstream) by id, cycles by component. */
export function indexGraph(graph) {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const up = new Map();
  const down = new Map();
  for (const { from, to } of graph.links) {
    if (!up.has(to)) up.set(to, []);
    if (!down.has(from)) down.set(from, []);
    up.get(to).push(from);
    down.get(from).push(to);
  }
  const cycles = new Map();
  for (const n of graph.nodes) {
    if (n.cyclic) {
      if (!cycles.has(n.component)) cycles.set(n.component, []);
      cycles.get(n.component).push(n.id);
    }
  }
  return { nodes, up, down, cycles };
}

/** At most `limit` artefacts whose name (root/path) or id contains every word of `query`, shortest names first. */
export function search(index, query, limit = 20) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const hits = [];
  for (const n of index.nodes.values()) {
    const name = (n.artefact || n.id).toLowerCase();
    if (words.every((w) => name.includes(w) || n.id.toLowerCase().includes(w))) hits.push(n);
  }
  hits.sort((a, b) => (a.artefact || a.id).length - (b.artefact || b.id).length || (a.artefact || '').localeCompare(b.artefact || ''));
  return hits.slice(0, limit);
}

/**
 * The focus artefact with what it is built from (up to `depth` steps upstream) and what is built
 * from it (downstream), at most `limit` nodes: {nodes: [{...node, layer}], links, truncated}.
 * Layers: 0 the focus, negative upstream, positive downstream.
 */
export function neighbourhood(index, focus, depth = 2, limit = 150) {
  if (!index.nodes.has(focus)) return { nodes: [], links: [], truncated: false };
  const layer = new Map([[focus, 0]]);
  let truncated = false;
  const walk = (edges, sign) => {
    let frontier = [focus];
    for (let d = 1; d <= depth && frontier.length > 0; d++) {
      const next = [];
      for (const id of frontier) {
        for (const other of edges.get(id) || []) {
          if (layer.has(other)) continue;
          if (layer.size >= limit) { truncated = true; return; }
          layer.set(other, sign * d);
          next.push(other);
        }
      }
      frontier = next;
    }
  };
  walk(index.up, -1);
  walk(index.down, 1);
  const nodes = [...layer.entries()].map(([id, l]) => ({ ...index.nodes.get(id), layer: l }));
  const links = [];
  for (const id of layer.keys()) {
    for (const to of index.down.get(id) || []) {
      if (layer.has(to)) links.push({ from: id, to });
    }
  }
  return { nodes, links, truncated };
}

/** Positions {id: {x, y}} for nodes in columns by layer, rows by name; plus the drawing's size. */
export function layout(nodes, columnWidth = 240, rowHeight = 56) {
  const columns = new Map();
  for (const n of nodes) {
    if (!columns.has(n.layer)) columns.set(n.layer, []);
    columns.get(n.layer).push(n);
  }
  const layers = [...columns.keys()].sort((a, b) => a - b);
  const positions = {};
  let rows = 0;
  layers.forEach((l, column) => {
    const list = columns.get(l).sort((a, b) => (a.artefact || a.id).localeCompare(b.artefact || b.id));
    rows = Math.max(rows, list.length);
    list.forEach((n, row) => { positions[n.id] = { x: 20 + column * columnWidth, y: 20 + row * rowHeight }; });
  });
  return { positions, width: 40 + layers.length * columnWidth, height: 40 + rows * rowHeight };
}
