#!/usr/bin/env bash
# Makes sure redis-server 7+ is installed (Debian's package, 7.0 on bookworm) and prints its path on stdout
# (and nothing else on stdout). Used by the state tests, which start their own redis-server on a free loopback
# port: the system service is never used (and need not run).
#
#   scripts/install-redis-server.sh    -> /usr/bin/redis-server
#
# Installs with apt-get (as root, or with sudo) when missing or older than 7. Other systems: install Redis 7
# yourself and put redis-server on PATH.
set -euo pipefail

log() { echo "install-redis-server: $*" >&2; }

major_of() {
  "$1" --version 2>/dev/null | sed -n 's/.* v=\([0-9][0-9]*\)\..*/\1/p' | head -n1
}

found="$(command -v redis-server || true)"
if [[ -n "$found" && "$(major_of "$found")" -ge 7 ]] 2>/dev/null; then
  echo "$found"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  log "MISSING TOOL: redis-server 7+ is not on PATH and apt-get is not available to install it. Install Redis 7 (e.g. your package manager's redis-server) and put redis-server on PATH."
  exit 3
fi
sudo=""
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    log "MISSING TOOL: redis-server 7+ is not installed and installing it needs root (no sudo here): apt-get install redis-server"
    exit 3
  fi
  sudo="sudo -n"
fi

log "installing redis-server with apt-get (Debian package)"
# Other agents or builds may hold the dpkg lock for a while: wait for it rather than fail.
export DEBIAN_FRONTEND=noninteractive
if ! timeout 900 $sudo apt-get -o DPkg::Lock::Timeout=600 update -q >&2 \
    || ! timeout 900 $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends redis-server >&2; then
  log "FAILED: apt-get install redis-server (see the output above)"
  exit 4
fi
found="$(command -v redis-server || true)"
if [[ -z "$found" || "$(major_of "$found")" -lt 7 ]] 2>/dev/null; then
  log "FAILED: after apt-get, redis-server is '${found:-missing}' ($("${found:-true}" --version 2>/dev/null || true)); Redis 7+ is needed"
  exit 4
fi
log "installed $("$found" --version)"
echo "$found"
