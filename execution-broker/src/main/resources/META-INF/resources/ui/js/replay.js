// A replay's report (orrery-sim replay: bookings.csv) read in the browser: what was reserved and
// running, and which bookings were in which state, at any instant of the run.
import { isoSeconds } from './timeline.js';

/** Rows of a CSV text (RFC 4180: quoted fields may hold commas, quotes doubled, line breaks) as objects by header. */
export function parseCsv(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field); records.push(record); record = []; field = '';
    } else field += c;
  }
  if (field !== '' || record.length) { record.push(field); records.push(record); }
  const [header, ...rows] = records.filter((r) => r.length > 1 || r[0] !== '');
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])));
}

/** The bookings that became executions, with their instants in ms (NaN where the report has none). */
export function executions(rows) {
  const t = (s) => (s ? Date.parse(s) : NaN);
  return rows.filter((r) => r.execution).map((r) => {
    const start = t(r.start);
    return { id: r.execution, user: r.user, cores: Number(r.cores) || 0, submit: t(r.submit_at), preparing: t(r.preparing_start), start,
      end: start + isoSeconds(r.duration) * 1000, running: t(r.running_at), runningEnd: t(r.running_end), final: t(r.final_at),
      finalPhase: r.final_phase, name: r.id };
  });
}

/** What held at instant t: cores reserved and running, and how many bookings were in each state. */
export function at(list, t) {
  const state = { reserved: 0, running: 0, phases: { booked: 0, preparing: 0, waiting: 0, running: 0, ended: 0 } };
  for (const e of list) {
    if (t < e.submit) continue;
    const ended = Number.isFinite(e.final) && t >= e.final;
    if (!ended && t < e.end && t >= (Number.isFinite(e.preparing) ? e.preparing : e.start)) state.reserved += e.cores;
    if (Number.isFinite(e.running) && t >= e.running && t < (Number.isFinite(e.runningEnd) ? e.runningEnd : e.end)) {
      state.running += e.cores;
      state.phases.running++;
    } else if (ended) state.phases.ended++;
    else if (t >= e.start) state.phases.waiting++;
    else if (Number.isFinite(e.preparing) && t >= e.preparing) state.phases.preparing++;
    else state.phases.booked++;
  }
  return state;
}

/** The run's span [from, to] in ms: first submit to last final instant. */
export function span(list) {
  const submits = list.map((e) => e.submit).filter(Number.isFinite);
  const ends = list.flatMap((e) => [e.final, e.end]).filter(Number.isFinite);
  return submits.length ? { from: Math.min(...submits), to: Math.max(...ends, Math.min(...submits) + 1) } : null;
}
