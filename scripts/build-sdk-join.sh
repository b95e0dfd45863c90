#!/usr/bin/env bash
# Builds the SDK-join fixture (src/test/go/sdkjoin: server-sdk-go ConnectToRoomWithToken) into the
# cache and prints the binary's path on stdout. The cache entry is keyed by the fixture's sources,
# so an edit rebuilds it and an unchanged fixture is reused.
#
# Environment: REALTIME_GATEWAY_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/realtime-gateway).
# Needs Go >= 1.26 (server-sdk-go's go.mod); no cgo.
set -euo pipefail

SRC="$(cd "$(dirname "$0")/../src/test/go/sdkjoin" && pwd)"
CACHE_ROOT="${REALTIME_GATEWAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/realtime-gateway}"
log() { echo "build-sdk-join: $*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  log "MISSING TOOL: go (Go >= 1.26) is not on PATH; it is needed to build the LiveKit SDK fixture. Install Go 1.26+, or skip the end-to-end tier with -De2e.skip=true."
  exit 3
fi
GO_VERSION="$(go env GOVERSION 2>/dev/null || true)"
if [[ ! "$GO_VERSION" =~ ^go([0-9]+)\.([0-9]+) ]] || (( BASH_REMATCH[1] == 1 && BASH_REMATCH[2] < 26 )); then
  log "MISSING TOOL: Go >= 1.26 is needed to build the LiveKit SDK fixture, found '$GO_VERSION'."
  exit 3
fi

hash="$(cat "$SRC/go.mod" "$SRC/go.sum" "$SRC"/*.go | sha256sum | cut -c1-12)"
DEST="$CACHE_ROOT/sdkjoin-$hash"
BIN="$DEST/sdkjoin"
if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi
mkdir -p "$DEST"
exec 9>"$DEST/.build.lock"
command -v flock >/dev/null 2>&1 && flock 9
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi

log "building $SRC with $GO_VERSION into $DEST (a cold build downloads server-sdk-go and takes a minute or more)"
start=$(date +%s)
tmp="$DEST/.sdkjoin.tmp.$$"
( cd "$SRC" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -buildvcs=false -mod=readonly" go build -o "$tmp" . ) >&2 \
  || { rm -f "$tmp"; log "FAILED: go build of $SRC (see the output above)"; exit 4; }
mv -f "$tmp" "$BIN"
log "built in $(( $(date +%s) - start ))s"
echo "$BIN"
