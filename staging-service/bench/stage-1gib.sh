#!/usr/bin/env bash
# Stages a 1 GiB file from a local HTTP server through the running staging service and prints
# its throughput beside `curl -o` of the same file in the same run, and the service's peak RSS.
#
# Needs the suite running (deploy/local/up.sh). Usage: staging-service/bench/stage-1gib.sh [size-MiB]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUN_DIR="${ORRERY_RUN_DIR:-$ROOT/.run}"
STAGING="${ORRERY_STAGING_URL:-http://127.0.0.1:8081}"
SIZE_MIB="${1:-1024}"
PID=$(cat "$RUN_DIR/staging-service.pid" 2>/dev/null) || { echo "start the suite first: deploy/local/up.sh" >&2; exit 1; }
curl -fsS "$STAGING/q/health/ready" >/dev/null || { echo "the staging service is not ready at $STAGING" >&2; exit 1; }
# A development JWT for the user "bench" (audience orrery, issuer https://orrery.local/issuer), signed with up.sh's key.
TOKEN=$("$ROOT/deploy/local/token.sh" bench) || { echo "cannot make a token: deploy/local/token.sh bench failed" >&2; exit 1; }
AUTH="Authorization: Bearer $TOKEN"

WORK=$(mktemp -d /tmp/orrery-bench-XXXXXX)
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

echo "== preparing a ${SIZE_MIB} MiB file"
mkdir -p "$WORK/served"
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$WORK/served/big.bin"
MD5=$(md5sum "$WORK/served/big.bin" | cut -d' ' -f1)
BYTES=$(stat -c %s "$WORK/served/big.bin")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$WORK/served" && exec python3 -m http.server "$PORT" --bind 127.0.0.1 >/dev/null 2>&1) &
SERVER_PID=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; do sleep 0.2; done
URL="http://127.0.0.1:$PORT/big.bin"

mbps() { python3 -c "print(f'{$1 / $2 / 1e6:.1f}')"; }
now() { date +%s.%N; }

echo "== curl -o (no verification)"
T0=$(now); curl -fsS -o "$WORK/curl.bin" "$URL"; T1=$(now)
CURL_S=$(python3 -c "print($T1 - $T0)"); rm -f "$WORK/curl.bin"

echo "== staging service (streaming MD5 + SHA-256, verify, atomic rename)"
EXEC="bench-$(date +%s)"
T0=$(now)
LOCATION=$(curl -fsS -D - -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"executionId\":\"$EXEC\",\"item\":{\"name\":\"big.bin\",\"url\":\"$URL\",\"checks\":{\"size\":$BYTES,\"md5\":\"$MD5\"}}}" \
  "$STAGING/api/v1/transfers" | tr -d '\r' | awk -F': ' 'tolower($1)=="location"{print $2}')
while true; do
  STATE=$(curl -fsS -H "$AUTH" "$LOCATION" | python3 -c 'import sys,json; print(json.load(sys.stdin)["state"])')
  [ "$STATE" != "RUNNING" ] && break
  sleep 0.1
done
T1=$(now)
ORRERY_S=$(python3 -c "print($T1 - $T0)")
[ "$STATE" = "COMPLETED" ] || { echo "transfer ended $STATE" >&2; curl -s -H "$AUTH" "$LOCATION"; exit 1; }
HWM=$(awk '/VmHWM/{print $2}' "/proc/$PID/status")
INFO=$(curl -fsS -H "$AUTH" "$LOCATION")
rm -rf "$RUN_DIR/storage/home/bench/broker/$EXEC"

echo
printf '%-32s %10s %10s\n' "" "seconds" "MB/s"
printf '%-32s %10.2f %10s\n' "curl -o" "$CURL_S" "$(mbps "$BYTES" "$CURL_S")"
printf '%-32s %10.2f %10s\n' "orrery staging (verified)" "$ORRERY_S" "$(mbps "$BYTES" "$ORRERY_S")"
printf 'ratio orrery/curl: %s (target >= 0.8)\n' "$(python3 -c "print(f'{$CURL_S / $ORRERY_S:.2f}')")"
python3 -c "import json,sys,datetime as d; j=json.loads(sys.argv[1]); f=lambda s: d.datetime.fromisoformat(s.replace(\"Z\",\"+00:00\")); print(\"inside the service (accepted to completed): %.2f s\" % (f(j[\"updated\"])-f(j[\"created\"])).total_seconds())" "$INFO"
printf 'staging service peak RSS (VmHWM, since start): %s MiB\n' "$((HWM / 1024))"
