// Capacity arithmetic for the capacity view: pool segments and free spans (unix seconds) as steps.

/** Steps [{start, end, capacity, free, reserved}] over [from, to) from the pool's segments and its free spans. */
export function steps(segments, free, from, to) {
  const cuts = new Set([from, to]);
  for (const s of [...segments, ...free]) {
    if (s.start_time > from && s.start_time < to) cuts.add(s.start_time);
    if (s.end_time > from && s.end_time < to) cuts.add(s.end_time);
  }
  const times = [...cuts].sort((a, b) => a - b);
  const at = (list, t, key) => {
    const hit = list.find((s) => s.start_time <= t && t < s.end_time);
    return hit ? hit[key] : 0;
  };
  const out = [];
  for (let i = 0; i + 1 < times.length; i++) {
    const t = times[i];
    const capacity = at(segments, t, 'capacity');
    const freeNow = Math.min(capacity, at(free, t, 'free'));
    out.push({ start: t, end: times[i + 1], capacity, free: freeNow, reserved: capacity - freeNow });
  }
  return out;
}

/** The earliest start in the steps with at least `cores` free for `seconds` on end, or null. */
export function earliest(stepList, cores, seconds) {
  let start = null;
  for (const s of stepList) {
    if (s.free >= cores) {
      if (start === null) start = s.start;
      if (s.end - start >= seconds) return start;
    } else {
      start = null;
    }
  }
  return null;
}
