#!/usr/bin/env bash
# Prints planning figures on generated graphs of 10^4, 10^5 and 10^6 artefacts beside JGraphT's
# strongly connected components on the same graphs. Takes a few minutes; needs ~6 GB of heap for
# JGraphT at 10^6. Usage: dependency-manager/bench/run.sh [sizes...]   (e.g. 10000 100000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$here/target/deps-bench.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$here/src" "$root/dependency-manager/src/main/java/orrery/deps/domain/graph" -newer "$jar" -print -quit)" ]; then
  (cd "$root" && flock /tmp/orrery-mvn.lock mvn -B -q -pl dependency-manager/bench -am install -DskipTests) >&2
fi
exec java -Xms2g -Xmx8g -XX:+UseParallelGC -jar "$jar" "$@"
