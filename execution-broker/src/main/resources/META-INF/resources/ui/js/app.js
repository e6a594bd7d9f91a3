// The dashboard's shell: settings, sign-in, the header (with the simulated clock when the suite
// runs on simulated time), and the router that gives every view a URL of its own.
import { loadSettings, session, call, settingsNow } from './api.js';
import { h, showProblem } from './dom.js';
import { parseRoute, link } from './route.js';

const VIEWS = {
  executions: () => import('./views/executions.js'),
  book: () => import('./views/book.js'),
  capacity: () => import('./views/capacity.js'),
  graph: () => import('./views/graph.js'),
  files: () => import('./views/files.js'),
  replay: () => import('./views/replay.js'),
  login: () => import('./views/login.js'),
};
const NAV = [['executions', 'Executions'], ['book', 'Book'], ['capacity', 'Capacity'], ['graph', 'Build graph'], ['files', 'Files'], ['replay', 'Replay']];
/** How often the header reads the suite's clock: every second on simulated time, else twice a minute. */
const CLOCK_MS = { simulated: 1000, system: 30_000 };

const main = document.getElementById('main');
const clock = { suite: null, wall: null, speedUp: null };
let cleanup = null;

/** The suite's time now, in ms: the simulated clock when there is one, read every second. */
function now() {
  if (clock.suite === null) return Date.now();
  return clock.suite + (settingsNow().simulated ? 0 : Date.now() - clock.wall);
}

function header() {
  const route = parseRoute(location.hash);
  const nav = h('nav', { 'aria-label': 'views' }, NAV.map(([view, label]) => h('a', { href: link(view), 'aria-current': route.view === view ? 'page' : null }, label)));
  const who = session.user
    ? h('span', { class: 'who' }, `${session.user}${session.admin ? ' (admin)' : ''} `, h('button', { onclick: () => { session.token = null; location.hash = link('login'); } }, 'Sign out'))
    : h('a', { href: link('login') }, 'Sign in');
  const time = h('span', { class: 'clock', id: 'clock' });
  const theme = h('button', { class: 'theme', title: 'light or dark', onclick: () => toggleTheme() }, '◐');
  document.getElementById('header').replaceChildren(h('a', { class: 'brand', href: link('executions') }, 'Orrery'), nav, time, who, theme);
  drawClock();
}

function drawClock() {
  const element = document.getElementById('clock');
  if (!element || clock.suite === null) return;
  const text = new Date(now()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  element.textContent = settingsNow().simulated ? `simulated ${text}${clock.speedUp ? ` · ${Math.round(clock.speedUp)}× real time` : ''}` : text;
  element.dataset.simulated = settingsNow().simulated ? 'yes' : 'no';
}

async function tickClock() {
  if (!session.token) return;
  try {
    const read = await call('broker', '/api/v1/dashboard/clock');
    const suite = Date.parse(read.now);
    const wall = Date.now();
    if (clock.suite !== null && wall > clock.wall) {
      const rate = (suite - clock.suite) / (wall - clock.wall);
      clock.speedUp = clock.speedUp === null ? rate : 0.7 * clock.speedUp + 0.3 * rate;
    }
    clock.suite = suite;
    clock.wall = wall;
    drawClock();
  } catch { /* the next tick tries again */ }
}

function toggleTheme() {
  const dark = document.documentElement.dataset.theme !== 'dark' && (document.documentElement.dataset.theme === 'light' || !matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  localStorage.setItem('orrery.theme', document.documentElement.dataset.theme);
}

let routes = 0;

async function route() {
  const mine = ++routes;
  if (cleanup) { cleanup(); cleanup = null; }
  const current = parseRoute(location.hash);
  if (!session.token && current.view !== 'login') { location.hash = link('login'); return; }
  header();
  main.replaceChildren();
  main.dataset.route = String(mine);
  main.setAttribute('aria-busy', 'true');
  const load = VIEWS[current.view] && (current.view !== 'executions' || !current.id) ? VIEWS[current.view] : current.view === 'executions' ? () => import('./views/execution.js') : null;
  try {
    if (!load) throw Object.assign(new Error(`there is no view "${current.view}"`), { problem: { title: 'Not found', detail: `there is no view "${current.view}"; try ${NAV.map(([v]) => v).join(', ')}` } });
    const view = await load();
    const stop = (await view.render(main, current, { now, current: () => mine === routes })) || null;
    // the address changed while this view loaded: it stops what it started, the newer view stays
    if (mine !== routes) { stop?.(); return; }
    cleanup = stop;
  } catch (error) {
    if (mine !== routes) return;
    if (error.status === 401) { session.token = null; location.hash = link('login'); return; }
    showProblem(main, error);
  } finally {
    if (mine === routes) main.setAttribute('aria-busy', 'false');
  }
}

async function start() {
  const theme = localStorage.getItem('orrery.theme');
  if (theme) document.documentElement.dataset.theme = theme;
  try {
    await loadSettings();
  } catch (error) {
    showProblem(main, error);
    return;
  }
  window.addEventListener('hashchange', route);
  await tickClock();
  setInterval(tickClock, settingsNow().simulated ? CLOCK_MS.simulated : CLOCK_MS.system);
  setInterval(drawClock, 1000);
  route();
}

start();
