// Measures the dashboard in headless Chromium (playwright-core): time to first render of the
// executions view and of the build graph view, and frame times while panning the graph.
//   node bench/render.mjs <label> <user>        prints one JSON line of figures
// Environment: ORRERY_UI_URL (the broker), ORRERY_CHROMIUM (default /usr/bin/chromium).
// First render = from navigation start to the view's content in the page (performance.now()),
// cold (first visit) and the median of 5 visits. Pan = 120 animation frames scrolling the graph.
import { chromium } from 'playwright-core';

const BASE = process.env.ORRERY_UI_URL || 'http://127.0.0.1:8080';
const [label = 'run', user = 'sim-user-1'] = process.argv.slice(2);
const VISITS = 5;

const browser = await chromium.launch({
  executablePath: process.env.ORRERY_CHROMIUM || '/usr/bin/chromium', headless: true,
  args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const token = (await (await fetch(`${BASE}/api/v1/dashboard/dev-login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user }) })).json()).token;
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await context.addInitScript((t) => sessionStorage.setItem('orrery.token', t), token);
const page = await context.newPage();

async function firstRender(hash, ready) {
  const times = [];
  for (let i = 0; i < VISITS; i++) {
    await page.goto('about:blank');
    await page.goto(`${BASE}/ui/${hash}`);
    await page.waitForFunction(ready, null, { timeout: 120_000, polling: 'raf' });
    times.push(await page.evaluate(() => performance.now()));
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { coldMs: Math.round(times[0]), medianMs: Math.round(sorted[Math.floor(VISITS / 2)]) };
}

/** Frame times (ms) while the graph's container scrolls by 8 px a frame for 120 frames (back and forth). */
async function pan() {
  return page.evaluate(() => new Promise((resolve) => {
    const box = document.querySelector('.graph');
    const frames = [];
    let last = performance.now();
    let n = 0;
    const step = (t) => {
      frames.push(t - last);
      last = t;
      const dx = (Math.floor(n / 30) % 2 === 0 ? 8 : -8);
      box.scrollBy(dx, dx / 2);
      if (++n < 120) requestAnimationFrame(step);
      else {
        const sorted = frames.slice(1).sort((a, b) => a - b);
        resolve({ p50Ms: +sorted[Math.floor(sorted.length * 0.5)].toFixed(1), p95Ms: +sorted[Math.floor(sorted.length * 0.95)].toFixed(1),
          maxMs: +sorted.at(-1).toFixed(1), scrollable: box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight });
      }
    };
    requestAnimationFrame(step);
  }));
}

const figures = { label };
const list = await (await fetch(`${BASE}/api/v1/executions?size=1`, { headers: { Authorization: `Bearer ${token}` } })).json();
figures.executions = list.total;
figures.executionsView = await firstRender('#/executions', () => document.querySelector('main')?.getAttribute('aria-busy') === 'false'
  && (document.querySelector('table.list tbody tr') || document.querySelector('.timeline p')));

const config = await (await fetch(`${BASE}/api/v1/dashboard/config`)).json();
const graph = await (await fetch(`${config.services.dependencyManager}/api/v1/graph`, { headers: { Authorization: `Bearer ${token}` } })).json();
figures.artefacts = graph.artefacts;
const built = graph.nodes.find((n) => n.builder) || graph.nodes[0];
if (built) {
  figures.graphView = await firstRender(`#/graph?focus=${encodeURIComponent(built.id)}&depth=2`, () => document.querySelector('.graph g.node.focus'));
  figures.panFocused = { nodes: await page.locator('.graph g.node').count(), ...(await pan()) };
  // The same view on a graph whose neighbourhood is as large as the view ever draws (150 artefacts
  // around a hub), served in place of the real graph: the view's worst case.
  await page.route('**/api/v1/graph', (route) => route.fulfill({ json: hub(10_000) }));
  await page.goto(`${BASE}/ui/#/graph?focus=hub&depth=1`);
  await page.waitForFunction(() => document.querySelector('.graph g.node.focus'), null, { timeout: 60_000 });
  figures.panLargestNeighbourhood = { nodes: await page.locator('.graph g.node').count(), ...(await pan()) };
  await page.unroute('**/api/v1/graph');
  // Baseline: every artefact of the real graph drawn at once in the same container (what a view
  // that draws the whole graph does), panned the same way.
  const drawMs = await page.evaluate((g) => new Promise((resolve) => {
    const started = performance.now();
    const box = document.querySelector('.graph');
    const ns = 'http://www.w3.org/2000/svg';
    const cols = Math.ceil(Math.sqrt(g.nodes.length));
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('width', cols * 260);
    svg.setAttribute('height', cols * 56);
    g.nodes.forEach((n, i) => {
      const group = document.createElementNS(ns, 'g');
      group.setAttribute('class', `node state-${n.state.toLowerCase()}`);
      group.setAttribute('transform', `translate(${(i % cols) * 260},${Math.floor(i / cols) * 56})`);
      const rect = document.createElementNS(ns, 'rect');
      rect.setAttribute('width', 200); rect.setAttribute('height', 34);
      const text = document.createElementNS(ns, 'text');
      text.setAttribute('x', 8); text.setAttribute('y', 21); text.textContent = n.artefact || n.id;
      group.append(rect, text);
      svg.append(group);
    });
    box.replaceChildren(svg);
    // drawn once the frame after the one that lays it out and paints it has begun
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(Math.round(performance.now() - started))));
  }), graph);
  figures.panWholeGraphBaseline = { nodes: graph.nodes.length, drawMs, ...(await pan()) };
}
console.log(JSON.stringify(figures));
await browser.close();

/** A star of n artefacts around 'hub', every one an input of it. */
function hub(n) {
  const nodes = [{ id: 'hub', artefact: 'bench/hub.out', state: 'STALE', builder: 'shell', component: n, cyclic: false }];
  const links = [];
  for (let i = 1; i < n; i++) {
    nodes.push({ id: `s${i}`, artefact: `bench/input-${i}.txt`, state: 'SOURCE', component: i, cyclic: false });
    links.push({ from: `s${i}`, to: 'hub' });
  }
  return { artefacts: n, edges: n - 1, components: n, cycles: 0, nodes, links };
}
