// Files: the watched roots and how each is doing; a root's files, most recently changed first,
// with their SHA-256; and, live from GET /api/v1/roots/{root}/events, the changes as fs-watcher
// publishes them and the lines each log file grows by.
import { base, call, session } from '../api.js';
import { h, when, bytes, showProblem } from '../dom.js';
import { link } from '../route.js';
import { follow } from '../sse.js';

const RECENT = 50;
const TAIL_LINES = 200;

export async function render(main, route) {
  const root = route.id;
  const body = h('section');
  main.append(h('h1', {}, root ? `Files in ${root}` : 'Watched roots'), body);
  if (!root) {
    try {
      const roots = await call('fsWatcher', '/api/v1/roots');
      body.replaceChildren(h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['Root', 'Path', 'State', 'Files', 'Pending', 'Published'].map((c) => h('th', {}, c)))),
        h('tbody', {}, roots.map((r) => h('tr', {}, h('td', {}, h('a', { href: link('files', r.name) }, r.name)), h('td', { class: 'mono' }, r.path),
          h('td', {}, r.state, r.error ? ` (${r.error})` : ''), h('td', {}, r.files), h('td', {}, r.pending), h('td', {}, r.published))))));
    } catch (error) {
      showProblem(main, error);
    }
    return undefined;
  }
  const recent = h('ol', { class: 'recent', 'aria-label': 'recent changes' });
  const tails = h('div', { class: 'tails' });
  const table = h('tbody');
  body.append(h('p', {}, h('a', { href: link('files') }, '← Roots')),
    h('h2', {}, 'Changes as they happen'), recent, tails,
    h('h2', {}, 'Files, most recently changed first'),
    h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['Path', 'Changed', 'Size', 'SHA-256'].map((c) => h('th', {}, c)))), table));
  try {
    const page = await call('fsWatcher', `/api/v1/roots/${encodeURIComponent(root)}/files?limit=1000`);
    const files = [...page.files].sort((a, b) => Date.parse(b.mtime) - Date.parse(a.mtime));
    table.replaceChildren(...files.map((f) => h('tr', { class: f.log ? 'log-file' : '' }, h('td', { class: 'mono' }, f.path), h('td', {}, when(f.mtime)),
      h('td', {}, bytes(f.size)), h('td', { class: 'mono' }, f.log ? 'log: followed as it grows' : f.sha256 || ''))));
  } catch (error) {
    showProblem(main, error);
    return undefined;
  }
  const tailOf = new Map();
  const stop = follow(`${base('fsWatcher')}/api/v1/roots/${encodeURIComponent(root)}/events`, session.token, (event) => {
    if (event.kind === 'APPENDED') {
      let pre = tailOf.get(event.path);
      if (!pre) {
        pre = h('pre', { class: 'log', 'data-path': event.path, 'aria-label': `tail of ${event.path}` });
        tailOf.set(event.path, pre);
        tails.append(h('h3', { class: 'mono' }, event.path), pre);
      }
      if (event.rangeStart === 0) pre.textContent = '';
      pre.textContent = (pre.textContent + event.lines.map((l) => `${l}\n`).join('')).split('\n').slice(-TAIL_LINES - 1).join('\n');
      return;
    }
    recent.prepend(h('li', { 'data-path': event.path, 'data-kind': event.kind }, h('span', { class: 'mono' }, event.path), ` ${event.kind.toLowerCase()} `,
      event.sha256 ? h('span', { class: 'mono' }, `sha256 ${event.sha256}`) : null));
    while (recent.children.length > RECENT) recent.lastChild.remove();
  }, () => {}, () => { recent.dataset.live = 'yes'; }, { reconnect: true });
  return () => stop();
}
