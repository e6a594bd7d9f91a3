#!/usr/bin/env bash
# Checks Orrery's Kubernetes manifests without a cluster:
#   1. tools/validate.py on the source tree: YAML parses, kustomizations name existing files,
#      no secret value is committed; then renders base/ and every overlay with kustomize;
#   2. tools/validate.py on each rendering: structure, security, references, scaling rules, and that every
#      environment variable a container gets is one its service reads;
#   3. tools/schema: every core Kubernetes object against the API schemas (unknown fields too);
#   4. nats-server -t on each rendering's NATS configuration (nats.conf with the users.conf it
#      includes), when nats-server is installed.
# Operator-made files (secrets.env, jwt-public.pem) are stood in for by their examples in a
# scratch copy; the tree itself is not touched.
#
#   deploy/k8s/validate.sh                  all checks
#   deploy/k8s/validate.sh --no-schema      skip 3 (no Node.js / npm registry at hand)
#   deploy/k8s/validate.sh --crds FILE      also check CloudNativePG resources against its CRDs
#                                           (e.g. the operator's release manifest cnpg-1.27.0.yaml)
set -euo pipefail

K8S="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$K8S/../.." && pwd)"
schema=1
crds=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-schema) schema=0 ;;
    --crds) crds="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# --- Tools -----------------------------------------------------------------------------------
if command -v kustomize >/dev/null 2>&1; then
  render() { kustomize build "$1"; }
  say "kustomize: $(kustomize version 2>/dev/null | head -n 1)"
elif command -v kubectl >/dev/null 2>&1; then
  render() { kubectl kustomize "$1"; }
  say "kustomize: kubectl's built-in $(kubectl version --client 2>/dev/null | grep -i kustomize || echo '(version unknown)')"
else
  die "neither kustomize nor kubectl is installed; install kubectl (it includes kustomize) and run this again"
fi

PYTHON=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then
    PYTHON="$candidate"
    break
  fi
done
[ -n "$PYTHON" ] || die "python3 with PyYAML is needed (Debian: apt-get install -y python3-yaml)"

# --- The operator's own secrets files, where they exist ----------------------------------------
# Every NATS user's password (the keys ORRERY_NATS_PASSWORD_* of secrets.example.env) must be set.
for file in "$K8S"/overlays/*/secrets.env; do
  [ -f "$file" ] || continue
  for key in $(grep -Eo '^ORRERY_NATS_PASSWORD_[A-Z_]+' "$(dirname "$file")/secrets.example.env"); do
    grep -Eq "^$key=.+" "$file" \
      || die "${file#"$K8S"/}: $key is empty (make one: echo \"n\$(openssl rand -hex 24)\")"
    # nats-server reads the value as a configuration value: "58e1..." or "12k..." would be numbers.
    grep -Eq "^$key=[A-Za-z][A-Za-z0-9]*$" "$file" \
      || die "${file#"$K8S"/}: $key must be a letter followed by letters and digits (nats-server reads it as a configuration value; make one: echo \"n\$(openssl rand -hex 24)\")"
  done
done

# --- A scratch copy with the operator's files stood in for -----------------------------------
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/k8s" "$work/json"
tar -C "$K8S" --exclude=node_modules -cf - . | tar -C "$work/k8s" -xf -
for overlay in "$work"/k8s/overlays/*/; do
  [ -f "$overlay/secrets.env" ] || cp "$overlay/secrets.example.env" "$overlay/secrets.env"
  if [ ! -f "$overlay/jwt-public.pem" ]; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null | openssl pkey -pubout -out "$overlay/jwt-public.pem"
  fi
done

# --- 1. The source tree, then each rendering ------------------------------------------------
say "source tree (tools/validate.py)"
"$PYTHON" "$K8S/tools/validate.py" --repo "$REPO" --k8s "$K8S"

