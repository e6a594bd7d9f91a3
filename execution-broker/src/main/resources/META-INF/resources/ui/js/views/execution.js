// One execution: schedule, planned steps, each transfer's progress, the session's log as it
// grows, the history with Lamport clocks, and cancel. Live from GET /api/v1/executions/{id}/events.
import { call, session, settingsNow } from '../api.js';
import { h, when, bytes, phaseBadge, showProblem } from '../dom.js';
import { link } from '../route.js';
import { follow } from '../sse.js';
import { FINAL } from '../timeline.js';

const LOG_POLL_MS = 2000;

export async function render(main, route, ctx) {
  const id = route.id;
  const summary = h('section', { class: 'summary' });
  const tasks = h('section', { class: 'tasks' });
  const history = h('tbody');
  const log = h('pre', { class: 'log', 'aria-label': 'session log' });
  const actions = h('div', { class: 'actions' });
  main.append(h('p', {}, h('a', { href: link('executions') }, '← Executions')), summary, actions, tasks,
    h('h2', {}, 'History'), h('table', { class: 'list history' }, h('thead', {}, h('tr', {}, ['Lamport', 'At', 'Phase', 'From', 'Why'].map((c) => h('th', {}, c)))), history),
    h('h2', {}, 'Session log'), log);
  let execution = null;
  let logOffset = 0;
  let logTimer = null;
  let logStarted = false;
  let stopped = false;
  const seen = new Set();

  async function load() {
    try {
      execution = await call('broker', `/api/v1/executions/${id}`);
      draw();
      ensureLog();
      return true;
    } catch (error) {
      showProblem(main, error);
      return false;
    }
  }

  function draw() {
    const e = execution;
    summary.replaceChildren(h('h1', {}, e.name || 'Execution', ' ', phaseBadge(e.phase)),
      h('dl', {},
        h('dt', {}, 'Id'), h('dd', { class: 'mono' }, e.id),
        h('dt', {}, 'Pool'), h('dd', {}, `${e.pool || ''}, ${e.compute ? `${e.compute.cores} cores, ${e.compute.memory} GiB` : ''}`),
        h('dt', {}, 'Preparing from'), h('dd', {}, when(e.schedule?.preparing?.start)),
        h('dt', {}, 'Runs'), h('dd', {}, `${when(e.schedule?.executing?.start)} for ${e.schedule?.executing?.duration || ''}`),
        e.reason ? [h('dt', {}, 'Why'), h('dd', { class: 'reason' }, e.reason)] : null,
        e.session ? [h('dt', {}, 'Session'), h('dd', { class: 'mono' }, e.session.id)] : null));
    actions.replaceChildren();
    if (!FINAL.includes(e.phase)) {
      actions.append(h('button', { class: 'danger', onclick: cancel }, e.phase === 'OFFERED' ? 'Withdraw offer' : 'Cancel execution'));
    }
    const rows = (e.tasks || []).map((t) => h('tr', { 'data-task': t.name },
      h('td', {}, t.kind), h('td', {}, t.name), h('td', {}, t.state),
      h('td', {}, t.total ? h('progress', { max: t.total, value: t.done || 0, 'aria-label': `${t.name} progress` }) : '',
        t.total ? ` ${bytes(t.done || 0)} of ${bytes(t.total)}` : ''),
      h('td', {}, t.reason || '')));
    const steps = (e.steps || []).map((st) => h('li', {}, [st.kind, st.name, st.url ? `from ${st.url}` : null, st.cost ? `(planned ${st.cost})` : null].filter(Boolean).join(' ')));
    tasks.replaceChildren(h('h2', {}, 'Preparation'), steps.length ? h('ul', {}, steps) : h('p', { class: 'muted' }, 'Nothing to stage.'),
      rows.length ? h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['Kind', 'Name', 'State', 'Progress', 'Why'].map((c) => h('th', {}, c)))), h('tbody', {}, rows)) : null);
  }

  function addHistory(change) {
    if (seen.has(change.lamport)) return;
    seen.add(change.lamport);
    history.append(h('tr', { 'data-phase': change.phase }, h('td', { class: 'mono' }, change.lamport), h('td', {}, when(change.at)),
      h('td', {}, phaseBadge(change.phase)), h('td', {}, change.previous || ''), h('td', {}, change.reason || '')));
  }

  async function cancel() {
    try {
      execution = await call('broker', `/api/v1/executions/${id}/cancel`, { method: 'POST' });
      draw();
    } catch (error) {
      showProblem(main, error);
    }
  }

  function ensureLog() {
    if (logStarted || !execution?.session?.id || !settingsNow().services.canfar) return;
    logStarted = true;
    const poll = async () => {
      try {
        const { text, headers } = await call('canfar', `/api/v1/sessions/${encodeURIComponent(execution.session.id)}/logs?offset=${logOffset}`, { as: 'text' });
        if (text) log.append(text);
        const next = Number(headers.get('X-Log-Offset'));
        logOffset = Number.isFinite(next) && next > 0 ? next : logOffset + new TextEncoder().encode(text).length;
      } catch (error) {
        if (error.status === 404) log.dataset.state = 'gone';
      }
      if (stopped) return;
      logTimer = FINAL.includes(execution.phase) && log.dataset.final ? null : setTimeout(poll, LOG_POLL_MS);
      if (FINAL.includes(execution.phase)) log.dataset.final = 'read';
    };
    poll();
  }

  const found = await load();
  if (!ctx.current()) return undefined; // the user went elsewhere meanwhile
  if (!found) {
    // nothing to show (another user's, or no such execution): the problem and the way back only
    main.replaceChildren(main.querySelector('.problem'), h('p', {}, h('a', { href: link('executions') }, '← Executions')));
    return undefined;
  }
  const stop = follow(`/api/v1/executions/${id}/events`, session.token, (change) => {
    addHistory(change);
    load();
  });
  return () => { stopped = true; stop(); clearTimeout(logTimer); };
}
