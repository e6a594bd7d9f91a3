#!/usr/bin/env bash
# Benchmark of each service's start-up and memory (issue 18, "Start-up and memory"), on the JVM:
# the suite is started on its embedded default in a run folder of its own, then each service is
# stopped and started again alone (so it has both cores to itself), and we print the time Quarkus
# reports ("started in"), the wall time from launch to /q/health/ready, and the resident memory
# (VmRSS) once ready; then demo.sh books a session with a staged file and the resident memory is
# read again. Beside them, a baseline measured in the same run: a JVM that only prints its version,
# with the same options (the floor no service can go below). Targets: < 2 s and < 150 MiB.
#
#   deploy/local/bench/startup.sh
#
#   ORRERY_BENCH_RUN_DIR   the run folder (default .run-bench-startup/ of the checkout; deleted first)
#   ORRERY_BENCH_PORT_BASE first of the five HTTP ports (default 18080); NATS and PostgreSQL on 14222,
#                          18222 and 15432 unless ORRERY_NATS_PORT, ORRERY_NATS_MONITOR_PORT, ORRERY_PG_PORT say otherwise
#   ORRERY_BENCH_KEEP=1    leave the suite running
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)"
export ORRERY_RUN_DIR="${ORRERY_BENCH_RUN_DIR:-$ROOT/.run-bench-startup}"
export ORRERY_HTTP_PORT_BASE="${ORRERY_BENCH_PORT_BASE:-18080}"
export ORRERY_NATS_PORT="${ORRERY_NATS_PORT:-14222}" ORRERY_NATS_MONITOR_PORT="${ORRERY_NATS_MONITOR_PORT:-18222}"
export ORRERY_PG_PORT="${ORRERY_PG_PORT:-15432}"
. "$ROOT/deploy/local/lib.sh"
command -v python3 >/dev/null || die "python3 is needed to print the table"

rss_mib() { # pid
  awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"
}

started_in() { # log file: Quarkus's own figure, in seconds
  sed -n 's/.* started in \([0-9.]*\)s\..*/\1/p' "$1" | tail -1
}

now_ms() { date +%s%3N; }

stop_suite() {
  "$ROOT/deploy/local/down.sh" >/dev/null 2>&1 || true
}

[ -d "$RUN_DIR" ] && stop_suite
rm -rf "$RUN_DIR"
trap '[ "${ORRERY_BENCH_KEEP:-0}" = 1 ] || stop_suite' EXIT
say "starting the suite in $RUN_DIR (builds what changed)"
"$ROOT/deploy/local/up.sh" >"$ROOT/.startup-bench-up.log" 2>&1 || { tail -20 "$ROOT/.startup-bench-up.log"; die "up.sh failed"; }
rm -f "$ROOT/.startup-bench-up.log"

# The baseline: the same JVM with up.sh's default options, doing nothing: wall time and peak RSS.
read -r baseline_ms baseline_rss < <(python3 - ${ORRERY_JAVA_OPTS:-$SERVING_JAVA_OPTS} <<'PY'
import resource, subprocess, sys, time
start = time.monotonic()
subprocess.run(["java", *sys.argv[1:], "-version"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(int((time.monotonic() - start) * 1000), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
)

rows=()
for entry in "${SERVICES[@]}"; do
  read -r svc port _ <<<"$entry"
  pidfile="$RUN_DIR/$svc.pid"
  kill "$(cat "$pidfile")"
  while pid_alive "$pidfile"; do sleep 0.1; done
  rm -f "$pidfile"
  t0=$(now_ms)
  ORRERY_SKIP_BUILD=1 "$ROOT/deploy/local/up.sh" >/dev/null 2>&1 || die "$svc did not start again; see $LOG_DIR/$svc.log"
  wall_ms=$(( $(now_ms) - t0 ))
  rows+=("$svc $(started_in "$LOG_DIR/$svc.log") $wall_ms $(rss_mib "$(cat "$pidfile")")")
done

say "booking the demo (a staged program and data file, a local session)"
"$ROOT/deploy/local/demo.sh" >/dev/null 2>&1 || warn "demo.sh did not complete; the memory after it is still read"
after=()
for entry in "${SERVICES[@]}"; do
  read -r svc _ _ <<<"$entry"
  after+=("$svc $(rss_mib "$(cat "$RUN_DIR/$svc.pid")")")
done

python3 - "$baseline_ms" "${baseline_rss:-0}" "${rows[@]}" -- "${after[@]}" <<'PY'
import sys
args = sys.argv[1:]
baseline_ms, baseline_rss = int(args[0]), int(args[1] or 0)
split = args.index("--")
rows = [r.split() for r in args[2:split]]
after = dict(r.split() for r in args[split + 1:])
print()
print(f"{'service':<20} {'Quarkus started in':>18} {'launch to ready':>16} {'RSS ready':>10} {'RSS after demo':>15}")
for svc, started, wall, rss in rows:
    print(f"{svc:<20} {float(started):>17.3f}s {int(wall) / 1000:>15.3f}s {rss:>7} MiB {after.get(svc, '?'):>11} MiB")
print(f"{'baseline: java -version':<20} {'':>18} {baseline_ms / 1000:>15.3f}s {baseline_rss:>7} MiB")
print()
slow = [r[0] for r in rows if float(r[1]) >= 2]
big = [svc for svc, rss in after.items() if int(rss) >= 150]
print("target start-up < 2 s (Quarkus's figure):", "met" if not slow else "not met by " + ", ".join(slow))
print("target RSS < 150 MiB (after the demo):", "met" if not big else "not met by " + ", ".join(big))
PY