# --- Render -------------------------------------------------------------------------------
rendered=()
for dir in "$work/k8s/base" "$work"/k8s/overlays/*; do
  [ -f "$dir/kustomization.yaml" ] || continue
  target="${dir#"$work"/k8s/}"
  label="${target#overlays/}"
  if ! render "$dir" >"$work/$label.yaml" 2>"$work/$label.err"; then
    cat "$work/$label.err" >&2
    die "kustomize could not render $target"
  fi
  say "rendered $target: $(grep -c '^kind:' "$work/$label.yaml") objects"
  # The base is rendered only to prove it builds; overlays are what gets applied.
  [ "$label" = base ] || rendered+=(--rendered "$label=$work/$label.yaml")
done

# --- 2. Structure and configuration ----------------------------------------------------------
say "structure and configuration (tools/validate.py)"
args=(--repo "$REPO" --k8s "$K8S" --skip-sources --json-dir "$work/json" "${rendered[@]}")
[ -z "$crds" ] || args+=(--crds "$crds")
"$PYTHON" "$K8S/tools/validate.py" "${args[@]}"

# --- 3. Kubernetes API schemas ----------------------------------------------------------------
if [ "$schema" = 1 ]; then
  say "Kubernetes API schemas (tools/schema)"
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
    || die "Node.js and npm are needed for the schema check (or pass --no-schema)"
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/orrery-k8s-schema"
  mkdir -p "$cache"
  if ! cmp -s "$K8S/tools/schema/package-lock.json" "$cache/package-lock.json" || [ ! -d "$cache/node_modules" ]; then
    cp "$K8S/tools/schema/package.json" "$K8S/tools/schema/package-lock.json" "$cache/"
    (cd "$cache" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) \
      || die "npm could not install the schema packages into $cache (or pass --no-schema)"
  fi
  cp "$K8S/tools/schema/check-schemas.mjs" "$cache/"
  for json in "$work"/json/*.json; do
    node "$cache/check-schemas.mjs" "$json" "$(basename "$json" .json)"
  done
else
  say "Kubernetes API schemas: skipped (--no-schema)"
fi

# --- 4. NATS configuration ---------------------------------------------------------------------
# Each rendering's nats-config ConfigMap (nats.conf and the users.conf it includes), as the pods get it.
nats_bin="$(command -v nats-server 2>/dev/null || { [ -x /usr/sbin/nats-server ] && echo /usr/sbin/nats-server; } || true)"
if [ -n "$nats_bin" ]; then
  say "NATS configuration ($("$nats_bin" --version))"
  for rendering in "$work"/*.yaml; do
    label="$(basename "$rendering" .yaml)"
    mkdir -p "$work/nats-$label"
    "$PYTHON" - "$rendering" "$work/nats-$label" <<'PY'
import sys, yaml
rendering, folder = sys.argv[1:]
cm = next(d for d in yaml.safe_load_all(open(rendering)) if d and d.get("kind") == "ConfigMap"
          and d["metadata"]["name"].startswith("nats-config"))
for name, text in cm["data"].items():
    open(f"{folder}/{name}", "w").write(text)
PY
    # Stand-ins for the variables the configuration names (the pod's SERVER_NAME and passwords).
    stand_ins=(SERVER_NAME=nats-0)
    for variable in $(cat "$work/nats-$label"/*.conf | grep -Eo '\$[A-Z][A-Z0-9_]*' | tr -d '$' | sort -u); do
      stand_ins+=("$variable=stand-in")
    done
    env "${stand_ins[@]}" "$nats_bin" -t -c "$work/nats-$label/nats.conf" >/dev/null 2>"$work/nats.err" \
      || { cat "$work/nats.err" >&2; die "the nats-config of $label is not a valid NATS configuration"; }
    echo "  $label: nats.conf and $(ls "$work/nats-$label" | grep -vc '^nats.conf$') included file(s) valid"
  done
else
  say "NATS configuration: skipped (nats-server is not installed)"
fi

if grep -rqs 'example\.org' "$K8S"/overlays/prod/*.yaml "$K8S"/overlays/prod/*.env; then
  echo "  note: overlays/prod still names example.org: set your registry and identity provider before applying"
fi
say "all checks passed"
