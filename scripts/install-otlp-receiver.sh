#!/usr/bin/env bash
# Builds the traces tier's OTLP/HTTP receiver (src/test/go/otlp-receiver: the official OTLP protobuf types,
# go.opentelemetry.io/proto/otlp) into a cache reused between runs, and prints the binary's path on stdout (and
# nothing else on stdout).
#
#   scripts/install-otlp-receiver.sh   -> ~/.cache/realtime-gateway/otlp-receiver-<otlp version>-<source hash>/otlp-receiver
#
# The cache key is the pinned OTLP module version plus a hash of the receiver's source and go.mod/go.sum, so an edit
# rebuilds. Environment: REALTIME_GATEWAY_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/realtime-gateway).
# Needs Go >= 1.26 (go.mod), no cgo. A cold build downloads about ten modules from the Go module proxy
# and takes under a minute; later calls return at once.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$HERE/src/test/go/otlp-receiver"
CACHE_ROOT="${REALTIME_GATEWAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/realtime-gateway}"
log() { echo "install-otlp-receiver: $*" >&2; }

OTLP_VERSION="$(sed -n 's/^[[:space:]]*go.opentelemetry.io\/proto\/otlp \(v[0-9.]*\).*/\1/p' "$SRC/go.mod" | head -n1)"
if [[ -z "$OTLP_VERSION" ]]; then
  log "FAILED: cannot read the go.opentelemetry.io/proto/otlp version from $SRC/go.mod"
  exit 4
fi
SOURCE_HASH="$(cat "$SRC/main.go" "$SRC/go.mod" "$SRC/go.sum" | sha256sum | cut -c1-12)"
DEST="$CACHE_ROOT/otlp-receiver-$OTLP_VERSION-$SOURCE_HASH"
BIN="$DEST/otlp-receiver"

if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  log "MISSING TOOL: go is not on PATH; it is needed to build the OTLP receiver of the traces tier (TracesIT). Install Go from the Go project or your package manager, or skip the tier with -Dtraces.skip=true."
  exit 3
fi

mkdir -p "$DEST"
exec 9>"$DEST/.install.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
fi
if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi
log "building the OTLP receiver (go.opentelemetry.io/proto/otlp $OTLP_VERSION) into $DEST"
start=$(date +%s)
TMP="$(mktemp "$DEST/.otlp-receiver.XXXXXX")"
# -mod=readonly: go.sum pins every module; GOTOOLCHAIN=local: build with the installed Go, never download another.
if ! (cd "$SRC" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false" go build -o "$TMP" .) >&2; then
  rm -f "$TMP"
  log "FAILED: go build in $SRC (see the output above)"
  exit 4
fi
mv -f "$TMP" "$BIN"
log "built $("$BIN" -version) in $(( $(date +%s) - start ))s"
echo "$BIN"
