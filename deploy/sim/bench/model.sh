#!/usr/bin/env bash
# Benchmark of the asynchronous scale model, `orrery-sim model` (issue 16, "Benchmark"), on the
# simulated clock over a real nats-server that this script starts with a login on a free port in a
# temporary folder:
#
#   3 machines     x 60 s  of simulated time
#   100 machines   x 1 h
#   1,000 machines x 60 s
#
# Prints per case: events, letters through NATS, distinct instants (the clock's advances), wall
# time, letters per second through NATS and the speed-up over real time; and beside them, measured
# in the same run on the same server, the baseline: how many of the model's letters per second NATS
# carries when nothing else is done (`orrery-sim model baseline`: publish and receive on one connection).
# Each case writes every machine's log (vector clocks and shiviz.log only up to 50 machines).
#
#   deploy/sim/bench/model.sh            (needs deploy/sim/target/orrery-sim.jar: built when missing)
#
#   ORRERY_BENCH_OUT   where the run folders go (default deploy/sim/target/bench-model/, emptied first)
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)"
. "$ROOT/deploy/local/lib.sh"
case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
esac
ensure_nats_server
SIM="$ROOT/deploy/sim/orrery-sim"
if [ ! -f "$ROOT/deploy/sim/target/orrery-sim.jar" ]; then
  say "building orrery-sim"
  (cd "$ROOT" && mvn -B -q -pl deploy/sim -am package -DskipTests)
fi
OUT="${ORRERY_BENCH_OUT:-$ROOT/deploy/sim/target/bench-model}"
rm -rf "$OUT" && mkdir -p "$OUT"
TMP=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
cat > "$TMP/nats.conf" <<CONF
listen: 127.0.0.1:$port
authorization { users = [ { user: admin, password: "$password" } ] }
CONF
"$(nats_server_bin)" -c "$TMP/nats.conf" > "$TMP/nats.log" 2>&1 &
nats_pid=$!
trap 'kill $nats_pid 2>/dev/null || true; rm -rf "$TMP"' EXIT
export ORRERY_NATS_URL="nats://127.0.0.1:$port" ORRERY_NATS_USERNAME=admin ORRERY_NATS_PASSWORD="$password"
for _ in $(seq 50); do "$SIM" model baseline --count 1 >/dev/null 2>&1 && break; sleep 0.2; done

say "baseline: NATS alone, the model's letters published and received on one connection"
baseline=$("$SIM" model baseline --count 300000)
echo "  $baseline"
base_rate=$(echo "$baseline" | sed -E 's/.*: ([0-9]+) letters\/s/\1/')

printf '\n%-8s %-8s %12s %12s %10s %10s %14s %10s %12s\n' machines span events letters instants wall_s letters/s "÷baseline" speed-up
for case in "3 PT1M" "100 PT1H" "1000 PT1M"; do
  set -- $case
  dir="$OUT/m$1-$2"
  "$SIM" model --machines "$1" --duration "$2" --seed 1 --out "$dir" > /dev/null 2> "$dir.log" || { cat "$dir.log"; die "the $1-machine case failed"; }
  python3 - "$dir/summary.json" "$1" "$2" "$base_rate" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
rate = s["lettersPerWallSecond"]
print(f'{sys.argv[2]:<8} {sys.argv[3]:<8} {s["events"]:>12,} {s["letters"]:>12,} {s["instants"]:>10,} {s["wallSeconds"]:>10.2f} '
      f'{rate:>14,.0f} {rate / float(sys.argv[4]):>10.2f} {s["speedUp"]:>11,.0f}x')
PY
done
echo
echo "run folders: $OUT"
