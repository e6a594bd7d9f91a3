// Executions: the user's offers and executions with filters, a timeline where each phase is a
// segment of its own, and live updates from GET /api/v1/executions/events.
import { call, session } from '../api.js';
import { h, s, when, phaseBadge, showProblem } from '../dom.js';
import { link } from '../route.js';
import { follow } from '../sse.js';
import { segments, planned, range, x, isoSeconds, FINAL } from '../timeline.js';

const PHASES = ['OFFERED', 'ACCEPTED', 'PREPARING', 'WAITING', 'RUNNING', 'FINISHING', 'COMPLETED', 'FAILED', 'CANCELLED', 'EXPIRED', 'REJECTED'];
const TIMELINE_ROWS = 40;
/** Offers nobody took up have no place on the timeline. */
const NOT_BOOKED = ['OFFERED', 'REJECTED', 'EXPIRED'];

export async function render(main, route, ctx) {
  const filters = { phase: route.params.phase || '', pool: route.params.pool || '', from: route.params.from || '', to: route.params.to || '', user: route.params.user || '' };
  const rows = new Map();
  let total = 0;
  const histories = new Map();
  const table = h('tbody');
  const chart = h('div', { class: 'timeline', 'aria-label': 'timeline' });
  const count = h('span', { class: 'muted' });
  const form = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); apply(); } },
    h('label', {}, 'Phase ', h('select', { name: 'phase' }, h('option', { value: '' }, 'any'), PHASES.map((p) => h('option', { value: p, selected: p === filters.phase }, p)))),
    h('label', {}, 'Pool ', h('input', { name: 'pool', value: filters.pool, placeholder: 'any', size: 10 })),
    session.admin ? h('label', {}, 'User ', h('input', { name: 'user', value: filters.user, placeholder: session.user, size: 10 })) : null,
    h('label', {}, 'Starting from ', h('input', { name: 'from', type: 'datetime-local', value: filters.from })),
    h('label', {}, 'to ', h('input', { name: 'to', type: 'datetime-local', value: filters.to })),
    h('button', { type: 'submit' }, 'Filter'));
  main.append(h('h1', {}, 'Executions ', count), form, chart,
    h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['Name', 'Phase', 'Pool', 'Cores', 'Starts', 'Ends', 'Id'].map((c) => h('th', {}, c)))), table));

  function apply() {
    const data = Object.fromEntries(new FormData(form));
    location.hash = link('executions', null, data);
  }

  function visible(e) {
    if (filters.phase && e.phase !== filters.phase) return false;
    if (filters.pool && e.pool !== filters.pool) return false;
    const start = e.schedule?.executing?.start ? Date.parse(e.schedule.executing.start) : null;
    if (filters.from && (start === null || start < Date.parse(`${filters.from}Z`))) return false;
    if (filters.to && (start === null || start > Date.parse(`${filters.to}Z`))) return false;
    return true;
  }

  function row(e) {
    const end = e.schedule?.executing?.start ? Date.parse(e.schedule.executing.start) + isoSeconds(e.schedule.executing.duration) * 1000 : null;
    return h('tr', { 'data-id': e.id, 'data-phase': e.phase },
      h('td', {}, h('a', { href: link('executions', e.id) }, e.name || '(unnamed)')),
      h('td', {}, phaseBadge(e.phase)),
      h('td', {}, e.pool || ''),
      h('td', {}, e.compute ? e.compute.cores : ''),
      h('td', {}, when(e.schedule?.executing?.start)),
      h('td', {}, end ? when(end) : ''),
      h('td', { class: 'mono' }, e.id.slice(0, 8)));
  }

  function redraw() {
    const list = [...rows.values()].filter(visible);
    table.replaceChildren(...list.map(row));
    count.textContent = total > rows.size ? `${list.length} shown of the newest ${rows.size} (${total} in all)` : `${list.length} shown`;
    drawTimeline(list.filter((e) => !NOT_BOOKED.includes(e.phase)).slice(0, TIMELINE_ROWS));
  }

  function drawTimeline(list) {
    const now = ctx.now();
    const drawn = list.map((e) => ({ e, booked: planned(e), phases: segments(histories.get(e.id) || [], now) }));
    const r = range(drawn.flatMap((d) => [...d.booked, ...d.phases]));
    if (!r) { chart.replaceChildren(h('p', { class: 'muted' }, 'Nothing booked yet: book one from "Book".')); return; }
    const width = 900;
    const rowHeight = 22;
    const svg = s('svg', { viewBox: `0 0 ${width + 160} ${list.length * rowHeight + 24}`, role: 'img', 'aria-label': 'executions timeline' });
    drawn.forEach(({ e, booked, phases }, i) => {
      const y = i * rowHeight + 4;
      svg.append(s('text', { x: 0, y: y + 14, class: 'label' }, (e.name || e.id.slice(0, 8)).slice(0, 20)));
      for (const p of booked) {
        svg.append(s('rect', { x: 160 + x(p.start, r, width), y, width: Math.max(1, x(p.end, r, width) - x(p.start, r, width)), height: 16, class: `plan ${p.phase}` }));
      }
      for (const seg of phases) {
        svg.append(s('rect', { x: 160 + x(seg.start, r, width), y: y + 3, width: Math.max(2, x(seg.end, r, width) - x(seg.start, r, width)), height: 10,
          class: `seg seg-${seg.phase.toLowerCase()}`, 'data-execution': e.id, 'data-phase': seg.phase }, s('title', {}, `${seg.phase} ${when(seg.start)} – ${when(seg.end)}`)));
      }
    });
    svg.append(s('text', { x: 160, y: list.length * rowHeight + 20, class: 'axis' }, when(r.from)));
    svg.append(s('text', { x: 160 + width, y: list.length * rowHeight + 20, class: 'axis', 'text-anchor': 'end' }, when(r.to)));
    const legend = h('div', { class: 'legend' }, ['preparing', 'waiting', 'running', 'finishing'].map((p) => h('span', {}, h('i', { class: `swatch seg-${p}` }), p)),
      h('span', {}, h('i', { class: 'swatch plan' }), 'booked'));
    chart.replaceChildren(svg, legend);
  }

  async function history(id) {
    histories.set(id, await call('broker', `/api/v1/executions/${id}/history`));
  }

  async function refresh(id) {
    try {
      const e = await call('broker', `/api/v1/executions/${id}`);
      rows.set(id, e);
      if (!NOT_BOOKED.includes(e.phase)) await history(id);
      redraw();
    } catch (error) {
      if (error.status === 404) { rows.delete(id); redraw(); }
    }
  }

  /** The newest page of the list, with the histories the timeline draws. */
  async function loadList() {
    const page = await call('broker', `/api/v1/executions?size=200${filters.phase ? `&phase=${encodeURIComponent(filters.phase)}` : ''}${filters.user ? `&user=${encodeURIComponent(filters.user)}` : ''}`);
    page.items.forEach((e) => rows.set(e.id, e));
    total = page.total;
    const drawn = page.items.filter((e) => !NOT_BOOKED.includes(e.phase) && visible(e)).slice(0, TIMELINE_ROWS);
    await Promise.all(drawn.map((e) => history(e.id)));
    redraw();
  }

  try {
    await loadList();
  } catch (error) {
    showProblem(main, error);
  }
  let opened = 0;
  const stop = follow(`/api/v1/executions/events${filters.user ? `?user=${encodeURIComponent(filters.user)}` : ''}`, session.token, (change) => {
    if (!filters.phase || change.phase === filters.phase || rows.has(change.execution)) refresh(change.execution);
  }, () => {}, () => {
    // after a reconnect, the list is read again: what changed or was booked while the stream was away
    if (opened++ > 0) loadList().catch((error) => showProblem(main, error));
  }, { reconnect: true });
  const tick = setInterval(() => { if ([...rows.values()].some((e) => !FINAL.includes(e.phase) && e.phase !== 'OFFERED')) redraw(); }, 5000);
  return () => { stop(); clearInterval(tick); };
}

