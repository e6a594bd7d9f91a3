#!/usr/bin/env bash
# Prints a development JWT for the local suite, signed with the key up.sh made in .run/jwt/.
#   TOKEN=$(deploy/local/token.sh alice)          # a user
#   TOKEN=$(deploy/local/token.sh root admin)     # an admin (may define pools)
#   curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/pools
# Valid for 12 hours. Never use these keys outside a laptop.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
user="${1:?usage: token.sh <user> [group ...]}"
shift
key="$RUN_DIR/jwt/private.pem"
[ -f "$key" ] || die "no signing key at $key; run deploy/local/up.sh first"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
groups=$(printf '"%s",' "user" "$@"); groups="[${groups%,}]"
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"https://orrery.local/issuer","aud":"orrery","sub":"%s","upn":"%s","groups":%s,"iat":%d,"exp":%d}' \
  "$user" "$user" "$groups" "$now" "$((now + 43200))" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
