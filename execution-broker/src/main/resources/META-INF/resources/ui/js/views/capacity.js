// Capacity: a pool's capacity and what is reserved of it over a range, as a step chart, with the
// user's own bookings marked, and "when could I get N cores for D?" answered on the chart.
// (The broker tells free capacity; what is reserved is capacity minus free. Running cores are not
// told apart from reserved ones here.)
import { call } from '../api.js';
import { h, s, when, showProblem } from '../dom.js';
import { link } from '../route.js';
import { steps, earliest } from '../capacity.js';
import { isoSeconds } from '../timeline.js';

export async function render(main, route, ctx) {
  const pool = route.id || 'default';
  const hours = Number(route.params.hours || 48);
  const from = Math.floor(Number(route.params.from || ctx.now() / 1000));
  const to = from + hours * 3600;
  const chart = h('div', { class: 'capacity-chart' });
  const answer = h('p', { class: 'answer', 'aria-live': 'polite' });
  const form = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); const d = Object.fromEntries(new FormData(e.target)); location.hash = link('capacity', d.pool || 'default', { hours: d.hours }); } },
    h('label', {}, 'Pool ', h('input', { name: 'pool', value: pool, size: 10 })),
    h('label', {}, 'Hours ', h('input', { name: 'hours', type: 'number', min: 1, max: 2000, value: hours })),
    h('button', { type: 'submit' }, 'Show'));
  const ask = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); when_(new FormData(e.target)); } },
    h('label', {}, 'When could I get ', h('input', { name: 'cores', type: 'number', min: 1, value: 4, size: 4 }), ' cores'),
    h('label', {}, ' for ', h('input', { name: 'minutes', type: 'number', min: 1, value: 120, size: 5 }), ' minutes?'),
    h('button', { type: 'submit' }, 'Find'));
  main.append(h('h1', {}, `Capacity of ${pool}`), form, chart, ask, answer);
  let stepList = [];
  let mine = [];
  try {
    const [definition, availability, page] = await Promise.all([
      call('broker', `/api/v1/pools/${encodeURIComponent(pool)}`),
      call('broker', `/api/v1/pools/${encodeURIComponent(pool)}/availability?start_time=${from}&end_time=${to}`),
      call('broker', '/api/v1/executions?size=200')]);
    stepList = steps(definition.segments, availability.free, from, to);
    mine = page.items.filter((e) => e.pool === pool && e.schedule?.executing?.start && !['REJECTED', 'EXPIRED', 'CANCELLED'].includes(e.phase));
    draw(null);
  } catch (error) {
    showProblem(main, error);
  }

  function draw(found) {
    const width = 900;
    const height = 240;
    const top = Math.max(1, ...stepList.map((st) => st.capacity));
    const X = (t) => 40 + ((t - from) / (to - from)) * width;
    const Y = (v) => 10 + height - (v / top) * height;
    const path = (key) => stepList.map((st, i) => `${i ? 'L' : 'M'}${X(st.start)},${Y(st[key])} L${X(st.end)},${Y(st[key])}`).join(' ');
    const svg = s('svg', { viewBox: `0 0 ${width + 60} ${height + 40}`, role: 'img', 'aria-label': `capacity of ${pool}` },
      s('path', { d: path('capacity'), class: 'capacity-line' }),
      s('path', { d: path('reserved'), class: 'reserved-line' }),
      s('text', { x: 0, y: Y(top) + 4, class: 'axis' }, top),
      s('text', { x: 0, y: Y(0), class: 'axis' }, 0),
      s('text', { x: 40, y: height + 34, class: 'axis' }, when(from * 1000)),
      s('text', { x: 40 + width, y: height + 34, class: 'axis', 'text-anchor': 'end' }, when(to * 1000)));
    for (const e of mine) {
      const start = Date.parse(e.schedule.executing.start) / 1000;
      const end = start + isoSeconds(e.schedule.executing.duration);
      if (end < from || start > to) continue;
      svg.append(s('rect', { x: X(Math.max(start, from)), y: height + 12, width: Math.max(2, X(Math.min(end, to)) - X(Math.max(start, from))), height: 6, class: 'mine' },
        s('title', {}, `${e.name || e.id}: ${when(e.schedule.executing.start)}`)));
    }
    if (found) {
      svg.append(s('rect', { x: X(found.start), y: Y(top), width: Math.max(2, X(Math.min(found.start + found.seconds, to)) - X(found.start)), height: height, class: 'found' }));
    }
    chart.replaceChildren(svg, h('div', { class: 'legend' }, h('span', {}, h('i', { class: 'swatch capacity-line' }), 'capacity'),
      h('span', {}, h('i', { class: 'swatch reserved-line' }), 'reserved'), h('span', {}, h('i', { class: 'swatch mine' }), 'your bookings')));
  }

  function when_(data) {
    const cores = Number(data.get('cores'));
    const seconds = Number(data.get('minutes')) * 60;
    const start = earliest(stepList, cores, seconds);
    answer.textContent = start === null ? `No ${cores} cores free for ${seconds / 60} minutes in this range.` : `From ${when(start * 1000)}: ${cores} cores are free for ${seconds / 60} minutes.`;
    draw(start === null ? null : { start, seconds });
  }
}
