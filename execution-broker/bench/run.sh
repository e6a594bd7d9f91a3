#!/usr/bin/env bash
# Load-tests the running broker (start the suite first: deploy/local/up.sh). Prints, for each
# number of live reservations already in the pool (seeded straight into PostgreSQL by seed.sh),
# the YES and NO answers, YES offer sets per second and p50/p99 latency at each client count;
# then reservations per second under 32-way contention on one pool with a check that its capacity
# was never exceeded, and the lag of time-driven transitions (orrery_broker_transition_lag).
#   execution-broker/bench/run.sh                        # 10 s per row, live 0, 10,000, 100,000
#   BENCH_SECONDS=600 BENCH_LIVE="1000 100000" execution-broker/bench/run.sh   # sustained
# A row of two minutes or more also prints each minute on its own (BENCH_REPORT_EVERY seconds):
# calls, YES, YES per s, p99, then the live reservations and the broker's resident memory. The
# offers a row asks for are held for the broker's offer expiry (PT10M), so at hundreds per second
# a sustained row piles up far more live reservations than it was seeded with; to keep the live
# count near the seeded level, start the suite with a short expiry, e.g.
#   ORRERY_BROKER_OFFERS_EXPIRY=PT1M deploy/local/up.sh
# Settings: BENCH_SECONDS (per row), BENCH_WARMUP (seconds first, 15), BENCH_LIVE (live reservation counts), BENCH_CLIENTS ("1 8"),
# BENCH_CORES ("1-2": ask for what a 2-core machine's local backend can run, or every answer is NO).
# Another broker side by side: BENCH_PEER_URL (its offer-set endpoint, e.g. .../ivoa/offersets),
# BENCH_PEER_BODY (a file with the request body), BENCH_PEER_TOKEN (bearer token, if it needs one).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BROKER="${ORRERY_BROKER_URL:-http://127.0.0.1:8080}"
curl -fsS -o /dev/null "$BROKER/q/health/ready" || { echo "start the suite first: deploy/local/up.sh" >&2; exit 1; }
export BENCH_SEED="$ROOT/execution-broker/bench/seed.sh"
export BENCH_TOKEN=$("$ROOT/deploy/local/token.sh" bench)
export BENCH_ADMIN_TOKEN=$("$ROOT/deploy/local/token.sh" bench-admin admin)
# Reservations under contention come from 32 users, so that the pool's capacity, not one user's
# quota (ORRERY_BROKER_QUOTA_MAX_CORES), is what refuses them.
BENCH_USER_TOKENS=""
for i in $(seq 1 32); do BENCH_USER_TOKENS+="$("$ROOT/deploy/local/token.sh" "bench-$i") "; done
export BENCH_USER_TOKENS
pidfile="${ORRERY_RUN_DIR:-$ROOT/.run}/execution-broker.pid"
[ -f "$pidfile" ] && export BENCH_BROKER_PID="$(cat "$pidfile")"
java "$ROOT/execution-broker/bench/Bench.java"
echo "== lag of time-driven transitions (seconds after their due time), as the broker measured them"
curl -fsS -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" "$BROKER/q/metrics" | grep -E '^orrery_broker_transition_lag_seconds(_max|_count|\{quantile)' || echo "  none yet (book something: deploy/local/demo.sh)"
