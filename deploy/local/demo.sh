#!/usr/bin/env bash
# Books a short execution on the running suite (deploy/local/up.sh) and prints each of its
# states as it happens: a small analysis script and its data are served by a local HTTP
# server, staged into the session folder (checked by size and MD5), run as a local session a
# minute from now, and the session is ended. Ends when the execution is COMPLETED.
#
#   demo.sh              the analysis as a Python script, run headless
#   demo.sh --notebook   the same analysis as a Jupyter notebook, executed in a notebook session
#                        (up.sh installs Jupyter's runner); prints the executed notebook's output
#
#   ORRERY_DEMO_START_IN   seconds from now to the start of the booking's window (60; at least the
#                          ~15 s preparation needs, else the offer starts late)
#   ORRERY_BROKER_URL, ORRERY_CANFAR_URL   the services (default: up.sh's ports, ORRERY_HTTP_PORT_BASE)
#
# On a suite started with up.sh --simulated the booking asks for the earliest start on simulated
# time (the broker's clock), sessions and transfers are modelled, and the controller moves time on
# whenever the suite is idle: the booking completes in seconds.
set -euo pipefail
NOTEBOOK=0
case "${1:-}" in
  --notebook) NOTEBOOK=1;;
  "") ;;
  *) echo "usage: demo.sh [--notebook]" >&2; exit 2;;
esac
. "$(dirname "$0")/lib.sh"
BROKER="${ORRERY_BROKER_URL:-http://127.0.0.1:$HTTP_PORT_BASE}"
CANFAR="${ORRERY_CANFAR_URL:-http://127.0.0.1:$((HTTP_PORT_BASE + 2))}"
START_IN="${ORRERY_DEMO_START_IN:-60}"
[[ "$START_IN" =~ ^[0-9]+$ ]] || die "ORRERY_DEMO_START_IN must be a number of seconds, not '$START_IN'"
USER_NAME="${ORRERY_DEMO_USER:-demo}"
curl -fsS -o /dev/null "$BROKER/q/health/ready" || die "the suite is not running; start it with deploy/local/up.sh"

WORK=$(mktemp -d /tmp/orrery-demo-XXXXXX)
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
cp "$ORRERY_ROOT/deploy/local/demo/analysis.py" "$ORRERY_ROOT/deploy/local/demo/analysis.ipynb" \
   "$ORRERY_ROOT/deploy/local/demo/data.csv" "$WORK/"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$WORK" && exec python3 -m http.server "$PORT" --bind 127.0.0.1 >/dev/null 2>&1) &
SERVER_PID=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; do sleep 0.2; done

TOKEN=$("$ORRERY_ROOT/deploy/local/token.sh" "$USER_NAME")
api() { curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
size() { stat -c %s "$WORK/$1"; }
# The broker may restart under the demo (a crash, an operator): an accept whose answer was lost is
# asked again once the broker answers, and a 409 then means the first one had landed.
accept_offer() { # offer id
  local code phase tries=0
  while :; do
    code=$(curl -sS -o "$WORK/accept.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
      "$BROKER/api/v1/executions/$1/accept" 2>/dev/null) || code=000
    case "$code" in
      200) return 0 ;;
      409)
        phase=$(api "$BROKER/api/v1/executions/$1" | json 'd["phase"]')
        case "$phase" in
          OFFERED|EXPIRED|REJECTED) cat "$WORK/accept.json"; echo; die "the offer cannot be accepted ($phase)" ;;
          *) say "the accept had landed before the broker's answer was lost (now $phase)"; return 0 ;;
        esac ;;
      000|502|503|504)
        tries=$((tries + 1))
        [ "$tries" -le 60 ] || die "the broker has not answered the accept for a minute; is it running? (deploy/local/up.sh starts what is missing)"
        [ "$tries" -gt 1 ] || say "the broker did not answer the accept (restarting?); asking again every second"
        sleep 1 ;;
      *) cat "$WORK/accept.json"; echo; die "the broker refused the accept (HTTP $code)" ;;
    esac
  done
}
md5() { md5sum "$WORK/$1" | cut -d' ' -f1; }
# Prints the execution's phase changes (server-sent events) until it reaches a final phase. The
# broker may restart meanwhile, which breaks the stream: the demo connects again once the broker
# answers, and prints only the changes it has not printed yet (a new stream starts with the history).
follow() { # execution id
  local seen="$WORK/seen-events" phase tries=0
  : > "$seen"
  while :; do
    curl -sS -N -H "Authorization: Bearer $TOKEN" -H 'Accept: text/event-stream' "$BROKER/api/v1/executions/$1/events" 2>/dev/null \
      | while IFS= read -r line; do
          case "$line" in
            data:*)
              change=$(echo "${line#data:}" | json '"  %s  %-10s %s" % (d["at"], d["phase"], d.get("reason") or "")')
              grep -qxF -- "$change" "$seen" || { echo "$change"; echo "$change" >> "$seen"; } ;;
          esac
        done || true
    phase=$(api "$BROKER/api/v1/executions/$1" 2>/dev/null | json 'd["phase"]' 2>/dev/null) || phase=""
    case "$phase" in
      COMPLETED|REJECTED|EXPIRED|CANCELLED|FAILED) return 0 ;;
    esac
    tries=$((tries + 1))
    [ "$tries" -le 300 ] || die "the execution's events stopped and the broker has not answered for five minutes; is it running? (deploy/local/up.sh starts what is missing)"
    [ "$tries" -gt 1 ] || say "the event stream broke (the broker restarting?); following again as soon as it answers"
    sleep 1
  done
}

