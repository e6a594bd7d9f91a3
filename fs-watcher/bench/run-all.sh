#!/usr/bin/env bash
# Every fs-watcher benchmark, one after the other (about 10 minutes on 2 cores; needs ~3 GiB in /tmp).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./hash-throughput.sh
./initial-scan.sh
./event-latency.sh
