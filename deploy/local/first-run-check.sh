#!/usr/bin/env bash
# The first run anywhere, as a new user meets it: clones this checkout into a fresh folder only
# its owner may enter (0700, as mktemp makes it and as /root is), runs up.sh there, books the demo
# both as a script and as a notebook, and stops the suite again. Exits non-zero at the first step
# that fails. Takes several minutes (a full build of the clone), so CI does not run it; run it
# before a release and after changing up.sh, demo.sh or lib.sh. The ports are up.sh's own: stop a
# suite you run yourself first (deploy/local/down.sh).
set -euo pipefail
SOURCE="$(cd "$(dirname "$0")/../.." && pwd)"
PARENT=$(mktemp -d /tmp/orrery-first-run-XXXXXX)   # 0700
trap 'cd /; [ -x "$PARENT/orrery/deploy/local/down.sh" ] && "$PARENT/orrery/deploy/local/down.sh" >/dev/null 2>&1; rm -rf "$PARENT"' EXIT
echo "==> cloning into $PARENT/orrery ($(stat -c %a "$PARENT"))"
git clone -q "$SOURCE" "$PARENT/orrery"
cd "$PARENT/orrery"
echo "==> deploy/local/up.sh"
deploy/local/up.sh >"$PARENT/up.log" 2>&1 || { tail -20 "$PARENT/up.log"; echo "FAILED: up.sh"; exit 1; }
echo "==> deploy/local/demo.sh"
deploy/local/demo.sh >"$PARENT/demo.log" 2>&1 || { tail -20 "$PARENT/demo.log"; echo "FAILED: demo.sh"; exit 1; }
grep -q "mean flux" "$PARENT/demo.log" || { echo "FAILED: the demo printed no result"; exit 1; }
echo "==> deploy/local/demo.sh --notebook"
deploy/local/demo.sh --notebook >"$PARENT/notebook.log" 2>&1 || { tail -20 "$PARENT/notebook.log"; echo "FAILED: demo.sh --notebook"; exit 1; }
grep -q "what the executed notebook printed" "$PARENT/notebook.log" && grep -q "mean flux" "$PARENT/notebook.log" \
  || { echo "FAILED: the notebook printed no result"; exit 1; }
echo "==> deploy/local/down.sh"
deploy/local/down.sh >/dev/null
echo "first run: up.sh, demo.sh and demo.sh --notebook all worked from a 0700 folder"
