#!/usr/bin/env bash
# Benchmark of the dashboard (issue 17): with 1,000 executions and a 10,000-artefact graph in the
# store, the time to first render of the executions view and of the build graph view, and the frame
# time while panning the graph, measured in headless Chromium (bench/render.mjs). The baseline is
# the same measurement in the same run on the empty store, before the load; for panning, the whole
# graph drawn at once in the same page.
#
#   deploy/e2e/dashboard/bench/render.sh
#
#   ORRERY_BENCH_RUN_DIR   the suite's run folder (default .run-bench-ui/ of the checkout; deleted first)
#   ORRERY_BENCH_FILES     source files to watch (default 3334: each gives 3 artefacts, 10,002 in all)
#   ORRERY_BENCH_KEEP=1    leave the suite running
#   ORRERY_HTTP_PORT_BASE, ORRERY_NATS_PORT, ORRERY_PG_PORT as for deploy/local/up.sh
#
# The executions come from `orrery-sim replay` (1,000 requests of one user, sim-user-1, on
# simulated time); the artefacts from files dropped into the watched root "projects", which the
# shell builder's rules (.lines and .sha256 of each .txt) turn into 3 artefacts each.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/../../../.." && pwd)"
export ORRERY_RUN_DIR="${ORRERY_BENCH_RUN_DIR:-$ROOT/.run-bench-ui}"
. "$ROOT/deploy/local/lib.sh"
FILES="${ORRERY_BENCH_FILES:-3334}"
TESTS="$ROOT/deploy/e2e/dashboard"
BROKER="http://127.0.0.1:$HTTP_PORT_BASE"
command -v node >/dev/null || die "node is needed (apt-get install -y nodejs npm)"
command -v chromium >/dev/null || die "chromium is needed (apt-get install -y chromium)"
[ -d "$TESTS/node_modules/playwright-core" ] || (cd "$TESTS" && npm ci --no-audit --no-fund >/dev/null)
if curl -s -o /dev/null --max-time 2 "$BROKER/q/health" && [ ! -f "$RUN_DIR/execution-broker.pid" ]; then
  die "a broker already answers at $BROKER (another suite?); stop it or set ORRERY_HTTP_PORT_BASE, ORRERY_NATS_PORT and ORRERY_PG_PORT"
fi
"$ROOT/deploy/local/down.sh" >/dev/null 2>&1 || true
rm -rf "$RUN_DIR"
# one user holds all 1,000 bookings: no quota in the way
ORRERY_BROKER_QUOTA_MAX_CORES=1000000 "$ROOT/deploy/local/up.sh" --simulated >"$TESTS/bench/up.log" 2>&1 \
  || die "up.sh --simulated failed; see $TESTS/bench/up.log"
[ "${ORRERY_BENCH_KEEP:-0}" = 1 ] || trap '"$ROOT/deploy/local/down.sh" >/dev/null 2>&1' EXIT
export ORRERY_UI_URL="$BROKER"

say "baseline: the empty store"
baseline=$(cd "$TESTS" && node bench/render.mjs baseline sim-user-1)

say "loading: 1,000 bookings (orrery-sim replay) and $FILES watched files"
for i in $(seq 1 "$FILES"); do printf 'line one\nline %d\n' "$i" >"$RUN_DIR/projects/bench-$i.txt"; done
ORRERY_NATS_PASSWORD=$(cat "$CRED_DIR/nats-admin.password") \
  "$ROOT/deploy/sim/orrery-sim" replay --generate --count 1000 --rate 60 --users 1 --cores 1..4 --duration PT30M..PT2H \
    --items 0..1 --item-size 1000000..100000000 --seed 17 \
    --jwt-key "$RUN_DIR/jwt/private.pem" --broker "$BROKER" --nats "nats://127.0.0.1:$NATS_PORT" --out "$TESTS/bench/replay" \
    --progress PT10S >/dev/null 2>"$TESTS/bench/replay.log" || die "the replay failed; see $TESTS/bench/replay.log"
token=$("$ROOT/deploy/local/token.sh" sim-user-1)
want=$((FILES * 3))
deadline=$(( $(date +%s) + 900 ))
while :; do
  artefacts=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$((HTTP_PORT_BASE + 4))/api/v1/graph" \
    | python3 -c 'import json,sys; g=json.load(sys.stdin); print(sum(1 for n in g["nodes"] if n["state"] in ("SOURCE","UP_TO_DATE")))')
  [ "$artefacts" -ge "$want" ] && break
  [ "$(date +%s)" -lt "$deadline" ] || die "only $artefacts of $want artefacts settled within 15 minutes"
  sleep 5
done
say "loaded: $artefacts artefacts settled"
loaded=$(cd "$TESTS" && node bench/render.mjs loaded sim-user-1)

python3 - "$baseline" "$loaded" <<'PY'
import json, sys
b, l = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print()
print("%-44s %14s %14s   %s" % ("", "baseline", "loaded", "target"))
print("%-44s %14d %14d" % ("executions in the store (the user's)", b["executions"], l["executions"]))
print("%-44s %14d %14d" % ("artefacts in the graph", b["artefacts"], l["artefacts"]))
def fr(d, key):
    v = d.get(key)
    return "%5d / %5d" % (v["coldMs"], v["medianMs"]) if v else "-"
print("%-44s %14s %14s   < 1000 ms" % ("executions view, first render ms (cold/median)", fr(b, "executionsView"), fr(l, "executionsView")))
print("%-44s %14s %14s   < 1000 ms" % ("graph view, first render ms (cold/median)", fr(b, "graphView"), fr(l, "graphView")))
for key, name in (("panFocused", "pan, focused view (p50/p95 ms)"), ("panLargestNeighbourhood", "pan, 150-artefact neighbourhood (p50/p95)"),
                  ("panWholeGraphBaseline", "pan, whole graph drawn at once (p50/p95)")):
    v = l.get(key)
    print("%-44s %14s %14s   < 50 ms" % (name, "", "%5.1f / %5.1f" % (v["p50Ms"], v["p95Ms"]) if v else "-") + ("   (%d nodes)" % v["nodes"] if v else ""))
w = l.get("panWholeGraphBaseline")
if w:
    print("%-44s %14s %14d   (what the focused view avoids)" % ("whole graph drawn at once, ms to draw", "", w["drawMs"]))
ok = l["executionsView"]["coldMs"] < 1000 and l.get("graphView", {"coldMs": 0})["coldMs"] < 1000 and l["panLargestNeighbourhood"]["p95Ms"] < 50
print("\ntargets met" if ok else "\ntargets NOT met")
PY
