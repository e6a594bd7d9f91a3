// The dashboard's own logic, without a browser: SSE parsing, timeline segments, capacity steps,
// the build graph's search and neighbourhood, deep links and the offer request the form sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const UI = '../../../../execution-broker/src/main/resources/META-INF/resources/ui/js/';
const { sseParser } = await import(`${UI}sse.js`);
const { segments, isoSeconds, range } = await import(`${UI}timeline.js`);
const { steps, earliest } = await import(`${UI}capacity.js`);
const { indexGraph, search, neighbourhood, layout } = await import(`${UI}graph.js`);
const { parseRoute, link } = await import(`${UI}route.js`);
const { offerRequest, costText } = await import(`${UI}views/book.js`);

test('SSE: events split across chunks and line ends of every kind, comments skipped', () => {
  const seen = [];
  const parser = sseParser((e) => seen.push(e));
  parser.push('data: {"a"');
  parser.push(':1}\n\n: a comment\r\nevent: x\r\ndata: one\r\ndata: two\r');
  assert.equal(seen.length, 1);
  parser.push('\n\rdata:3\n\n');
  assert.deepEqual(seen, [
    { event: 'message', data: '{"a":1}', id: null },
    { event: 'x', data: 'one\ntwo', id: null },
    { event: 'message', data: '3', id: null },
  ]);
});

test('SSE: a blank line without data dispatches nothing', () => {
  const seen = [];
  const parser = sseParser((e) => seen.push(e));
  parser.push('event: ping\n\n\n');
  assert.deepEqual(seen, []);
});

test('timeline: each phase lasts until the next change, the current one until now; final phases draw nothing', () => {
  const at = (m) => new Date(Date.UTC(2026, 2, 1, 0, m)).toISOString();
  const history = [
    { phase: 'WAITING', at: at(10), lamport: 3 },
    { phase: 'ACCEPTED', at: at(0), lamport: 1 },
    { phase: 'PREPARING', at: at(5), lamport: 2 },
    { phase: 'RUNNING', at: at(20), lamport: 4 },
  ];
  const now = Date.parse(at(50));
  assert.deepEqual(segments(history, now).map((s) => [s.phase, (s.end - s.start) / 60000]), [['PREPARING', 5], ['WAITING', 10], ['RUNNING', 30]]);
  const done = [...history, { phase: 'FINISHING', at: at(60), lamport: 5 }, { phase: 'COMPLETED', at: at(61), lamport: 6 }];
  assert.deepEqual(segments(done, now + 1e9).map((s) => s.phase), ['PREPARING', 'WAITING', 'RUNNING', 'FINISHING']);
  assert.equal(segments(done, 0).at(-1).end, Date.parse(at(61)));
});

test('timeline: ISO durations and a padded range', () => {
  assert.equal(isoSeconds('PT1H30M'), 5400);
  assert.equal(isoSeconds('P1DT2H'), 93600);
  assert.equal(isoSeconds('PT0.5S'), 0.5);
  assert.equal(isoSeconds('nonsense'), 0);
  assert.equal(range([]), null);
  const r = range([{ start: 0, end: 100_000 }]);
  assert.ok(r.from < 0 && r.to > 100_000);
});

test('capacity: steps cut at every change, reserved is capacity minus free, and the earliest fit', () => {
  const segs = [{ start_time: 0, end_time: 100, capacity: 8 }, { start_time: 100, end_time: 300, capacity: 4 }];
  const free = [{ start_time: 0, end_time: 50, free: 8 }, { start_time: 50, end_time: 150, free: 2 }, { start_time: 150, end_time: 300, free: 4 }];
  const list = steps(segs, free, 0, 300);
  assert.deepEqual(list.map((s) => [s.start, s.end, s.capacity, s.free, s.reserved]),
    [[0, 50, 8, 8, 0], [50, 100, 8, 2, 6], [100, 150, 4, 2, 2], [150, 300, 4, 4, 0]]);
  assert.equal(earliest(list, 4, 50), 0);
  assert.equal(earliest(list, 4, 100), 150, 'the first span is too short, the next 4 cores start at 150');
  assert.equal(earliest(list, 3, 200), null);
  assert.equal(earliest(list, 9, 1), null);
});

function chain(n) {
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `a${i}`, artefact: `p/f${i}.txt`, state: 'UP_TO_DATE', component: i, cyclic: false }));
  const links = Array.from({ length: n - 1 }, (_, i) => ({ from: `a${i}`, to: `a${i + 1}` }));
  return { nodes, links };
}