SIMULATED=0
[ "$(cat "$RUN_DIR/time-mode" 2>/dev/null)" = simulated ] && SIMULATED=1
START=$(date -u -d "+$START_IN seconds" +%Y-%m-%dT%H:%M:%SZ)
# On simulated time the wall clock says nothing about the suite's: ask for the earliest start.
WINDOW='"start": "'$START'/PT2M", '
[ "$SIMULATED" = 1 ] && WINDOW=""
if [ "$NOTEBOOK" = 1 ]; then
  EXECUTABLE='{"kind": "jupyter-notebook", "location": {"url": "http://127.0.0.1:'$PORT'/analysis.ipynb"},
   "checks": {"size": '$(size analysis.ipynb)', "md5": "'$(md5 analysis.ipynb)'"}}'
else
  EXECUTABLE='{"kind": "command", "cmd": "python3", "args": ["analysis.py", "data.csv"],
   "location": {"url": "http://127.0.0.1:'$PORT'/analysis.py"},
   "checks": {"size": '$(size analysis.py)', "md5": "'$(md5 analysis.py)'"}}'
fi
REQUEST=$(cat <<JSON
{"name": "demo",
 "executable": $EXECUTABLE,
 "resources": {"compute": [{"cores": {"min": 1, "max": 2}, "memory": {"min": 1, "max": 2}}],
   "data": [{"name": "data.csv", "location": {"url": "http://127.0.0.1:$PORT/data.csv"},
     "checks": {"size": $(size data.csv), "md5": "$(md5 data.csv)"}}]},
 "schedule": {"requested": [{${WINDOW}"duration": {"min": "PT2M", "max": "PT5M"}}]}}
JSON
)
if [ "$SIMULATED" = 1 ]; then
  say "asking for offers to start as soon as preparation allows, on simulated time"
else
  say "asking for offers to start between $START and two minutes later"
fi
OFFERS=$(api -X POST -d "$REQUEST" "$BROKER/api/v1/offersets")
[ "$(echo "$OFFERS" | json 'd["result"]')" = "YES" ] || { echo "$OFFERS"; die "no offer"; }
echo "$OFFERS" | json '"\n".join("  offer %s: start %s for %s on %d cores (preparing from %s)" % (o["id"], o["schedule"]["executing"]["start"], o["schedule"]["executing"]["duration"], o["compute"]["cores"], o["schedule"]["preparing"]["start"]) for o in d["offers"])'
OFFER=$(echo "$OFFERS" | json 'd["offers"][0]["id"]')
say "accepting $OFFER"
accept_offer "$OFFER"

say "following the execution (server-sent events):"
follow "$OFFER"

FINAL=$(api "$BROKER/api/v1/executions/$OFFER")
PHASE=$(echo "$FINAL" | json 'd["phase"]')
SESSION=$(echo "$FINAL" | json '(d.get("session") or {}).get("id","")')
if [ -n "$SESSION" ]; then
  say "what the session printed:"
  curl -fsS -H "Authorization: Bearer $TOKEN" "$CANFAR/api/v1/sessions/$SESSION/logs" | sed 's/^/  /' || true
fi
say "staged in $RUN_DIR/storage/home/$USER_NAME/broker/$OFFER:"
ls -l "$RUN_DIR/storage/home/$USER_NAME/broker/$OFFER" 2>/dev/null | tail -n +2 | sed 's/^/  /' || true
EXECUTED="$RUN_DIR/storage/home/$USER_NAME/broker/$OFFER/analysis-executed.ipynb"
if [ "$NOTEBOOK" = 1 ] && [ "$SIMULATED" = 0 ] && [ -f "$EXECUTED" ]; then
  say "what the executed notebook printed ($EXECUTED):"
  python3 -c 'import json,sys
for cell in json.load(open(sys.argv[1]))["cells"]:
    for out in cell.get("outputs", []):
        sys.stdout.write("".join(out.get("text", "")))' "$EXECUTED" | sed 's/^/  /'
fi
[ "$PHASE" = "COMPLETED" ] || die "the execution ended $PHASE: $(echo "$FINAL" | json 'd.get("reason")')"
say "the execution is COMPLETED"
