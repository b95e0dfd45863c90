#!/usr/bin/env bash
# Installs the official OpenAI SDK test clients (openai-python in a venv, openai-node via `npm ci`) into a
# cache directory, and prints that directory on stdout. Called by the SDK client tests themselves, so
# `./mvnw verify` works on a clean machine. Re-runs are cheap: each part is reinstalled only when its pinned
# manifest (requirements.txt, package-lock.json) changed.
#
# Usage: scripts/install-sdk-clients.sh [python|node|fuzz|live|agents|all]   (default all: python and node; live: GPT-Live's)
#        agents: livekit-agents, livekit-plugins-openai and the livekit rtc SDK (e2e/AgentsIT)
# Env:   REALTIME_GATEWAY_CACHE  cache root (default ~/.cache/realtime-gateway)
set -euo pipefail

part="${1:-all}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${REALTIME_GATEWAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/realtime-gateway}/sdk-clients"
mkdir -p "$cache"
# Concurrent test runs (several worktrees, one machine) must not install into the same directory at once.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.lock"
  flock 9
fi

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "install-sdk-clients: the '$1' tool is missing; $2" >&2
    exit 127
  fi
}

# Runs a command quietly; shows its output only when it fails (stdout is reserved for the cache path).
quiet() {
  local log
  log="$(mktemp)"
  if ! "$@" >"$log" 2>&1; then
    echo "install-sdk-clients: '$*' failed:" >&2
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
}

stamp_of() { sha256sum "$@" | sha256sum | cut -c1-16; }

# A venv at $cache/$2 with the pinned requirements of $1, rebuilt only when they changed; $3 is a tool it must hold.
install_venv() {
  need python3 "install Python 3.9+ with the venv module (Debian: apt-get install python3 python3-venv)"
  local src="$1" dir="$cache/$2" tool="$3"
  local stamp
  stamp="$(stamp_of "$src/requirements.txt")"
  if [[ ! -x "$dir/venv/bin/$tool" || "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    quiet python3 -m venv "$dir/venv"
    quiet "$dir/venv/bin/pip" install --disable-pip-version-check --no-input -r "$src/requirements.txt"
    echo "$stamp" >"$dir/.stamp"
  fi
  cp "$src"/*.py "$dir/"
}

install_python() { install_venv "$root/src/test/python" python python; }

install_fuzz() { install_venv "$root/src/test/python/fuzz" fuzz schemathesis; }

# Keyed by the pins: a changed requirements.txt reinstalls it (install_venv's stamp).
install_agents() { install_venv "$root/src/test/python/agents" agents python; }

install_node() { install_node_dir "$root/src/test/node" node; }

# GPT-Live's clients: SDK releases that ship client.live, pinned apart so the Realtime clients keep their own.
install_live() {
  install_venv "$root/src/test/python/live" python-live python
  install_node_dir "$root/src/test/node/live" node-live
}

# node_modules at $cache/$2 from the pinned package-lock.json of $1, reinstalled only when it changed.
install_node_dir() {
  need node "install Node.js 20+ (Debian: apt-get install nodejs npm)"
  need npm "install npm (Debian: apt-get install npm)"
  local src="$1" dir="$cache/$2"
  local stamp
  stamp="$(stamp_of "$src/package.json" "$src/package-lock.json")"
  if [[ ! -d "$dir/node_modules/openai" || "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$src/package.json" "$src/package-lock.json" "$dir/"
    (cd "$dir" && quiet npm ci --no-audit --no-fund --ignore-scripts)
    echo "$stamp" >"$dir/.stamp"
  fi
  cp "$src"/*.mjs "$dir/"
}

case "$part" in
  python) install_python ;;
  node) install_node ;;
  fuzz) install_fuzz ;;
  live) install_live ;;
  agents) install_agents ;;
  all) install_python; install_node ;;
  *) echo "usage: $0 [python|node|fuzz|live|agents|all]" >&2; exit 64 ;;
esac
echo "$cache"
