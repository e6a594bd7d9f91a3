#!/usr/bin/env bash
# Benchmark of `orrery-sim replay` on the local suite on simulated time (issue 15, "Benchmark"):
#
#   week   1,000 bookings over one simulated week
#   weeks  10,000 bookings over ten simulated weeks
#
# on the pool `bench`: 128 cores at most, with the capacity changes of the seed schedule
# `schedule-1` (64, 96, 32 and 128 cores for 2, 4, 1 and 3 of its 10 weeks; for the week case the
# same shape squeezed into one week), from the start of simulated time, and 128 cores for two more
# days so that the last bookings have somewhere to run. Each case runs twice, each time on a fresh
# suite in a run folder of its own (deleted first), and the two history digests must be equal.
# Prints, per run: bookings, accepted, completed, failed, wall time, advances, advances per
# second, speed-up, the machine's yardstick (CPU ms per advance of the two services that take no
# part: the same work in every run, so a high figure means a slow machine) and the digest, and
# where the replay's CPU went (seconds per process: services, controller, NATS, PostgreSQL); then
# whether the targets were met (week <= 120 s, weeks <= 15 min, the same digest twice).
#
#   deploy/sim/bench/replay.sh [week|weeks|all]      (default: week)
#
#   ORRERY_BENCH_RUN_DIR   the suite's run folder (default .run-bench/ of the checkout; deleted before each run)
#   ORRERY_BENCH_OUT       where the report folders go (default target/bench-replay/ under deploy/sim)
#   ORRERY_BENCH_START     simulated start (default 2026-03-01T00:00:00Z)
#   ORRERY_BENCH_SEED      the workload's seed (default 15)
#   ORRERY_BENCH_KEEP=1    leave the suite of the last run running
#   ORRERY_BENCH_RUNS      runs per case (default 2; 1 measures the time only: no digest to compare)
#   ORRERY_HTTP_PORT_BASE, ORRERY_NATS_PORT, ORRERY_PG_PORT as for deploy/local/up.sh (to run beside another suite)
#
# Needs deploy/local/up.sh --simulated (which starts `orrery-sim run` and the services on simulated
# time with the simulated backends) and python3 to read the summaries. The services and orrery-sim are
# built by up.sh when their sources changed.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)"
export ORRERY_RUN_DIR="${ORRERY_BENCH_RUN_DIR:-$ROOT/.run-bench}"
. "$ROOT/deploy/local/lib.sh"
OUT="${ORRERY_BENCH_OUT:-$ROOT/deploy/sim/target/bench-replay}"
START="${ORRERY_BENCH_START:-2026-03-01T00:00:00Z}"
SEED="${ORRERY_BENCH_SEED:-15}"
RUNS="${ORRERY_BENCH_RUNS:-2}"
case "$RUNS" in 1|2) ;; *) die "ORRERY_BENCH_RUNS is 1 or 2, not $RUNS" ;; esac
CASES="${1:-week}"
case "$CASES" in
  week|weeks) ;;
  all) CASES="week weeks" ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown case $CASES: week, weeks or all" ;;
esac
command -v python3 >/dev/null || die "python3 is needed to read the summaries"
BROKER="http://127.0.0.1:$HTTP_PORT_BASE"
if curl -s -o /dev/null --max-time 2 "$BROKER/q/health" && [ ! -f "$RUN_DIR/execution-broker.pid" ]; then
  die "a broker already answers at $BROKER (another suite?); stop it (deploy/local/down.sh) or set ORRERY_HTTP_PORT_BASE, ORRERY_NATS_PORT and ORRERY_PG_PORT for the bench"
fi
start_s=$(date -u -d "$START" +%s)
# the workload's first request a minute after the simulated start (after the pool is defined)
replay_start=$(date -u -d "@$((start_s + 60))" +%Y-%m-%dT%H:%M:%SZ)

# pool segments: "days:capacity ..." from the start, as the JSON body of PUT /api/v1/pools/bench
segments() { # seconds-per-unit "units:capacity ..."
  local unit=$1 at=$start_s out="" units cap
  shift
  for part in "$@"; do
    units=${part%%:*}; cap=${part##*:}
    local end
    end=$(python3 -c "print(int($at + $units * $unit))")
    out="$out{\"start_time\": $at, \"end_time\": $end, \"capacity\": $cap},"
    at=$end
  done
  printf '{"segments": [%s]}' "${out%,}"
}

run_case() { # case run
  local name=$1 run=$2 count span schedule report
  case "$name" in
    week)  count=1000;  span=P7D;  schedule=$(segments 86400 1.4:64 2.8:96 0.7:32 4.1:128) ;;
    weeks) count=10000; span=P70D; schedule=$(segments 86400 14:64 28:96 7:32 23:128) ;;
  esac
  report="$OUT/$name-$run"
  say "$name, run $run: a fresh suite on simulated time from $START in $RUN_DIR"
  "$ROOT/deploy/local/down.sh" >/dev/null 2>&1 || true
  rm -rf "$RUN_DIR" "$report"
  "$ROOT/deploy/local/up.sh" --simulated --start "$START" >"$OUT/$name-$run.up.log" 2>&1 \
    || die "up.sh --simulated failed; see $OUT/$name-$run.up.log"
  local admin
  admin=$("$ROOT/deploy/local/token.sh" root admin)
  curl -sf -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "$schedule" "$BROKER/api/v1/pools/bench" >/dev/null || die "could not define the pool bench"
  cpu_ticks_by_process >"$report.cpu-before"
  ORRERY_NATS_PASSWORD=$(cat "$CRED_DIR/nats-admin.password") \
    "$ROOT/deploy/sim/orrery-sim" replay --generate --count "$count" --span "$span" --rate 6.2 --seed "$SEED" \
      --pool bench --start "$replay_start" --jwt-key "$RUN_DIR/jwt/private.pem" --broker "$BROKER" \
      --nats "nats://127.0.0.1:$NATS_PORT" --out "$report" 2> >(tee "$report.log" >&2) \
    || warn "the replay exited with $? (see $report.log)"
  [ -f "$report/summary.json" ] || die "no summary in $report (see $report.log)"
  cpu_ticks_by_process >"$report.cpu-after"
}

