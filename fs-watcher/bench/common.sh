#!/usr/bin/env bash
# Shared by the fs-watcher benchmarks: builds the module once, runs the bench program with the
# module's test classpath, and starts a throw-away nats-server with JetStream.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE_DIR="$(dirname "$BENCH_DIR")"
REPO_DIR="$(dirname "$MODULE_DIR")"
WORK="${ORRERY_BENCH_DIR:-/tmp/orrery-fswatch-bench}"
# nats-server as the suite finds it (installed from Debian's packages when missing)
# shellcheck source=../../deploy/local/lib.sh
. "$REPO_DIR/deploy/local/lib.sh"
mkdir -p "$WORK"

build_bench() {
  if [[ ! -f "$WORK/classpath.txt" || "${ORRERY_BENCH_REBUILD:-0}" == "1" ]]; then
    (cd "$REPO_DIR" && flock /tmp/orrery-mvn.lock mvn -B -q -pl fs-watcher -am install -DskipTests \
      && flock /tmp/orrery-mvn.lock mvn -B -q -pl fs-watcher test-compile dependency:build-classpath \
           -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/classpath.txt")
  fi
}

bench() {
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
  java ${BENCH_JAVA_OPTS:--Xmx${BENCH_HEAP:-2g}} -cp "$MODULE_DIR/target/test-classes:$MODULE_DIR/target/classes:$(cat "$WORK/classpath.txt")" \
    orrery.fswatch.bench.FsWatchBench "$@"
}

# value KEY "key=value lines"
value() {
  sed -n "s/^$1=//p" <<<"$2" | head -1
}

ratio() {
  python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}' if b else 'n/a')" "$1" "$2"
}

NATS_PID=""
start_nats() {
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  ensure_nats_server
  rm -rf "$WORK/nats"
  "$(nats_server_bin)" -a 127.0.0.1 -p "$port" -js -sd "$WORK/nats" -l "$WORK/nats.log" &
  NATS_PID=$!
  NATS_URL="nats://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    python3 -c 'import time; time.sleep(0.05)'
  done
  echo "nats-server did not start; see $WORK/nats.log" >&2
  return 1
}

stop_nats() {
  if [[ -n "$NATS_PID" ]]; then
    kill "$NATS_PID" 2>/dev/null || true
    wait "$NATS_PID" 2>/dev/null || true
    NATS_PID=""
  fi
}

# seconds COMMAND...: wall-clock seconds of a command
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$start" "$end"
}

best_of_3() {
  local best="" t
  for _ in 1 2 3; do
    t=$(seconds "$@")
    if [[ -z "$best" ]] || python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$t" "$best"; then
      best=$t
    fi
  done
  echo "$best"
}

# make_tree DIR COUNT BYTES: COUNT files of BYTES random bytes in folders of 100
make_tree() {
  python3 - "$1" "$2" "$3" <<'PY'
import os, sys
root, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
if os.path.isdir(root) and sum(len(f) for _, _, f in os.walk(root)) == count:
    sys.exit(0)
for i in range(count):
    folder = os.path.join(root, f"d{i // 100:05d}")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"f{i:06d}.dat"), "wb") as f:
        f.write(os.urandom(size))
PY
}
