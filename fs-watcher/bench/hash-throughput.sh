#!/usr/bin/env bash
# SHA-256 throughput of the fs-watcher's streaming hasher against openssl and sha256sum on a 1 GiB
# file (warm page cache, best of 3), and of its hash pool on many files with 1 and 2 threads.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build_bench

BIG="$WORK/1gib.bin"
if [[ ! -f "$BIG" ]]; then
  head -c 1073741824 /dev/urandom > "$BIG"
fi
cat "$BIG" > /dev/null

openssl_s=$(best_of_3 openssl dgst -sha256 "$BIG")
sha256sum_s=$(best_of_3 sha256sum "$BIG")
java_out=$(bench hash "$BIG" 4)
java_s=$(value seconds "$java_out")
expected=$(sha256sum "$BIG" | cut -d' ' -f1)
[[ "$(value sha256 "$java_out")" == "$expected" ]] || { echo "hash differs from sha256sum!" >&2; exit 1; }

MANY="$WORK/many"
make_tree "$MANY" 2048 524288
cat "$MANY"/*/* > /dev/null
one=$(value seconds "$(bench hash-many "$MANY" 1)")
two=$(value seconds "$(bench hash-many "$MANY" 2)")

echo "== SHA-256 throughput (1 GiB, warm cache, $(nproc) cores) =="
printf "fs-watcher  %6.3f s  %7.0f MiB/s\n" "$java_s" "$(python3 -c "print(1024 / $java_s)")"
printf "openssl     %6.3f s  %7.0f MiB/s\n" "$openssl_s" "$(python3 -c "print(1024 / $openssl_s)")"
printf "sha256sum   %6.3f s  %7.0f MiB/s\n" "$sha256sum_s" "$(python3 -c "print(1024 / $sha256sum_s)")"
echo "ratio fs-watcher/openssl   = $(ratio "$openssl_s" "$java_s")x   (target >= 0.95)"
echo "ratio fs-watcher/sha256sum = $(ratio "$sha256sum_s" "$java_s")x"
echo "== many files (2048 x 512 KiB = 1 GiB) =="
printf "1 thread  %6.3f s\n2 threads %6.3f s\n" "$one" "$two"
echo "ratio 2 threads/1 thread   = $(ratio "$one" "$two")x   (both cores busy)"
