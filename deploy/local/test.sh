#!/usr/bin/env bash
# Runs every test of the suite against real NATS and PostgreSQL (started by the tests themselves
# on free ports in temporary folders). Installs nats-server first if it is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ensure_nats_server
ensure_bubblewrap
pg_bin >/dev/null
cd "$ORRERY_ROOT"
exec mvn -B verify "$@"
