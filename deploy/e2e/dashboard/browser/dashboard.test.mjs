// The dashboard as a person uses it, in headless Chromium (Debian's) driven by playwright-core,
// against a running suite (DashboardIT starts one on simulated time and sets the environment):
//   ORRERY_UI_URL          the broker's base URL (the dashboard is at /ui/)
//   ORRERY_UI_PROJECTS     the folder fs-watcher watches as root "projects" (the shell builder's rules apply)
//   ORRERY_UI_SCREENSHOTS  where the screenshots go (test artefacts)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.ORRERY_UI_URL || 'http://127.0.0.1:8080';
const PROJECTS = process.env.ORRERY_UI_PROJECTS;
const SHOTS = process.env.ORRERY_UI_SCREENSHOTS || 'target/dashboard-screenshots';
const WAIT = { timeout: 60_000 };
mkdirSync(SHOTS, { recursive: true });

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.ORRERY_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [...(process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : []),
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { await browser?.close(); });

async function page(colorScheme = 'light') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
  const p = await context.newPage();
  p.on('pageerror', (error) => { throw new Error(`the page threw: ${error.message}`); });
  return p;
}

async function shot(p, name) {
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(p, user) {
  await p.goto(`${BASE}/ui/`);
  await p.waitForURL(/#\/login/, WAIT);
  await p.getByText('Development login: local only.').waitFor(WAIT);
  await p.getByLabel('User').fill(user);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.locator('.who', { hasText: user }).waitFor(WAIT);
}

let booked = null;

test('a user signs in, books from the form, and watches the booking reach COMPLETED with its log', async () => {
  const p = await page();
  await signIn(p, 'ada');
  await shot(p, '01-executions-empty');
  await p.getByRole('link', { name: 'Book' }).click();
  await p.getByLabel('Name').fill('dashboard booking');
  await p.getByLabel('Command', { exact: true }).fill('hostname');
  await p.locator('input[name=durationMin]').fill('10');
  await p.locator('input[name=durationMax]').fill('10');
  // one data item: on simulated time its transfer takes size / the modelled rate, and its checks pass
  await p.getByRole('button', { name: 'Add a data item' }).click();
  await p.getByLabel('data URL').fill('https://data.sim.invalid/dashboard/data.csv');
  await p.getByLabel('size in bytes').fill('50000000');
  await p.getByLabel('MD5').fill('0123456789abcdef0123456789abcdef');
  await p.getByRole('button', { name: 'Ask for offers' }).click();
  const cards = p.locator('article.card');
  await cards.first().waitFor(WAIT);
  assert.ok(await cards.count() >= 1 && await cards.count() <= 4, 'one to four offers side by side');
  // 1 or 2 cores (the form's default range) for 10 minutes: what each offer costs, in core-hours
  assert.match(await cards.first().locator('[data-cost]').innerText(), /^0\.(166667|333333) core-hours$/);
  await shot(p, '02-book-offers');
  await cards.first().getByRole('button', { name: 'Accept' }).click();
  await p.waitForURL(/#\/executions\/[0-9a-f-]{36}$/, WAIT);
  booked = p.url().split('/').pop();
  await p.locator('.summary h1 .phase', { hasText: 'COMPLETED' }).waitFor(WAIT);
  for (const phase of ['PREPARING', 'WAITING', 'RUNNING', 'FINISHING', 'COMPLETED']) {
    await p.locator(`table.history tr[data-phase=${phase}]`).first().waitFor(WAIT);
  }
  const progress = p.getByLabel('data.csv progress');
  assert.equal(await progress.getAttribute('max'), '50000000', 'a progress bar of the transfer, bytes done of total');
  assert.equal(await progress.getAttribute('value'), '50000000');
  assert.match(await p.locator('#clock').textContent(), /^simulated \d{4}-\d\d-\d\d /, 'the header shows the simulated clock');
  const lamports = await p.locator('table.history tbody tr td:first-child').allTextContents();
  assert.deepEqual(lamports.map(Number), [...lamports.map(Number)].sort((a, b) => a - b), 'history in Lamport order');
  await p.waitForFunction(() => document.querySelector('pre.log')?.textContent.trim().length > 0, null, WAIT);
  await shot(p, '03-execution-completed');

  await p.getByRole('link', { name: '← Executions' }).click();
  await p.locator(`tr[data-id="${booked}"][data-phase=COMPLETED]`).waitFor(WAIT);
  for (const phase of ['PREPARING', 'RUNNING', 'FINISHING']) {
    await p.locator(`.timeline rect[data-execution="${booked}"][data-phase=${phase}]`).first().waitFor(WAIT);
  }
  await shot(p, '04-executions-timeline');
  await p.context().close();
});

test('an impossible request is answered with the broker\'s reasons, and a bad one with its problem', async () => {
  const p = await page();
  await signIn(p, 'ada');
  await p.getByRole('link', { name: 'Book' }).click();
  await p.locator('input[name=coresMin]').fill('100');
  await p.locator('input[name=coresMax]').fill('100');
  await p.getByRole('button', { name: 'Ask for offers' }).click();
  await p.getByRole('heading', { name: 'No offers' }).waitFor(WAIT);
  assert.ok(await p.locator('ul.reasons li').count() >= 1, 'the reasons the broker gave');
  await p.getByLabel('Command', { exact: true }).fill('');
  await p.getByRole('button', { name: 'Ask for offers' }).click();
  const problem = p.locator('.offers .problem[role=alert]');
  await problem.waitFor(WAIT);
  assert.match(await problem.textContent(), /cmd/);
  await shot(p, '02b-book-refused');
  await p.context().close();
});

test('the list follows a booking live, without a reload', async () => {
  const p = await page();
  await signIn(p, 'ada');
  const token = await p.evaluate(() => sessionStorage.getItem('orrery.token'));
  await p.goto(`${BASE}/ui/#/executions`);
  await p.locator('h1', { hasText: 'Executions' }).waitFor(WAIT);
  const offers = await (await fetch(`${BASE}/api/v1/offersets`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'booked elsewhere', executable: { kind: 'command', cmd: 'hostname' }, schedule: { requested: [{ duration: { min: 'PT5M', max: 'PT5M' } }] } }) })).json();
  const id = offers.offers[0].id;
  const accepted = await fetch(`${BASE}/api/v1/executions/${id}/accept`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  assert.equal(accepted.status, 200);
  await p.locator(`tr[data-id="${id}"][data-phase=COMPLETED]`).waitFor(WAIT);
  await p.context().close();
});

test('the capacity view answers "when could I get N cores for D?"', async () => {
  const p = await page();
  await signIn(p, 'ada');
  await p.getByRole('link', { name: 'Capacity' }).click();
  await p.locator('.capacity-chart svg').waitFor(WAIT);
  await p.getByRole('button', { name: 'Find' }).click();
  await p.locator('.answer', { hasText: 'cores are free for' }).waitFor(WAIT);
  await shot(p, '05-capacity');
  await p.context().close();
});

test('the build graph: find an artefact, focus it, rebuild it and see it up to date', async (t) => {
  if (!PROJECTS) { t.skip('ORRERY_UI_PROJECTS is not set'); return; }
  const name = `ui-${process.pid}`;
  writeFileSync(join(PROJECTS, `${name}.txt`), 'one\ntwo\nthree\n');
  const p = await page();
  await signIn(p, 'ada');
  await p.getByRole('link', { name: 'Build graph' }).click();
  const search = p.getByLabel('find an artefact');
  await search.waitFor(WAIT);
  // the dependency manager learns of the file (and builds what is built from it) as fs-watcher reports it
  const result = p.locator('.results a', { hasText: `projects/${name}.lines` });
  await p.waitForFunction(async (want) => {
    const token = sessionStorage.getItem('orrery.token');
    const config = await (await fetch('/api/v1/dashboard/config')).json();
    const graph = await (await fetch(`${config.services.dependencyManager}/api/v1/graph`, { headers: { Authorization: `Bearer ${token}` } })).json();
    return graph.nodes.some((n) => n.artefact === want && n.state === 'UP_TO_DATE');
  }, `projects/${name}.lines`, { timeout: 60_000, polling: 500 });
  await p.reload();
  await search.fill(`${name} lines`);
  await result.click();
  const focus = p.locator('.graph g.node.focus');
  await focus.waitFor(WAIT);
  assert.equal(await p.locator('.graph g.node').count(), 2, 'the focus and its one input, not the whole graph');
  await p.getByRole('button', { name: 'Rebuild' }).click();
  await p.locator('.build-log li[data-kind=FINISHED]').waitFor(WAIT);
  await p.locator('.graph g.node.focus[data-state=UP_TO_DATE]').waitFor(WAIT);
  await shot(p, '06-build-graph');
  await p.context().close();
});

test('another user sees none of it: not in the list, and a deep link is a 404 with the service\'s words', async () => {
  assert.ok(booked, 'the booking test ran first');
  const p = await page('dark');
  await signIn(p, 'bob');
  await p.locator('h1', { hasText: 'Executions' }).waitFor(WAIT);
  await p.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false', null, WAIT);
  assert.equal(await p.locator(`tr[data-id="${booked}"]`).count(), 0);
  await shot(p, '07-other-user-dark');
  await p.goto(`${BASE}/ui/#/executions/${booked}`);
  const problem = p.locator('.problem[role=alert]');
  await problem.waitFor(WAIT);
  assert.match(await problem.textContent(), /not found|no (offer|execution)/i);
  await shot(p, '08-other-users-execution-404');
  await p.context().close();
});

test('an administrator lists another user\'s executions by name', async () => {
  assert.ok(booked, 'the booking test ran first');
  const p = await page();
  await p.goto(`${BASE}/ui/`);
  await p.waitForURL(/#\/login/, WAIT);
  await p.getByLabel('User').fill('root');
  await p.getByLabel('administrator').check();
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.locator('.who', { hasText: 'root (admin)' }).waitFor(WAIT);
  await p.locator('input[name=user]').fill('ada');
  await p.getByRole('button', { name: 'Filter' }).click();
  await p.waitForURL(/user=ada/, WAIT);
  await p.locator(`tr[data-id="${booked}"]`).waitFor(WAIT);
  await p.context().close();
});

test('a replay report opens in the browser and the scrubber shows the run at any instant', async () => {
  const csv = 'id,user,submit_at,execution,cores,preparing_start,start,duration,running_at,running_end,final_at,final_phase\n'
    + 'g1,ada,2026-03-01T00:00:00Z,e1,4,2026-03-01T00:10:00Z,2026-03-01T00:20:00Z,PT1H,2026-03-01T00:20:00Z,2026-03-01T01:20:00Z,2026-03-01T01:20:00Z,COMPLETED\n'
    + 'g2,bob,2026-03-01T00:30:00Z,e2,2,2026-03-01T00:35:00Z,2026-03-01T00:40:00Z,PT30M,2026-03-01T00:40:00Z,2026-03-01T01:10:00Z,2026-03-01T01:10:00Z,COMPLETED\n';
  const p = await page();
  await signIn(p, 'ada');
  await p.getByRole('link', { name: 'Replay' }).click();
  await p.getByLabel('bookings.csv of a replay report').setInputFiles({ name: 'bookings.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const readout = p.locator('.readout');
  await readout.waitFor(WAIT);
  assert.match(await readout.textContent(), /0 cores reserved, 0 running/);
  // 00:45 is 45/80 of the way through the run (00:00 to 01:20)
  await p.getByLabel('instant of the run').fill(String(Math.round((45 / 80) * 1000)));
  await p.locator('.readout', { hasText: '6 cores reserved, 6 running' }).waitFor(WAIT);
  assert.equal(await p.locator('ul.running li').count(), 2);
  await shot(p, '09-replay-scrubber');
  await p.context().close();
});

test('the files view shows changes with their SHA-256 and tails a log file as it grows', async (t) => {
  if (!PROJECTS) { t.skip('ORRERY_UI_PROJECTS is not set'); return; }
  const p = await page();
  await signIn(p, 'ada');
  await p.getByRole('link', { name: 'Files' }).click();
  await p.getByRole('link', { name: 'projects' }).click();
  await p.locator('ol.recent[data-live=yes]').waitFor({ state: 'attached', ...WAIT }); // following from now on
  const name = `live-${process.pid}`;
  const content = 'settled content\n';
  writeFileSync(join(PROJECTS, `${name}.txt`), content);
  const sha256 = createHash('sha256').update(content).digest('hex');
  await p.locator(`ol.recent li[data-path="${name}.txt"]`, { hasText: sha256 }).waitFor(WAIT);
  writeFileSync(join(PROJECTS, `${name}.log`), 'first line\n');
  const tail = p.locator(`pre.log[data-path="${name}.log"]`);
  await tail.waitFor(WAIT);
  appendFileSync(join(PROJECTS, `${name}.log`), 'second line\n');
  await p.waitForFunction((path) => document.querySelector(`pre.log[data-path="${path}"]`)?.textContent.includes('second line'), `${name}.log`, WAIT);
  assert.match(await tail.textContent(), /first line\nsecond line/);
  await shot(p, '10-files-live');
  await p.context().close();
});
