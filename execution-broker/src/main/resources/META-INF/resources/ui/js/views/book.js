// Book: an offer request as a form (notebook, command or container, data items with URL, size and MD5, cores
// and memory ranges, a start window, a duration range); the offers side by side with their
// preparation and start times and costs, accept or reject; the reasons when the answer is no.
import { call } from '../api.js';
import { h, when, showProblem } from '../dom.js';
import { link } from '../route.js';

/** The offer request the form describes (exported for the unit tests). */
export function offerRequest(f) {
  const args = f.args ? { args: f.args.split(/\s+/).filter(Boolean) } : {};
  const executable = f.kind === 'jupyter-notebook'
    ? { kind: 'jupyter-notebook', location: { url: f.url } }
    : f.kind === 'container'
      ? { kind: 'container', image: f.image, ...(f.digest ? { digest: f.digest } : {}), ...(f.cmd ? { entrypoint: f.cmd } : {}), ...args }
      : { kind: 'command', cmd: f.cmd, ...args, ...(f.url ? { location: { url: f.url } } : {}) };
  const data = (f.items || []).filter((i) => i.url).map((i) => ({
    name: i.name || i.url.split('/').pop(),
    location: { url: i.url },
    ...(i.size || i.md5 ? { checks: { ...(i.size ? { size: Number(i.size) } : {}), ...(i.md5 ? { md5: i.md5 } : {}) } } : {}),
  }));
  const window = f.startFrom ? { start: `${toIso(f.startFrom)}/${windowWidth(f.startFrom, f.startTo)}` } : {};
  return {
    name: f.name || undefined,
    ...(f.pool ? { pool: f.pool } : {}),
    executable,
    resources: { compute: [{ cores: { min: Number(f.coresMin), max: Number(f.coresMax || f.coresMin) }, memory: { min: Number(f.memoryMin), max: Number(f.memoryMax || f.memoryMin) } }], ...(data.length ? { data } : {}) },
    schedule: { requested: [{ ...window, duration: { min: `PT${Number(f.durationMin)}M`, max: `PT${Number(f.durationMax || f.durationMin)}M` } }] },
  };
}

function toIso(local) {
  return `${local.length === 16 ? `${local}:00` : local}Z`;
}

function windowWidth(from, to) {
  const seconds = to ? Math.max(0, (Date.parse(toIso(to)) - Date.parse(toIso(from))) / 1000) : 0;
  return `PT${Math.round(seconds)}S`;
}