# CPU ticks (1/100 s) of each process of the suite, one "name ticks" line each: the services, the
# controller, NATS and PostgreSQL (all its processes; the replay driver itself is not counted).
# Read before and after a replay, so the difference is where the replay's CPU went (start-up
# excluded); the yardstick comes from the same readings.
cpu_ticks_by_process() {
  local svc pid
  for svc in execution-broker staging-service canfar-adapter fs-watcher dependency-manager orrery-sim nats; do
    pid=$(cat "$RUN_DIR/$svc.pid" 2>/dev/null) || continue
    awk -v n="$svc" '{print n, $14 + $15}' "/proc/$pid/stat" 2>/dev/null || true
  done
  local pg=0 postmaster
  postmaster=$(head -1 "$RUN_DIR/postgres/data/postmaster.pid" 2>/dev/null) || postmaster=""
  if [ -n "$postmaster" ]; then
    # the postmaster's own and its ended children's (cutime, cstime), then each live backend's
    pg=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat" 2>/dev/null || echo 0)
    for pid in $(pgrep -P "$postmaster"); do
      pg=$((pg + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
  fi
  echo "postgres $pg"
}

cpu_line() { # report folder -> "name seconds ..." for the replay's span
  python3 - "$1.cpu-before" "$1.cpu-after" "$1/summary.json" <<'PY'
import json, sys
def read(path):
    try:
        return {l.split()[0]: int(l.split()[1]) for l in open(path) if len(l.split()) == 2}
    except OSError:
        return {}
before, after = read(sys.argv[1]), read(sys.argv[2])
wall = json.load(open(sys.argv[3]))["wallSeconds"]
used = {n: (after[n] - before.get(n, 0)) / 100.0 for n in after}
total = sum(used.values())
parts = ", ".join("%s %.1f" % (n, v) for n, v in sorted(used.items(), key=lambda kv: -kv[1]))
print("CPU s during the replay: %s; total %.1f in %.1f s of wall time (%.2f of 2 cores)" % (parts, total, wall, total / wall if wall else 0))
PY
}

# CPU ticks that the named processes used during a replay: report folder, names.
ticks_used() {
  local report=$1
  shift
  awk -v names=" $* " 'FNR == NR { before[$1] = $2; next } index(names, " " $1 " ") { sum += $2 - before[$1] } END { print sum + 0 }' \
    "$report.cpu-before" "$report.cpu-after" 2>/dev/null || echo 0
}

# The machine's speed, measured in the same run: CPU of the two participants that take no part in
# a replay (fs-watcher, dependency-manager) and do the same small work on every advance. A run
# whose yardstick is high ran on a slow machine, whatever the code did.
figures() { # report folder -> one line
  python3 - "$1/summary.json" "$(ticks_used "$1" fs-watcher dependency-manager)" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
yardstick = 10.0 * int(sys.argv[2]) / max(1, s["advances"])  # ms of CPU per advance
print("%6d %8d %9d %6d %9.1f %8d %8.1f %9.0fx %9.2f  %s" % (s["bookings"], s["accepted"], s["completed"], s["failed"]["total"],
      s["wallSeconds"], s["advances"], s["advancesPerSecond"], s["speedUp"], yardstick, s["historyDigest"]))
PY
}

mkdir -p "$OUT"
for name in $CASES; do
  for run in $(seq 1 "$RUNS"); do
    run_case "$name" "$run"
  done
done
[ "${ORRERY_BENCH_KEEP:-0}" = 1 ] || "$ROOT/deploy/local/down.sh" >/dev/null 2>&1 || true

echo
printf '%-6s %3s %6s %8s %9s %6s %9s %8s %8s %10s %9s  %s\n' case run booked accepted completed failed wall_s advances adv/s speed-up idle_ms/adv digest
ok=1
for name in $CASES; do
  for run in $(seq 1 "$RUNS"); do
    printf '%-6s %3s %s\n' "$name" "$run" "$(figures "$OUT/$name-$run")"
  done
  for run in $(seq 1 "$RUNS"); do
    echo "  $name $run: $(cpu_line "$OUT/$name-$run")"
  done
  d1=$(python3 -c "import json;print(json.load(open('$OUT/$name-1/summary.json'))['historyDigest'])")
  d2=$(python3 -c "import json;print(json.load(open('$OUT/$name-$RUNS/summary.json'))['historyDigest'])")
  target=$([ "$name" = week ] && echo 120 || echo 900)
  slowest=$(python3 -c "import json;print(max(json.load(open('$OUT/$name-%d/summary.json' % r))['wallSeconds'] for r in range(1, $RUNS + 1)))")
  same=$([ "$RUNS" = 1 ] && echo "not compared (one run)" || { [ "$d1" = "$d2" ] && echo yes || echo NO; })
  fast=$(python3 -c "print('yes' if $slowest <= $target else 'NO')")
  echo "  $name: same digest twice: $same; wall time <= $target s: $fast (slowest $slowest s)"
  [ "$same" != NO ] && [ "$fast" = yes ] || ok=0
done
echo "reports: $OUT"
[ "$ok" = 1 ]
