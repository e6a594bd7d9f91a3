#!/usr/bin/env bash
# Stages a 1 GiB file from a local HTTP server through the running staging service and prints,
# measured in the same run on the same file: the JDK's own MD5 and SHA-256 rates on one thread,
# `curl -o`, the user's alternative `curl -o f && md5sum f && sha256sum f`, and the service
# (fetch, MD5 + SHA-256, size and MD5 checked, fsync, atomic publish), with the ratios the issue
# asks for and the service's peak RSS.
#
# Needs the suite running (deploy/local/up.sh), java (the digest rates run with the source
# launcher: no build, no Maven), curl, python3, md5sum and sha256sum.
# Usage: staging-service/bench/stage-1gib.sh [size-MiB [runs]]   (runs: best of N for each line; 1)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUN_DIR="${ORRERY_RUN_DIR:-$ROOT/.run}"
STAGING="${ORRERY_STAGING_URL:-http://127.0.0.1:8081}"
SIZE_MIB="${1:-1024}"
RUNS="${2:-1}"
PID=$(cat "$RUN_DIR/staging-service.pid" 2>/dev/null) || { echo "start the suite first: deploy/local/up.sh" >&2; exit 1; }
curl -fsS "$STAGING/q/health/ready" >/dev/null || { echo "the staging service is not ready at $STAGING" >&2; exit 1; }
# A development JWT for the user "bench" (audience orrery, issuer https://orrery.local/issuer), signed with up.sh's key.
TOKEN=$("$ROOT/deploy/local/token.sh" bench) || { echo "cannot make a token: deploy/local/token.sh bench failed" >&2; exit 1; }

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
sync # nothing of the preparation is written back during a measurement

now() { date +%s.%N; }
best() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }

echo "== JDK MD5 and SHA-256, one thread, 1 MiB updates ($(java -version 2>&1 | head -1))"
DIGESTS=$(java -Xmx256m -XX:+UseSerialGC "$ROOT/staging-service/bench/DigestRate.java" "$SIZE_MIB")
JDK_MD5=$(awk '$1=="md5"{print $2}' <<<"$DIGESTS")
JDK_SHA=$(awk '$1=="sha256"{print $2}' <<<"$DIGESTS")

echo "== curl -o (no verification)"
times=()
for _ in $(seq 1 "$RUNS"); do
  sync; T0=$(now); curl -fsS -o "$WORK/curl.bin" "$URL"; T1=$(now); rm -f "$WORK/curl.bin"
  times+=("$(python3 -c "print($T1 - $T0)")")
done
CURL_S=$(best "${times[@]}")

echo "== curl -o f && md5sum f && sha256sum f (the user's alternative)"
times=()
for _ in $(seq 1 "$RUNS"); do
  sync; T0=$(now)
  curl -fsS -o "$WORK/curl.bin" "$URL" && md5sum "$WORK/curl.bin" >/dev/null && sha256sum "$WORK/curl.bin" >/dev/null
  T1=$(now); rm -f "$WORK/curl.bin"
  times+=("$(python3 -c "print($T1 - $T0)")")
done
ALT_S=$(best "${times[@]}")

