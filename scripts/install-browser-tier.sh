#!/usr/bin/env bash
# Installs what the real-browser tier needs and builds its pages; prints the built directory on stdout.
#   - Chromium: Debian's package (/usr/bin/chromium), installed with apt-get when missing. Never a downloaded browser
#     build: playwright-core drives this executable.
#   - Node packages (playwright-core, esbuild, livekit-client, openai, @openai/agents-realtime): `npm ci` from
#     src/test/browser/package-lock.json into a cache keyed by the lock's hash, so a warm run installs nothing.
#   - The pages: src/test/browser/pages/*.js bundled by esbuild into OUT/dist; OUT/driver.mjs runs them.
#
# Usage: scripts/install-browser-tier.sh OUT
# Env:   REALTIME_GATEWAY_CACHE  cache root (default ~/.cache/realtime-gateway); CHROMIUM (default /usr/bin/chromium)
set -euo pipefail

out="${1:?usage: $0 OUT}"
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/src/test/browser"
cache_root="${REALTIME_GATEWAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/realtime-gateway}"
chromium="${CHROMIUM:-/usr/bin/chromium}"
log() { echo "install-browser-tier: $*" >&2; }

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    log "the '$1' tool is missing; $2"
    exit 127
  fi
}

# Runs a command quietly; shows its output only when it fails (stdout is reserved for the result).
quiet() {
  local logfile
  logfile="$(mktemp)"
  if ! "$@" >"$logfile" 2>&1; then
    log "'$*' failed:"
    cat "$logfile" >&2
    rm -f "$logfile"
    exit 1
  fi
  rm -f "$logfile"
}

mkdir -p "$cache_root"
# Several worktrees on one machine: one installer at a time (apt and the shared node_modules cache).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache_root/.browser-tier.lock"
  flock 9
fi

if [[ ! -x "$chromium" ]]; then
  if [[ "$chromium" != /usr/bin/chromium ]]; then
    log "CHROMIUM=$chromium is not an executable"
    exit 127
  fi
  need apt-get "install Debian's chromium package by hand (apt-get install chromium)"
  sudo=""
  if [[ "$(id -u)" -ne 0 ]]; then
    need sudo "run as root, or install chromium by hand (apt-get install chromium)"
    sudo="sudo"
  fi
  log "Chromium is missing: installing Debian's chromium package (once)"
  quiet timeout 600 $sudo apt-get update -q
  quiet timeout 900 $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium
  [[ -x "$chromium" ]] || { log "apt-get installed chromium but $chromium is still missing"; exit 127; }
fi

need node "install Node.js 20+ (Debian: apt-get install nodejs npm)"
need npm "install npm (Debian: apt-get install npm)"
stamp="$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -c1-16)"
modules="$cache_root/browser-node_modules/$stamp"
if [[ ! -f "$modules/.complete" ]]; then
  log "installing the browser tier's npm packages into $modules (once per package-lock.json)"
  rm -rf "$modules"
  mkdir -p "$modules"
  cp "$src/package.json" "$src/package-lock.json" "$modules/"
  (cd "$modules" && quiet npm ci --no-audit --no-fund --ignore-scripts)
  touch "$modules/.complete"
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -rf "$out/pages" "$out/dist"
cp -r "$src/pages" "$out/pages"
cp "$src/driver.mjs" "$out/"
ln -sfn "$modules/node_modules" "$out/node_modules"
(cd "$out" && quiet node_modules/.bin/esbuild --bundle --format=esm --platform=browser --target=chrome120 --sourcemap \
  --log-level=warning --outdir=dist pages/*.js)
echo "$out"