export async function render(main) {
  const items = h('tbody');
  const answer = h('section', { class: 'offers', 'aria-live': 'polite' });
  const field = (label, name, attrs = {}) => h('label', {}, label, ' ', h('input', { name, ...attrs }));
  const addItem = () => items.append(h('tr', { class: 'item' },
    h('td', {}, h('input', { name: 'item-url', placeholder: 'https://…/data.csv', 'aria-label': 'data URL', size: 40 })),
    h('td', {}, h('input', { name: 'item-size', type: 'number', min: 0, 'aria-label': 'size in bytes' })),
    h('td', {}, h('input', { name: 'item-md5', pattern: '[0-9a-fA-F]{32}', 'aria-label': 'MD5', size: 34 })),
    h('td', {}, h('button', { type: 'button', onclick: (e) => e.target.closest('tr').remove() }, 'Remove'))));
  const form = h('form', { class: 'book', onsubmit: (e) => { e.preventDefault(); ask(); } },
    h('fieldset', {}, h('legend', {}, 'What to run'),
      field('Name', 'name', { placeholder: 'my analysis' }),
      h('label', {}, 'Kind ', h('select', { name: 'kind' }, h('option', { value: 'command' }, 'command'), h('option', { value: 'jupyter-notebook' }, 'notebook'),
        h('option', { value: 'container' }, 'container'))),
      field('Command', 'cmd', { value: 'hostname', title: 'for a container: its entrypoint (empty: the image\'s own)' }), field('Arguments', 'args'),
      field('Container image', 'image', { size: 40, placeholder: 'images.canfar.net/skaha/terminal:1.1.2' }),
      field('Image digest', 'digest', { size: 40, placeholder: 'sha256:…' }),
      field('Notebook or script URL', 'url', { size: 40 }), field('Pool', 'pool', { placeholder: 'default' })),
    h('fieldset', {}, h('legend', {}, 'Data'),
      h('table', {}, h('thead', {}, h('tr', {}, ['URL', 'Size (bytes)', 'MD5', ''].map((c) => h('th', {}, c)))), items),
      h('button', { type: 'button', onclick: addItem }, 'Add a data item')),
    h('fieldset', {}, h('legend', {}, 'Resources and time'),
      field('Cores from', 'coresMin', { type: 'number', min: 1, value: 1, required: true }), field('to', 'coresMax', { type: 'number', min: 1, value: 2 }),
      field('Memory (GiB) from', 'memoryMin', { type: 'number', min: 1, value: 1, required: true }), field('to', 'memoryMax', { type: 'number', min: 1, value: 2 }),
      field('Start between (UTC)', 'startFrom', { type: 'datetime-local' }), field('and', 'startTo', { type: 'datetime-local' }),
      field('Duration (minutes) from', 'durationMin', { type: 'number', min: 1, value: 10, required: true }), field('to', 'durationMax', { type: 'number', min: 1, value: 10 })),
    h('button', { type: 'submit', class: 'primary' }, 'Ask for offers'));
  main.append(h('h1', {}, 'Book'), h('p', { class: 'muted' }, 'Leave the start empty for the earliest start. Times are UTC.'), form, answer);

  async function ask() {
    const values = Object.fromEntries(new FormData(form));
    values.items = [...items.querySelectorAll('tr')].map((tr) => ({
      url: tr.querySelector('[name=item-url]').value, size: tr.querySelector('[name=item-size]').value, md5: tr.querySelector('[name=item-md5]').value,
    }));
    answer.replaceChildren(h('p', { class: 'muted' }, 'Asking…'));
    try {
      show(await call('broker', '/api/v1/offersets', { method: 'POST', body: offerRequest(values) }));
    } catch (error) {
      answer.replaceChildren();
      showProblem(answer, error);
    }
  }

  function show(set) {
    if (set.result !== 'YES' || !set.offers?.length) {
      answer.replaceChildren(h('h2', {}, 'No offers'), h('ul', { class: 'reasons' }, (set.reasons || []).map((r) => h('li', {}, r))));
      return;
    }
    answer.replaceChildren(h('h2', {}, `${set.offers.length} offer${set.offers.length > 1 ? 's' : ''}, until ${when(set.expires)}`),
      h('div', { class: 'cards' }, set.offers.map(card)));
  }

  function card(o) {
    const box = h('article', { class: 'card', 'data-offer': o.id },
      h('h3', {}, `Starts ${when(o.schedule.executing.start)}`),
      h('dl', {}, h('dt', {}, 'Preparing from'), h('dd', {}, when(o.schedule.preparing.start)),
        h('dt', {}, 'For'), h('dd', {}, o.schedule.executing.duration),
        h('dt', {}, 'Cores'), h('dd', {}, o.compute.cores), h('dt', {}, 'Memory'), h('dd', {}, `${o.compute.memory} GiB`),
        h('dt', {}, 'Pool'), h('dd', {}, o.pool),
        h('dt', {}, 'Cost'), h('dd', { 'data-cost': '' }, costText(o.costs))),
      h('button', { class: 'primary', onclick: () => decide(o, 'accept', box) }, 'Accept'),
      h('button', { onclick: () => decide(o, 'reject', box) }, 'Reject'));
    return box;
  }

  async function decide(offer, verb, box) {
    try {
      const e = await call('broker', `/api/v1/executions/${offer.id}/${verb}`, { method: 'POST' });
      if (verb === 'accept') location.hash = link('executions', e.id);
      else box.replaceChildren(h('p', { class: 'muted' }, 'Rejected.'));
    } catch (error) {
      showProblem(box, error);
    }
  }
}

/** An offer's costs in a line: core-hours, and price and carbon where the pool has them (exported for the unit tests). */
export function costText(costs) {
  if (!costs) return '';
  const parts = [`${costs.coreHours} core-hours`];
  if (costs.price != null) parts.push(`${costs.price} ${costs.currency}`);
  if (costs.gramsCo2 != null) parts.push(`${costs.gramsCo2} g CO2e`);
  return parts.join(' · ');
}
