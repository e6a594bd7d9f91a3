#!/usr/bin/env bash
# First scan of 100,000 small files: the fs-watcher's walk + stat + hash alone, and its whole first
# start (also publishing 100,000 CREATED events and writing the JetStream key-value index),
# against `find -exec sha256sum {} +` and watchman's first crawl; then memory per watched file.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build_bench

TREE="$WORK/tree100k"
COUNT="${COUNT:-100000}"
make_tree "$TREE" "$COUNT" 1024
find "$TREE" -type f -exec cat {} + > /dev/null

find_s=$(best_of_3 bash -c "find '$TREE' -type f -exec sha256sum {} + > /dev/null")
# One sha256sum process per file, as `find -exec sha256sum {} \;` runs it (one try: it is slow, about
# 2 minutes here; FIND_EACH=0 leaves it out).
find_each_s=""
if [[ "${FIND_EACH:-1}" != "0" ]]; then
  find_each_s=$(seconds bash -c "find '$TREE' -type f -exec sha256sum {} \\; > /dev/null")
fi
# Best of 3 like find's, each a fresh JVM (so a cold JIT every time).
scan_s=""
scan_runs=""
for _ in 1 2 3; do
  scan_out=$(bench scan "$TREE")
  t=$(value seconds "$scan_out")
  scan_runs="$scan_runs $t"
  if [[ -z "$scan_s" ]] || python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$t" "$scan_s"; then
    scan_s=$t
  fi
done

# watchman (Debian package) is installed when missing; if that fails the output says so.
watchman_s=""
watchman_why="not installed"
if ! command -v watchman > /dev/null && command -v apt-get > /dev/null; then
  apt_log="$WORK/apt-watchman.log"
  if { apt-get install -y -q watchman || { apt-get update -q && apt-get install -y -q watchman; }; } > "$apt_log" 2>&1; then
    :
  else
    watchman_why="could not be installed with apt-get (see $apt_log: $(tail -1 "$apt_log"))"
  fi
fi
if command -v watchman > /dev/null; then
  WM="$WORK/watchman"
  mkdir -p "$WM"
  export WATCHMAN_SOCK_DIR="$WM"
  watchman --sockname="$WM/sock" --statefile="$WM/state" --logfile="$WM/log" --pidfile="$WM/pid" \
    watch-del-all > /dev/null 2>&1 || true
  watchman_s=$(seconds watchman --sockname="$WM/sock" --statefile="$WM/state" --logfile="$WM/log" \
    --pidfile="$WM/pid" -- watch "$TREE")
  # A query after the watch waits for the crawl to finish ("sync"), so it is part of the first crawl.
  watchman_s=$(python3 -c "print($watchman_s + $(seconds watchman --sockname="$WM/sock" -j <<<"[\"query\", \"$TREE\", {\"fields\": [\"name\", \"content.sha1hex\"], \"expression\": [\"type\", \"f\"]}]"))")
  watchman --sockname="$WM/sock" shutdown-server > /dev/null 2>&1 || true
fi

start_nats
trap stop_nats EXIT
# The watcher's JVM as deploy/local/up.sh runs the services (SERVING_JAVA_OPTS, lib.sh): resident
# memory per file depends on it as much as on the index (G1's default heap doubles it).
WATCH_OPTS="${BENCH_WATCH_OPTS:-$SERVING_JAVA_OPTS}"
watch_out=$(BENCH_JAVA_OPTS="$WATCH_OPTS" bench watch-initial "$NATS_URL" "$TREE")
stop_nats

echo "== first scan of $(value files "$scan_out") files of 1 KiB =="
printf "fs-watcher walk+stat+hash          %7.2f s  (best of:%s)\n" "$scan_s" "$scan_runs"
printf "fs-watcher whole first start       %7.2f s  (publishes %s events, writes the KV index)\n" \
  "$(value seconds "$watch_out")" "$(value published "$watch_out")"
printf "find -exec sha256sum {} +          %7.2f s\n" "$find_s"
if [[ -n "$find_each_s" ]]; then
  printf "find -exec sha256sum {} \\;         %7.2f s\n" "$find_each_s"
fi
echo "ratio find+sha256sum / fs-watcher scan  = $(ratio "$find_s" "$scan_s")x"
echo "ratio find+sha256sum / fs-watcher start = $(ratio "$find_s" "$(value seconds "$watch_out")")x"
if [[ -n "$find_each_s" ]]; then
  echo "ratio find -exec \\; / fs-watcher scan    = $(ratio "$find_each_s" "$scan_s")x"
fi
if [[ -n "$watchman_s" ]]; then
  printf "watchman first crawl (with SHA-1)  %7.2f s\n" "$watchman_s"
  echo "ratio watchman crawl / fs-watcher scan  = $(ratio "$watchman_s" "$scan_s")x"
  echo "ratio watchman crawl / fs-watcher start = $(ratio "$watchman_s" "$(value seconds "$watch_out")")x"
else
  echo "watchman: $watchman_why, skipped"
fi
echo "== memory at $(value files "$watch_out") watched files, $(value folders "$watch_out") folders =="
echo "heap per file (after GC)   $(value heap_bytes_per_file "$watch_out") bytes"
echo "resident per file          $(value rss_bytes_per_file "$watch_out") bytes (JVM RSS now $(value rss_total_mib "$watch_out") MiB; JVM options $WATCH_OPTS)"
