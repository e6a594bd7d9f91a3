// Replay: open a replay's report (orrery-sim replay writes bookings.csv in its report folder) and
// scrub through the run: reserved and running cores over the span, and at the chosen instant the
// bookings in each state and the executions running. Read in the browser; nothing is uploaded.
import { h, s, when } from '../dom.js';
import { parseCsv, executions, at, span } from '../replay.js';

const SAMPLES = 300;

export async function render(main) {
  const chart = h('div', { class: 'capacity-chart' });
  const slider = h('input', { type: 'range', min: 0, max: 1000, value: 0, 'aria-label': 'instant of the run', class: 'scrubber', disabled: true });
  const readout = h('div', { class: 'readout', 'aria-live': 'polite' });
  const running = h('ul', { class: 'running' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv', 'aria-label': 'bookings.csv of a replay report' });
  main.append(h('h1', {}, 'Replay'), h('p', { class: 'muted' }, 'Open the bookings.csv of a replay report (orrery-sim replay --out <folder>): it is read here, in the browser.'),
    file, chart, slider, readout, running);
  let list = [];
  let range = null;
  let curve = [];
  file.addEventListener('change', async () => {
    list = executions(parseCsv(await file.files[0].text()));
    range = span(list);
    if (!range) { readout.textContent = 'No executions in this report.'; return; }
    curve = Array.from({ length: SAMPLES + 1 }, (_, i) => {
      const t = range.from + ((range.to - range.from) * i) / SAMPLES;
      return { t, ...at(list, t) };
    });
    slider.disabled = false;
    show();
  });
  slider.addEventListener('input', show);

  function show() {
    const t = range.from + ((range.to - range.from) * Number(slider.value)) / 1000;
    const now = at(list, t);
    const width = 900;
    const height = 200;
    const top = Math.max(1, ...curve.map((c) => c.reserved));
    const X = (v) => 40 + ((v - range.from) / (range.to - range.from)) * width;
    const Y = (v) => 10 + height - (v / top) * height;
    const line = (key) => curve.map((c, i) => `${i ? 'L' : 'M'}${X(c.t)},${Y(c[key])}`).join(' ');
    chart.replaceChildren(s('svg', { viewBox: `0 0 ${width + 60} ${height + 40}`, role: 'img', 'aria-label': 'reserved and running cores over the run' },
      s('path', { d: line('reserved'), class: 'reserved-line' }), s('path', { d: line('running'), class: 'capacity-line' }),
      s('line', { x1: X(t), x2: X(t), y1: 0, y2: height + 10, class: 'cursor' }),
      s('text', { x: 0, y: Y(top) + 4, class: 'axis' }, top), s('text', { x: 40, y: height + 34, class: 'axis' }, when(range.from)),
      s('text', { x: 40 + width, y: height + 34, class: 'axis', 'text-anchor': 'end' }, when(range.to))),
    h('div', { class: 'legend' }, h('span', {}, h('i', { class: 'swatch reserved-line' }), 'reserved cores'), h('span', {}, h('i', { class: 'swatch capacity-line' }), 'running cores')));
    readout.replaceChildren(h('strong', {}, when(t)), ` — ${now.reserved} cores reserved, ${now.running} running; bookings: `,
      Object.entries(now.phases).map(([k, v]) => `${v} ${k}`).join(', '));
    running.replaceChildren(...list.filter((e) => Number.isFinite(e.running) && t >= e.running && t < (Number.isFinite(e.runningEnd) ? e.runningEnd : e.end))
      .slice(0, 30).map((e) => h('li', {}, `${e.name} (${e.user}): ${e.cores} cores, running since ${when(e.running)}`)));
  }
}
