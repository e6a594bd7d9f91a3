// Build graph: find an artefact by name, see what it is built from and what is built from it
// (a neighbourhood, never the whole graph), coloured by state with cycles drawn as groups with
// their round count; request a rebuild and follow it live, step by step.
import { base, call, session } from '../api.js';
import { h, s, when, showProblem } from '../dom.js';
import { link } from '../route.js';
import { follow } from '../sse.js';
import { indexGraph, search, neighbourhood, layout } from '../graph.js';

const NODE_WIDTH = 200;
const NODE_HEIGHT = 34;

export async function render(main, route) {
  const focus = route.params.focus || null;
  const depth = Number(route.params.depth || 2);
  const results = h('ul', { class: 'results', role: 'listbox' });
  const drawing = h('div', { class: 'graph', tabindex: 0, 'aria-label': 'build graph (arrow keys pan)' });
  const buildLog = h('ol', { class: 'build-log', 'aria-live': 'polite' });
  const rounds = new Map();
  const input = h('input', { type: 'search', name: 'q', placeholder: 'find an artefact: root/path', size: 40, 'aria-label': 'find an artefact', value: route.params.q || '' });
  const stats = h('p', { class: 'muted' });
  main.append(h('h1', {}, 'Build graph'), stats, h('div', { class: 'filters' }, input,
    h('label', {}, ' Depth ', h('select', { name: 'depth', onchange: (e) => { location.hash = link('graph', null, { focus, depth: e.target.value }); } },
      [1, 2, 3, 4].map((d) => h('option', { value: d, selected: d === depth }, d))))), results, drawing, buildLog);

  let index;
  try {
    const graph = await loadGraph();
    index = indexGraph(graph);
    stats.textContent = `${graph.artefacts} artefacts, ${graph.edges} edges, ${graph.cycles} cycles`;
  } catch (error) {
    showProblem(main, error);
    return undefined;
  }
  input.addEventListener('input', () => listResults(input.value));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); results.querySelector('a')?.click(); }
  });
  if (input.value) listResults(input.value);
  if (focus) draw();
  drawing.addEventListener('keydown', (e) => {
    const step = { ArrowLeft: [-60, 0], ArrowRight: [60, 0], ArrowUp: [0, -60], ArrowDown: [0, 60] }[e.key];
    if (step) { e.preventDefault(); drawing.scrollBy(step[0], step[1]); }
  });
  enableDragToPan(drawing);
  let stop = () => {};

  function listResults(query) {
    results.replaceChildren(...search(index, query).map((n) => h('li', {}, h('a', { href: link('graph', null, { focus: n.id, depth }), class: `state-${n.state.toLowerCase()}` }, n.artefact || n.id), ` ${n.state}`)));
  }

  function draw() {
    const near = neighbourhood(index, focus, depth);
    if (near.nodes.length === 0) { drawing.replaceChildren(h('p', {}, `No artefact ${focus}.`)); return; }
    const { positions, width, height } = layout(near.nodes, NODE_WIDTH + 60, NODE_HEIGHT + 22);
    const svg = s('svg', { width, height, role: 'img', 'aria-label': `neighbourhood of ${focus}` });
    const groups = new Map();
    for (const n of near.nodes) if (n.cyclic) { if (!groups.has(n.component)) groups.set(n.component, []); groups.get(n.component).push(n); }
    for (const [component, members] of groups) {
      const xs = members.map((n) => positions[n.id].x);
      const ys = members.map((n) => positions[n.id].y);
      const round = rounds.get(component);
      svg.append(s('rect', { x: Math.min(...xs) - 8, y: Math.min(...ys) - 16, width: Math.max(...xs) - Math.min(...xs) + NODE_WIDTH + 16, height: Math.max(...ys) - Math.min(...ys) + NODE_HEIGHT + 24, class: 'cycle', 'data-component': component }),
        s('text', { x: Math.min(...xs) - 4, y: Math.min(...ys) - 4, class: 'cycle-label' }, `cycle (${members.length} here${round ? `, round ${round}` : ''})`));
    }
    for (const { from, to } of near.links) {
      const a = positions[from];
      const b = positions[to];
      svg.append(s('path', { d: `M${a.x + NODE_WIDTH},${a.y + NODE_HEIGHT / 2} C${a.x + NODE_WIDTH + 30},${a.y + NODE_HEIGHT / 2} ${b.x - 30},${b.y + NODE_HEIGHT / 2} ${b.x},${b.y + NODE_HEIGHT / 2}`, class: 'edge' }));
    }
    for (const n of near.nodes) {
      const p = positions[n.id];
      const node = s('g', { class: `node state-${n.state.toLowerCase()}${n.id === focus ? ' focus' : ''}`, 'data-id': n.id, 'data-state': n.state, transform: `translate(${p.x},${p.y})` },
        s('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: 6 }),
        s('text', { x: 8, y: 21 }, (n.artefact || n.id).slice(-28)),
        s('title', {}, `${n.artefact || n.id}: ${n.state}${n.sha256 ? ` sha256 ${n.sha256.slice(0, 12)}…` : ''}`));
      node.addEventListener('click', () => { location.hash = link('graph', null, { focus: n.id, depth }); });
      svg.append(node);
    }
    const focused = index.nodes.get(focus);
    const header = h('div', { class: 'focus-bar' }, h('strong', {}, focused.artefact || focused.id), ` ${focused.state} `,
      focused.builder ? h('button', { class: 'primary', onclick: () => rebuild(focused) }, 'Rebuild') : h('span', { class: 'muted' }, '(a source: nothing builds it)'),
      near.truncated ? h('span', { class: 'muted' }, ' (neighbourhood cut at 150 artefacts: lower the depth)') : null);
    drawing.replaceChildren(header, svg);
  }

  async function rebuild(node) {
    buildLog.replaceChildren();
    try {
      const build = await call('dependencyManager', '/api/v1/builds', { method: 'POST', body: { target: node.id } });
      buildLog.append(h('li', {}, `build ${build.id} ${build.state}`));
      stop();
      stop = follow(`${base('dependencyManager')}/api/v1/builds/${build.id}/events`, session.token, (event) => onBuildEvent(event), () => {});
    } catch (error) {
      showProblem(buildLog, error);
    }
  }

  async function onBuildEvent(event) {
    buildLog.append(h('li', { 'data-kind': event.kind }, `${when(event.time)} ${event.kind} ${event.artefact || ''}${event.round ? ` round ${event.round}` : ''}${event.message ? `: ${event.message}` : ''}`));
    if (['BUILT', 'FAILED'].includes(event.kind) && event.artefactId) showStepLog(event.artefactId);
    if (event.round && event.artefactId && index.nodes.get(event.artefactId)?.cyclic) rounds.set(index.nodes.get(event.artefactId).component, event.round);
    if (['BUILT', 'UNCHANGED', 'FAILED', 'FINISHED', 'CONVERGED'].includes(event.kind)) {
      const graph = await loadGraph(true);
      index = indexGraph(graph);
      draw();
    }
  }

  /** The end of the log of an artefact's last build step, under the build's events. */
  async function showStepLog(artefactId) {
    try {
      const artefact = await call('dependencyManager', `/api/v1/artefacts/${encodeURIComponent(artefactId)}`);
      if (artefact.lastBuild?.log) {
        buildLog.append(h('li', { class: 'step-log' }, h('pre', { class: 'log', 'data-artefact': artefactId, 'aria-label': `log of ${artefact.path || artefactId}` }, artefact.lastBuild.log)));
      }
    } catch (error) {
      showProblem(buildLog, error);
    }
  }

  return () => stop();
}

/** The graph, fetched again only when asked or after GRAPH_FRESH_MS: moving the focus redraws, it does not download. */
const GRAPH_FRESH_MS = 15_000;
let cachedGraph = null;

async function loadGraph(fresh = false) {
  if (fresh || !cachedGraph || Date.now() - cachedGraph.at > GRAPH_FRESH_MS) {
    cachedGraph = { at: Date.now(), graph: await call('dependencyManager', '/api/v1/graph') };
  }
  return cachedGraph.graph;
}

/** Drag with the mouse to pan a scrolling container. */
function enableDragToPan(element) {
  let start = null;
  element.addEventListener('pointerdown', (e) => { if (e.target.closest('.node,button')) return; start = { x: e.clientX, y: e.clientY, left: element.scrollLeft, top: element.scrollTop }; element.setPointerCapture(e.pointerId); });
  element.addEventListener('pointermove', (e) => { if (start) { element.scrollLeft = start.left - (e.clientX - start.x); element.scrollTop = start.top - (e.clientY - start.y); } });
  element.addEventListener('pointerup', () => { start = null; });
}