test('graph: the neighbourhood goes depth steps up and down, and is cut at the limit', () => {
  const index = indexGraph(chain(10_000));
  const near = neighbourhood(index, 'a5000', 2);
  assert.deepEqual(near.nodes.map((n) => [n.id, n.layer]).sort(), [['a4998', -2], ['a4999', -1], ['a5000', 0], ['a5001', 1], ['a5002', 2]]);
  assert.equal(near.links.length, 4);
  assert.equal(near.truncated, false);
  const star = { nodes: [{ id: 'c', state: 'STALE' }, ...Array.from({ length: 500 }, (_, i) => ({ id: `s${i}`, state: 'SOURCE' }))], links: Array.from({ length: 500 }, (_, i) => ({ from: `s${i}`, to: 'c' })) };
  const cut = neighbourhood(indexGraph(star), 'c', 1, 150);
  assert.equal(cut.nodes.length, 150);
  assert.equal(cut.truncated, true);
  assert.deepEqual(neighbourhood(index, 'nope'), { nodes: [], links: [], truncated: false });
});

test('graph: cycles are found by component; search matches every word, shortest names first', () => {
  const graph = { nodes: [
    { id: 'x', artefact: 'papers/paper.pdf', state: 'STALE', component: 1, cyclic: true },
    { id: 'y', artefact: 'papers/paper.aux', state: 'STALE', component: 1, cyclic: true },
    { id: 'z', artefact: 'papers/figures/paper-plot.png', state: 'SOURCE', component: 0, cyclic: false }],
  links: [{ from: 'x', to: 'y' }, { from: 'y', to: 'x' }, { from: 'z', to: 'x' }] };
  const index = indexGraph(graph);
  assert.deepEqual(index.cycles.get(1).sort(), ['x', 'y']);
  assert.deepEqual(search(index, 'paper').map((n) => n.id), ['y', 'x', 'z']);
  assert.deepEqual(search(index, 'paper png').map((n) => n.id), ['z']);
  assert.deepEqual(search(index, '   '), []);
  const near = neighbourhood(index, 'x', 1);
  const { positions } = layout(near.nodes);
  assert.ok(positions.z.x < positions.x.x, 'inputs left of the focus');
  // a member of the focus's cycle is both its input and its output: drawn once, with the inputs
  assert.equal(near.nodes.find((n) => n.id === 'y').layer, -1);
  assert.equal(near.links.length, 3);
});

test('deep links round-trip', () => {
  const hash = link('graph', null, { focus: 'papers/paper.pdf', depth: 2, empty: '' });
  assert.equal(hash, '#/graph?focus=papers%2Fpaper.pdf&depth=2');
  assert.deepEqual(parseRoute(hash), { view: 'graph', id: null, params: { focus: 'papers/paper.pdf', depth: '2' } });
  assert.deepEqual(parseRoute('#/executions/abc'), { view: 'executions', id: 'abc', params: {} });
  assert.deepEqual(parseRoute(''), { view: 'executions', id: null, params: {} });
});

test('book: the form becomes the broker\'s offer request', () => {
  const request = offerRequest({ name: 'fit', kind: 'command', cmd: 'python3', args: 'fit.py  data.csv', url: '', pool: '',
    items: [{ url: 'http://h/data.csv', size: '12', md5: '0123456789abcdef0123456789abcdef' }, { url: '', size: '', md5: '' }],
    coresMin: '2', coresMax: '4', memoryMin: '1', memoryMax: '', startFrom: '2026-03-01T09:45', startTo: '2026-03-01T10:45', durationMin: '120', durationMax: '' });
  assert.deepEqual(request, {
    name: 'fit',
    executable: { kind: 'command', cmd: 'python3', args: ['fit.py', 'data.csv'] },
    resources: { compute: [{ cores: { min: 2, max: 4 }, memory: { min: 1, max: 1 } }],
      data: [{ name: 'data.csv', location: { url: 'http://h/data.csv' }, checks: { size: 12, md5: '0123456789abcdef0123456789abcdef' } }] },
    schedule: { requested: [{ start: '2026-03-01T09:45:00Z/PT3600S', duration: { min: 'PT120M', max: 'PT120M' } }] },
  });
  const notebook = offerRequest({ kind: 'jupyter-notebook', url: 'http://h/a.ipynb', coresMin: 1, memoryMin: 1, durationMin: 5, items: [] });
  assert.deepEqual(notebook.executable, { kind: 'jupyter-notebook', location: { url: 'http://h/a.ipynb' } });
  assert.deepEqual(notebook.schedule.requested[0], { duration: { min: 'PT5M', max: 'PT5M' } });
});

const { parseCsv, executions, at, span } = await import(`${UI}replay.js`);

