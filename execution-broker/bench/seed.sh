#!/usr/bin/env bash
# Seeds live held reservations into a pool of the running local suite, straight into its
# PostgreSQL (the REST API would take minutes for 100,000), so the bench can measure offer sets
# against a calendar that already holds many. Used by Bench.java through run.sh.
#   seed.sh POOL N         adds N HELD reservations of 1 core, each 10-60 min long, starting in the
#                          next 2 hours, held for a day (owner bench-seed, purpose offer)
#   seed.sh POOL count     prints how many reservations of POOL are live now
set -euo pipefail
. "$(cd "$(dirname "$0")/../.." && pwd)/deploy/local/lib.sh"
POOL="$1"
WHAT="$2"
PSQL=("$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d execution_broker -v ON_ERROR_STOP=1 -qtA)
[ -n "$PG_PASSWORD" ] || die "no PostgreSQL password in $PG_PASSWORD_FILE: start the suite first (deploy/local/up.sh)"
export PGPASSWORD="$PG_PASSWORD"
if [ "$WHAT" = count ]; then
  "${PSQL[@]}" -c "SELECT count(*) FROM reservation WHERE pool = '$POOL' AND end_time > extract(epoch FROM now())
    AND (state = 'FIRM' OR (state = 'HELD' AND expires_at > now()))"
  exit 0
fi
[[ "$WHAT" =~ ^[0-9]+$ ]] || die "seed.sh POOL N|count"
# Bench data, not a decision: now() here only places the seeds near the wall-clock time the
# local suite runs on.
"${PSQL[@]}" -c "INSERT INTO reservation (id, pool, owner, start_time, end_time, amount, state, purpose, expires_at, created_at)
  SELECT gen_random_uuid(), '$POOL', 'bench-seed', s, s + 600 + (random() * 3000)::int, 1, 'HELD', 'offer',
         now() + interval '1 day', now()
  FROM (SELECT extract(epoch FROM now())::bigint + (random() * 7200)::int AS s FROM generate_series(1, $WHAT)) seeds"
