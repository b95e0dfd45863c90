#!/usr/bin/env bash
# Installs livekit-server (default v1.13.5) with `go install` into a cache that is reused between runs,
# and prints the path of the binary on stdout (and nothing else on stdout).
#
#   scripts/install-livekit-server.sh            -> ~/.cache/realtime-gateway/livekit-server-v1.13.5/server
#
# Environment:
#   LIVEKIT_SERVER_VERSION   version tag to install (default v1.13.5)
#   REALTIME_GATEWAY_CACHE   cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/realtime-gateway)
#
# Needs Go >= 1.26 (livekit-server's go.mod says `go 1.26`). No cgo. A cold install takes a few
# minutes (module download + build); later calls return at once.
set -euo pipefail

VERSION="${LIVEKIT_SERVER_VERSION:-v1.13.5}"
CACHE_ROOT="${REALTIME_GATEWAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/realtime-gateway}"
DEST="$CACHE_ROOT/livekit-server-$VERSION"
BIN="$DEST/server"
WANT="${VERSION#v}"

log() { echo "install-livekit-server: $*" >&2; }

installed_version() {
  "$1" --version 2>/dev/null | sed -n 's/^livekit-server version //p' | head -n1
}

if [[ -x "$BIN" && "$(installed_version "$BIN")" == "$WANT" ]]; then
  echo "$BIN"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "MISSING TOOL: go (Go >= 1.26) is not on PATH; it is needed to build livekit-server $VERSION. Install Go 1.26+ from the Go project or your package manager, or skip the end-to-end tier with -De2e.skip=true."
  exit 3
fi
GO_VERSION="$(go env GOVERSION 2>/dev/null || true)"       # e.g. go1.26.8
if [[ ! "$GO_VERSION" =~ ^go([0-9]+)\.([0-9]+) ]]; then
  log "MISSING TOOL: cannot tell the Go version ('go env GOVERSION' said '$GO_VERSION'); Go >= 1.26 is needed."
  exit 3
fi
major="${BASH_REMATCH[1]}"; minor="${BASH_REMATCH[2]}"
if (( major < 1 || (major == 1 && minor < 26) )); then
  log "MISSING TOOL: Go >= 1.26 is needed to build livekit-server $VERSION, found $GO_VERSION. Install Go 1.26+, or skip the end-to-end tier with -De2e.skip=true."
  exit 3
fi

mkdir -p "$DEST"
# One installer at a time per cache: concurrent builds (parallel test runs) would race on the binary.
exec 9>"$DEST/.install.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
fi
if [[ -x "$BIN" && "$(installed_version "$BIN")" == "$WANT" ]]; then
  echo "$BIN"
  exit 0
fi

log "building livekit-server $VERSION with $GO_VERSION into $DEST (a cold build takes a few minutes)"
start=$(date +%s)
# GOTOOLCHAIN=local: build with the Go that is installed rather than downloading another toolchain.
TMP_BIN="$(mktemp -d "$DEST/.gobin.XXXXXX")"
if ! GOBIN="$TMP_BIN" CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
    go install "github.com/livekit/livekit-server/cmd/server@$VERSION" >&2; then
  rm -rf "$TMP_BIN"
  log "FAILED: go install github.com/livekit/livekit-server/cmd/server@$VERSION (see the output above)"
  exit 4
fi
mv -f "$TMP_BIN/server" "$BIN"
rm -rf "$TMP_BIN"
got="$(installed_version "$BIN")"
if [[ "$got" != "$WANT" ]]; then
  log "FAILED: built binary reports version '$got', expected $WANT"
  exit 4
fi
log "installed livekit-server $got in $(( $(date +%s) - start ))s"
echo "$BIN"