echo "== staging service (MD5 + SHA-256 while receiving, size and MD5 checked, fsync, atomic publish)"
RSS_BEFORE=$(awk '/VmRSS/{print $2}' "/proc/$PID/status")
HWM_START=$(awk '/VmHWM/{print $2}' "/proc/$PID/status")
# Linux resets a process's VmHWM when 5 is written to its clear_refs: then VmHWM afterwards is the peak during the transfers.
RESET_HWM=0; { echo 5 > "/proc/$PID/clear_refs"; } 2>/dev/null && RESET_HWM=1
times=(); inside=()
for run in $(seq 1 "$RUNS"); do
  sync
  EXEC="bench-$(date +%s)-$run"
  # One python process posts the transfer and waits: it looks for the published file every 5 ms (a stat, nearly
  # free) and asks the service for the state only then or every 0.5 s, so that polling takes no CPU from the transfer.
  RESULT=$(python3 - "$STAGING" "$TOKEN" "$EXEC" "$URL" "$BYTES" "$MD5" "$RUN_DIR/storage/home/bench/broker/$EXEC/big.bin" <<'PY'
import datetime, json, os, sys, time, urllib.parse, urllib.request
base, token, execution, url, size, md5, target = sys.argv[1:]
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
body = json.dumps({"executionId": execution,
                   "item": {"name": "big.bin", "url": url, "checks": {"size": int(size), "md5": md5}}}).encode()
start = time.monotonic()
answer = urllib.request.urlopen(urllib.request.Request(base + "/api/v1/transfers", data=body, headers=headers))
location = urllib.parse.urljoin(base, answer.headers["Location"])
ask_at = 0
while True:
    now = time.monotonic()
    if now >= ask_at or os.path.exists(target):
        view = json.load(urllib.request.urlopen(urllib.request.Request(location, headers=headers)))
        if view["state"] != "RUNNING":
            break
        ask_at = now + 0.5
    time.sleep(0.005)
elapsed = time.monotonic() - start
if view["state"] != "COMPLETED":
    print("transfer ended " + view["state"] + ": " + json.dumps(view), file=sys.stderr)
    sys.exit(1)
at = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
print(elapsed, (at(view["updated"]) - at(view["created"])).total_seconds())
PY
) || exit 1
  rm -rf "$RUN_DIR/storage/home/bench/broker/$EXEC"
  times+=("${RESULT% *}"); inside+=("${RESULT#* }")
done
ORRERY_S=$(best "${times[@]}")
INSIDE_S=$(best "${inside[@]}")
HWM=$(awk '/VmHWM/{print $2}' "/proc/$PID/status")

rate() { python3 -c "print(f'{$BYTES / $1 / 1e6:.1f}')"; }
ORRERY_RATE=$(rate "$ORRERY_S")
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); ${SIZE_MIB} MiB, best of $RUNS"
printf '%-44s %10s %10s\n' "" "seconds" "MB/s"
printf '%-44s %10s %10s\n' "JDK MD5, one thread (in memory)" "" "$JDK_MD5"
printf '%-44s %10s %10s\n' "JDK SHA-256, one thread (in memory)" "" "$JDK_SHA"
printf '%-44s %10.2f %10s\n' "curl -o" "$CURL_S" "$(rate "$CURL_S")"
printf '%-44s %10.2f %10s\n' "curl -o f && md5sum f && sha256sum f" "$ALT_S" "$(rate "$ALT_S")"
printf '%-44s %10.2f %10s\n' "orrery staging (verified, fsynced)" "$ORRERY_S" "$ORRERY_RATE"
printf '%-44s %10.2f\n' "  inside the service (accepted to completed)" "$INSIDE_S"
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
printf 'ratio orrery / curl -o:                    %s (target >= 0.75)\n' "$(ratio "$CURL_S" "$ORRERY_S")"
printf 'ratio orrery / JDK MD5 rate:               %s (target >= 0.90)\n' "$(ratio "$ORRERY_RATE" "$JDK_MD5")"
printf 'ratio orrery / curl + md5sum + sha256sum:  %s (target >= 2)\n' "$(ratio "$ALT_S" "$ORRERY_S")"
if [ "$RESET_HWM" = 1 ]; then
  printf 'staging service peak RSS during the transfers: %s MiB (target < 200; before them %s MiB, peak since start %s MiB)\n' \
    "$((HWM / 1024))" "$((RSS_BEFORE / 1024))" "$(( (HWM > HWM_START ? HWM : HWM_START) / 1024))"
else
  printf 'staging service peak RSS (VmHWM, since start): %s MiB (target < 200; before the transfers %s MiB)\n' \
    "$((HWM / 1024))" "$((RSS_BEFORE / 1024))"
fi
