// An execution's history as segments of a timeline (Gantt): each phase lasts from its change to
// the next one; the current phase lasts until `now`. Only the phases that take time are drawn.

export const DRAWN = ['PREPARING', 'WAITING', 'RUNNING', 'FINISHING'];
export const FINAL = ['COMPLETED', 'FAILED', 'CANCELLED', 'EXPIRED', 'REJECTED'];

/** [{phase, start, end}] (milliseconds) from phase changes [{phase, at, lamport}]. */
export function segments(history, now) {
  const changes = [...history].sort((a, b) => a.lamport - b.lamport);
  const out = [];
  changes.forEach((change, i) => {
    const start = Date.parse(change.at);
    const next = changes[i + 1];
    const end = next ? Date.parse(next.at) : FINAL.includes(change.phase) ? start : now;
    if (DRAWN.includes(change.phase) && end >= start) {
      out.push({ phase: change.phase, start, end });
    }
  });
  return out;
}

/** The time range [from, to] covering every segment and planned span, padded by 5%. */
export function range(spans) {
  const starts = spans.map((s) => s.start).filter(Number.isFinite);
  const ends = spans.map((s) => s.end).filter(Number.isFinite);
  if (starts.length === 0) return null;
  let from = Math.min(...starts);
  let to = Math.max(...ends, from + 60_000);
  const pad = (to - from) * 0.05;
  return { from: from - pad, to: to + pad };
}

/** x in [0, width] for time t on range r. */
export function x(t, r, width) {
  return ((t - r.from) / (r.to - r.from)) * width;
}

/** Planned spans from an execution view's schedule: preparing and executing. */
export function planned(execution) {
  const s = execution.schedule;
  if (!s) return [];
  const span = (p, name) => p && p.start ? [{ phase: name, start: Date.parse(p.start), end: Date.parse(p.start) + isoSeconds(p.duration) * 1000 }] : [];
  return [...span(s.preparing, 'planned-preparing'), ...span(s.executing, 'planned-executing')];
}

/** Seconds of an ISO-8601 duration such as PT1H30M or P1DT2H (days, hours, minutes, seconds). */
export function isoSeconds(text) {
  if (!text) return 0;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m) return 0;
  return (+(m[1] || 0)) * 86400 + (+(m[2] || 0)) * 3600 + (+(m[3] || 0)) * 60 + (+(m[4] || 0));
}
