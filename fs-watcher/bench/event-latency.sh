#!/usr/bin/env bash
# From the last write of a file to its event being acknowledged by JetStream, with the default
# 300 ms quiet period: p50/p99 against the quiet period (target p99 < quiet + 50 ms).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build_bench

DIR="$WORK/latency"
rm -rf "$DIR" && mkdir -p "$DIR"
start_nats
trap stop_nats EXIT
out=$(bench latency "$NATS_URL" "$DIR" "${ROUNDS:-50}")
quiet=$(value quiet_ms "$out")
p50=$(value p50_ms "$out")
p99=$(value p99_ms "$out")
echo "== event latency, $(value samples "$out") files, quiet period ${quiet} ms =="
echo "p50 ${p50} ms  p99 ${p99} ms  max $(value max_ms "$out") ms"
echo "ratio p50/quiet = $(ratio "$p50" "$quiet")   p99/quiet = $(ratio "$p99" "$quiet")"
echo "p99 over the quiet period: $(python3 -c "print(f'{$p99 - $quiet:.1f}')") ms (target < 50 ms)"