test('replay: CSV with quoted commas, doubled quotes and CRLF; the state of the run at an instant', () => {
  const csv = 'id,user,submit_at,execution,cores,preparing_start,start,duration,running_at,running_end,final_at,final_phase,reason\r\n'
    + 'g1,ada,2026-03-01T00:00:00Z,e1,4,2026-03-01T00:10:00Z,2026-03-01T00:20:00Z,PT1H,2026-03-01T00:20:00Z,2026-03-01T01:20:00Z,2026-03-01T01:20:00Z,COMPLETED,\r\n'
    + 'g2,bob,2026-03-01T00:05:00Z,,,,,,,,,,"no: quota, ""held"" cores"\r\n'
    + 'g3,bob,2026-03-01T00:30:00Z,e3,2,,2026-03-01T00:40:00Z,PT30M,,,2026-03-01T00:50:00Z,FAILED,\r\n';
  const rows = parseCsv(csv);
  assert.equal(rows.length, 3);
  assert.equal(rows[1].reason, 'no: quota, "held" cores');
  const list = executions(rows);
  assert.deepEqual(list.map((e) => e.id), ['e1', 'e3'], 'a NO answer is no execution');
  const t = (hm) => Date.parse(`2026-03-01T${hm}:00Z`);
  assert.deepEqual(at(list, t('00:05')), { reserved: 0, running: 0, phases: { booked: 1, preparing: 0, waiting: 0, running: 0, ended: 0 } });
  assert.deepEqual(at(list, t('00:15')).phases.preparing, 1);
  assert.equal(at(list, t('00:15')).reserved, 4, 'reserved from the preparation on');
  assert.deepEqual(at(list, t('00:45')), { reserved: 6, running: 4, phases: { booked: 0, preparing: 0, waiting: 1, running: 1, ended: 0 } });
  assert.deepEqual(at(list, t('00:55')), { reserved: 4, running: 4, phases: { booked: 0, preparing: 0, waiting: 0, running: 1, ended: 1 } });
  assert.deepEqual(span(list), { from: t('00:00'), to: t('01:20') });
  assert.deepEqual(parseCsv(''), []);
});

const { follow } = await import(`${UI}sse.js`);

test('follow: a stream that ends is opened again, each opening announced, until stopped', async () => {
  const answers = ['data: {"n":1}\n\n', 'data: {"n":2}\n\n'];
  const asked = [];
  globalThis.fetch = async (url, options) => {
    asked.push(options.headers);
    const text = answers.shift() ?? '';
    return new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(text)); c.close(); } }), { status: 200 });
  };
  const seen = [];
  let opened = 0;
  let ended = 0;
  const stop = follow('http://x/events', 'tok', (d) => seen.push(d.n), () => ended++, () => opened++, { reconnect: true, pauseMs: 5, maxPauseMs: 10 });
  for (let i = 0; i < 200 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
  stop();
  assert.deepEqual(seen, [1, 2]);
  assert.ok(opened >= 2, 'announced on each opening');
  assert.equal(ended, 0, 'no end while it reconnects');
  assert.equal(asked[0].Authorization, 'Bearer tok');
  assert.equal(asked[0].Accept, 'text/event-stream', 'so that a simulated clock does not count it as work');
});

test('follow: without reconnect a failed answer ends the stream with its error', async () => {
  globalThis.fetch = async () => new Response('nope', { status: 404 });
  const error = await new Promise((resolve) => follow('http://x/events', 't', () => {}, resolve));
  assert.match(String(error), /answered 404/);
});

test('an offer\'s costs read as core-hours, then price and carbon where the pool has them', () => {
  assert.equal(costText({ coreHours: 2, startDelay: 'PT1H', preparation: 'PT0S' }), '2 core-hours');
  assert.equal(costText({ coreHours: 6, price: 0.3, currency: 'GBP', gramsCo2: 720 }), '6 core-hours · 0.3 GBP · 720 g CO2e');
  assert.equal(costText(undefined), '');
});

test('a container request names the image, its digest, the entrypoint and the command', () => {
  const request = offerRequest({ kind: 'container', image: 'x.org/a/b:1', digest: 'sha256:' + 'a'.repeat(64), cmd: '/bin/sh',
    args: '-c  ls', coresMin: 1, memoryMin: 1, durationMin: 5, items: [] });
  assert.deepEqual(request.executable, { kind: 'container', image: 'x.org/a/b:1', digest: 'sha256:' + 'a'.repeat(64),
    entrypoint: '/bin/sh', args: ['-c', 'ls'] });
  const own = offerRequest({ kind: 'container', image: 'x.org/a/b:1', cmd: '', coresMin: 1, memoryMin: 1, durationMin: 5 });
  assert.deepEqual(own.executable, { kind: 'container', image: 'x.org/a/b:1' });
});
