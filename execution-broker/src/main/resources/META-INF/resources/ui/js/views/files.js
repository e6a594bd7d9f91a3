// Files: the watched roots and how each is doing; a root's files, most recently changed first,
// with their SHA-256; log files (followed, not hashed) with their size as it grows.
import { call } from '../api.js';
import { h, when, bytes, showProblem } from '../dom.js';
import { link } from '../route.js';

const REFRESH_MS = 3000;

export async function render(main, route) {
  const root = route.id;
  const body = h('section');
  main.append(h('h1', {}, root ? `Files in ${root}` : 'Watched roots'), body);
  async function load() {
    try {
      if (!root) {
        const roots = await call('fsWatcher', '/api/v1/roots');
        body.replaceChildren(h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['Root', 'Path', 'State', 'Files', 'Pending', 'Published'].map((c) => h('th', {}, c)))),
          h('tbody', {}, roots.map((r) => h('tr', {}, h('td', {}, h('a', { href: link('files', r.name) }, r.name)), h('td', { class: 'mono' }, r.path),
            h('td', {}, r.state, r.error ? ` (${r.error})` : ''), h('td', {}, r.files), h('td', {}, r.pending), h('td', {}, r.published))))));
        return;
      }
      const page = await call('fsWatcher', `/api/v1/roots/${encodeURIComponent(root)}/files?limit=1000`);
      const files = [...page.files].sort((a, b) => Date.parse(b.mtime) - Date.parse(a.mtime));
      body.replaceChildren(h('p', {}, h('a', { href: link('files') }, '← Roots')),
        h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['Path', 'Changed', 'Size', 'SHA-256'].map((c) => h('th', {}, c)))),
          h('tbody', {}, files.map((f) => h('tr', { class: f.log ? 'log-file' : '' }, h('td', { class: 'mono' }, f.path), h('td', {}, when(f.mtime)),
            h('td', {}, bytes(f.size)), h('td', { class: 'mono' }, f.log ? 'log: followed as it grows' : f.sha256 || ''))))),
        page.next ? h('p', { class: 'muted' }, 'The 1,000 most recently listed files are shown.') : null);
    } catch (error) {
      showProblem(main, error);
    }
  }
  await load();
  const timer = setInterval(load, REFRESH_MS);
  return () => clearInterval(timer);
}
