#!/usr/bin/env bash
# Benchmarks: the gateway (packaged jar, prod profile, offline checks, api-key auth) and its native executable side by
# side with reference implementations written the way their users write them, in one run on this machine.
#
#   bench/run.sh            full run (about 25-30 minutes on 2 CPUs, 5 more with the native executable); writes bench/results/latest.md
#   BENCH_QUICK=1 bench/run.sh   small N and short windows, for trying the harness (writes bench/work/quick.md)
#   BENCH_SECTIONS="token relay" bench/run.sh   only some sections (token idle relay console slowread admit calls startup)
#   BENCH_TRACING=1 BENCH_SECTIONS=relay bench/run.sh   the relay with traces on (OTLP to a local receiver), to compare CPU per message
#
# Installs what it needs from a clean clone: Debian's wrk and redis-server (apt-get), the Node references'
# packages (npm ci from the lockfile, into bench/node/node_modules), the Go load generator (go build), and the
# gateway's bench build, once per run: ./mvnw package with the build property gateway.bench.static-endpoint=true (the
# only build with POST /bench/static, the server's ceiling), into target/bench-app so target/quarkus-app, which the
# images copy, stays the product's (BENCH_JAR=path measures another jar, without the static row if it lacks the endpoint).
# The native executable (token, idle, relay, startup) is built the same way once when GRAALVM_HOME is set (Mandrel 25 or
# GraalVM 25), or BENCH_NATIVE=path/to/the-runner measures that one; without either the report says it is not measured.
# All traffic stays on 127.0.0.1; every load loop is bounded in count and time.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$BENCH/work
RUN=$WORK/run-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN"

QUICK=${BENCH_QUICK:-0}
if [[ $QUICK == 1 ]]; then
  RELAY_NS=${BENCH_RELAY_NS:-"1 20"}; IDLE_N=${BENCH_IDLE_N:-100}; DUR=${BENCH_DURATION:-3}; WARMUP=${BENCH_WARMUP:-1}
  STARTUP_REPS=${BENCH_STARTUP_REPS:-2}; ROUNDS=${BENCH_ROUNDS:-2}; CONSOLE_N=${BENCH_CONSOLE_N:-20}; ADMIT_N=${BENCH_ADMIT_N:-60}; ADMIT_SEQ_N=${BENCH_ADMIT_SEQ_N:-60}
  CALLS_N=${BENCH_CALLS_N:-40}; REPORT=${BENCH_REPORT:-$WORK/quick.md}
else
  RELAY_NS=${BENCH_RELAY_NS:-"1 100 500"}; IDLE_N=${BENCH_IDLE_N:-1000}; DUR=${BENCH_DURATION:-10}; WARMUP=${BENCH_WARMUP:-3}
  STARTUP_REPS=${BENCH_STARTUP_REPS:-9}; ROUNDS=${BENCH_ROUNDS:-3}; CONSOLE_N=${BENCH_CONSOLE_N:-100}; ADMIT_N=${BENCH_ADMIT_N:-400}; ADMIT_SEQ_N=${BENCH_ADMIT_SEQ_N:-600}
  CALLS_N=${BENCH_CALLS_N:-300}; REPORT=${BENCH_REPORT:-$BENCH/results/latest.md}
fi
SECTIONS=" ${BENCH_SECTIONS:-token idle relay console slowread admit calls startup} "
want() { [[ $SECTIONS == *" $1 "* ]]; }
TOKEN_CONNECTIONS=${BENCH_TOKEN_CONNECTIONS:-"1 16 64"} # throughput at these concurrencies (wrk -c); the last one gets $ROUNDS rounds
TOKEN_RATE=${BENCH_TOKEN_RATE:-1000}               # fixed request rate for latency (open loop)
TOKEN_WARMUP=${BENCH_TOKEN_WARMUP:-$((WARMUP * 10))} # C2 needs 20-30 s of this load on a busy 2-CPU machine (every server gets it)
RELAY_WARMUP=${BENCH_RELAY_WARMUP:-$((WARMUP * 5))} # one unmeasured relay run per relay before the measured ones
SLOW_N=${BENCH_SLOW_N:-10}; SLOW_RATE=${BENCH_SLOW_RATE:-50}; SLOW_HOLD=${BENCH_SLOW_HOLD:-$((DUR < 8 ? DUR + 2 : 8))}
MSG_RATE=50                                         # 20 ms audio chunks per second per session
STARTUP_IDLE=1s                                     # startup: RSS is read this long after ready, with no request
MODEL=gpt-realtime

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
for tool in java node npm go curl; do
  command -v "$tool" >/dev/null || die "missing tool: $tool (install it; the benchmark needs java 17+, node 20+, npm, go, curl)"
done
command -v jcmd >/dev/null || die "missing tool: jcmd (part of the JDK; install a full JDK, not a JRE)"
MISSING=()
command -v wrk >/dev/null || MISSING+=(wrk)
command -v redis-server >/dev/null || MISSING+=(redis-server)
if (( ${#MISSING[@]} )); then
  log "installing ${MISSING[*]} (Debian packages)"
  SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${MISSING[@]}"; } >"$RUN/apt.log" 2>&1 \
    || die "could not install ${MISSING[*]} with apt-get (see $RUN/apt.log)"
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) >= 4 * IDLE_N )) || die "open-file limit $(ulimit -n) is too low for $IDLE_N sessions"

log "building the load generator (go build)"
(cd "$BENCH/loadgen" && go build -o "$WORK/loadgen" .) || die "go build failed"
LG=$WORK/loadgen

log "installing the Node references' packages (npm ci)"
if [[ ! -d $BENCH/node/node_modules || $BENCH/node/package-lock.json -nt $BENCH/node/node_modules ]]; then
  (cd "$BENCH/node" && npm ci --no-audit --no-fund --loglevel=error) >"$RUN/npm.log" 2>&1 || die "npm ci failed (see $RUN/npm.log)"
fi

# The bench build: the build property adds the static endpoint at package time (no runtime setting can); its own
# output directory keeps the product's target/quarkus-app and target/*-runner out of it.
BENCH_BUILD=(-DskipTests -Dgateway.bench.static-endpoint=true)
# The native executable first, then the jar from the same sources; the executable is copied into this run's folder.
NATIVE= NATIVE_SRC= NATIVE_FROM= NATIVE_WHY=
if [[ -n ${BENCH_NATIVE:-} ]]; then
  [[ -f $BENCH_NATIVE && -x $BENCH_NATIVE ]] || die "BENCH_NATIVE=$BENCH_NATIVE is not an executable file"
  NATIVE_SRC=$(realpath "$BENCH_NATIVE"); NATIVE_FROM="BENCH_NATIVE=$BENCH_NATIVE"
elif [[ -n ${GRAALVM_HOME:-} ]]; then
  log "building the native executable (./mvnw package -Dnative, GRAALVM_HOME=$GRAALVM_HOME; several minutes and about 3 GB)"
  rm -rf "$ROOT/target/bench-native"
  (cd "$ROOT" && ./mvnw -B -q package -Dnative "${BENCH_BUILD[@]}" -Dquarkus.package.output-directory=bench-native) >"$RUN/mvn-native.log" 2>&1 \
    || die "native build failed (see $RUN/mvn-native.log)"
  NATIVE_SRC=$(ls -t "$ROOT"/target/bench-native/*-runner 2>/dev/null | head -n 1 || true)
  [[ -n $NATIVE_SRC ]] || die "the native build wrote no target/bench-native/*-runner (see $RUN/mvn-native.log)"
  NATIVE_FROM="built by this run from commit $(git -C "$ROOT" rev-parse --short HEAD) with $("$GRAALVM_HOME/bin/native-image" --version 2>/dev/null | head -n 1)"
else
  NATIVE_WHY="GRAALVM_HOME not set"
  log "native: not measured: $NATIVE_WHY (set it, or BENCH_NATIVE=path/to/the-runner); the JVM only"
fi
if [[ -n $NATIVE_SRC ]]; then
  NATIVE=$RUN/gateway-runner; cp "$NATIVE_SRC" "$NATIVE"
  # The shared libraries it finds beside itself (RUNPATH $ORIGIN, $ORIGIN/lib) come along, in the same layout.
  NATIVE_DIR=$(dirname "$NATIVE_SRC")
  while read -r lib; do
    rel=${lib#"$NATIVE_DIR"/}; mkdir -p "$RUN/$(dirname "$rel")"; cp "$lib" "$RUN/$rel"
  done < <(ldd "$NATIVE_SRC" 2>/dev/null | awk -v d="$NATIVE_DIR/" '$2 == "=>" && index($3, d) == 1 { print $3 }')
  NATIVE_LDD=$(ldd "$NATIVE" 2>&1 || true)
  [[ $NATIVE_LDD != *"not found"* ]] \
    || die "$NATIVE misses shared libraries (ldd): an executable that loads the JDK's JNI libraries needs GRAALVM_HOME/lib/svm/jdk-shared/lib*.so next to it or in ./lib"
  # Which JDK JNI libraries the executable loads at run time (this machine's toolchain) rather than links (Mandrel).
  NATIVE_JNI=$(awk '$1 ~ /^lib(java|net|nio|zip|extnet|management_ext|jvm)\.so$/ { print $1, $3 }' <<<"$NATIVE_LDD")
  NATIVE_VM=$(grep -a -o -m 1 'com\.oracle\.svm\.core\.VM=[A-Za-z0-9._+-]*' "$NATIVE" | head -n 1 | cut -d= -f2 || true)
fi

JAR=${BENCH_JAR:-$ROOT/target/bench-app/quarkus-run.jar}
if [[ -n ${BENCH_JAR:-} ]]; then
  [[ -f $JAR ]] || die "BENCH_JAR=$JAR does not exist"
else
  log "building the gateway's bench build (./mvnw package -Dgateway.bench.static-endpoint=true, into target/bench-app)"
  rm -rf "$ROOT/target/bench-app"
  (cd "$ROOT" && ./mvnw -B -q package "${BENCH_BUILD[@]}" -Dquarkus.package.output-directory=bench-app) >"$RUN/mvn.log" 2>&1 \
    || die "gateway build failed (see $RUN/mvn.log)"
  [[ -f $JAR ]] || die "the bench build wrote no $JAR (see $RUN/mvn.log)"
fi

# ---------------------------------------------------------------- processes
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
stop() { local p; for p in "$@"; do kill "$p" 2>/dev/null || true; done; for p in "$@"; do wait "$p" 2>/dev/null || true; done; }

secret() { printf 'k%s' "$(od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n')"; } # 2n+1 characters, never all digits
LK_KEY=APIbench$(secret 4)
LK_SECRET=$(secret 20)
CALLER_KEY=$(secret 20)
ADMIN_KEY=$(secret 20)
OPENAI_KEY=sk-proj-$(secret 24)
TICKET_SECRET=$(secret 24)
TOKEN_BODY='{"room_name":"bench-room","participant_identity":"bench-user","participant_name":"Bench User"}'

wait_http() { # url, seconds, [any]: wait until the URL answers (200 + "UP", or any HTTP status)
  local url=$1 deadline=$((SECONDS + $2)) code
  while (( SECONDS < deadline )); do
    code=$(curl -s -o "$RUN/wait.body" -w '%{http_code}' "$url" 2>/dev/null || true)
    if [[ ${3:-} == any ]]; then
      if [[ $code != 000 ]]; then return 0; fi
    elif [[ $code == 200 ]] && grep -q UP "$RUN/wait.body"; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# The gateway's environment: prod profile (the jar's default), offline checks, api-key auth, an admin key (the console),
# caps raised, the rate limits and the per-address connection limit off for the runs (one caller mints every session's ticket,
# every client is on loopback). Extra NAME=value pairs
# after the two ports are appended (they win: env takes the last value of a name).
gateway_env() {
  GW_ENV=(LIVEKIT_URL=ws://127.0.0.1:7880 LIVEKIT_API_KEY="$LK_KEY" LIVEKIT_API_SECRET="$LK_SECRET"
    OPENAI_API_KEY="$OPENAI_KEY" OPENAI_BASE_URL="http://127.0.0.1:$ECHO_PORT/v1"
    GATEWAY_PREFLIGHT_ONLINE=false GATEWAY_AUTH_MODE=api-key GATEWAY_AUTH_API_KEYS="$CALLER_KEY" GATEWAY_ADMIN_API_KEYS="$ADMIN_KEY"
    GATEWAY_REALTIME_TICKET_SECRET="$TICKET_SECRET" GATEWAY_REALTIME_MODELS="$MODEL"
    GATEWAY_REALTIME_MAX_SESSIONS=$((IDLE_N * 2)) GATEWAY_REALTIME_MAX_SESSIONS_PER_IDENTITY=$((IDLE_N * 2))
    GATEWAY_RATE_LIMIT_TOKENS_PER_MINUTE=0 GATEWAY_RATE_LIMIT_TICKETS_PER_MINUTE=0
    GATEWAY_REALTIME_IDLE_TIMEOUT=10m GATEWAY_HTTP_MAX_CONNECTIONS_PER_ADDRESS=0 QUARKUS_HTTP_HOST=127.0.0.1 PORT="$1"
    QUARKUS_MANAGEMENT_HOST=127.0.0.1 GATEWAY_MANAGEMENT_PORT="$2" "${@:3}") # health is on the management port
}
launcher() { # jvm|jvm-appcds|native: sets LAUNCH to the command that runs the gateway
  case $1 in
    jvm) LAUNCH=(java ${BENCH_JAVA_OPTS:-} -jar "$JAR") ;;
    jvm-appcds) LAUNCH=(java $GW_JAVA_OPTS -XX:SharedArchiveFile="$RUN/app-cds.jsa" -jar "$JAR") ;; # the startup section's archive
    native) LAUNCH=("$NATIVE") ;;
    *) die "launcher: $1" ;;
  esac
}
start_gateway() { # jvm|native name port mgmt [NAME=value...]: starts a gateway, sets LAST_PID, waits until ready
  local name=$2; gateway_env "${@:3}"; launcher "$1"
  env "${GW_ENV[@]}" "${LAUNCH[@]}" >"$RUN/gateway-$name.log" 2>&1 & # env execs it: $! is the JVM or the executable
  LAST_PID=$!; PIDS+=($LAST_PID)
  local deadline=$((SECONDS + 60))
  while (( SECONDS < deadline )); do # health is on the management port; a jar from before it existed answers on the main port
    wait_http "http://127.0.0.1:$4/q/health/ready" 1 && return 0
    wait_http "http://127.0.0.1:$3/q/health/ready" 1 && return 0
  done
  die "gateway $name not ready (see $RUN/gateway-$name.log)"
}

log "starting the echo upstream, the gateways and the Node references"
"$LG" echo -port-file "$RUN/echo.port" -max-life 60m 2>"$RUN/echo.log" &
PIDS+=($!); ECHO_PID=$!
for _ in $(seq 50); do [[ -s $RUN/echo.port ]] && break; sleep 0.1; done
ECHO_PORT=$(cat "$RUN/echo.port")

# Gateway B: the same, with the token rate limit on (a limit no run reaches, so every request pays for the check).
# Started first: its token response's size is the static endpoint's body size on gateway A.
if want token; then
  GB_PORT=$("$LG" freeport); GB_MGMT=$("$LG" freeport)
  start_gateway jvm ratelimited "$GB_PORT" "$GB_MGMT" GATEWAY_RATE_LIMIT_TOKENS_PER_MINUTE=1000000000; GB_PID=$LAST_PID
  STATIC_BYTES=$(curl -s -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $CALLER_KEY" -d "$TOKEN_BODY" \
    "http://127.0.0.1:$GB_PORT/api/livekit/token" | wc -c)
else
  STATIC_BYTES=512
fi
# Gateway A, the one measured everywhere: memory state, plus the bench build's static endpoint, its body the token response's size.
GW_PORT=$("$LG" freeport); GW_MGMT=$("$LG" freeport)
GA_ENV=(GATEWAY_BENCH_STATIC_BODY_BYTES="$STATIC_BYTES")
# BENCH_TRACING=1: gateway A (and N) with traces on, exported over OTLP/HTTP to a real receiver on loopback
# (scripts/install-otlp-receiver.sh, the traces tier's), so a run compares the relay's CPU per message with tracing
# on against a run without it. The receiver only appends what it gets to $RUN/spans.jsonl.
if [[ ${BENCH_TRACING:-0} == 1 ]]; then
  OTLP_BIN=$("$ROOT/scripts/install-otlp-receiver.sh") || die "cannot build the OTLP receiver for BENCH_TRACING=1 (needs go)"
  OTLP_PORT=$("$LG" freeport)
  "$OTLP_BIN" -listen "127.0.0.1:$OTLP_PORT" -out "$RUN/spans.jsonl" >"$RUN/otlp-receiver.log" 2>&1 &
  PIDS+=($!)
  GA_ENV+=(OTEL_SDK_DISABLED=false OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTLP_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)
  log "tracing on: spans to the OTLP receiver on 127.0.0.1:$OTLP_PORT ($RUN/spans.jsonl)"
fi
start_gateway jvm main "$GW_PORT" "$GW_MGMT" "${GA_ENV[@]}"; GW_PID=$LAST_PID
# Gateway N: gateway A's configuration in the native executable, measured beside it (token, idle, relay).
GN_PORT=
if [[ -n $NATIVE ]] && { want token || want idle || want relay; }; then
  GN_PORT=$("$LG" freeport); GN_MGMT=$("$LG" freeport)
  start_gateway native native "$GN_PORT" "$GN_MGMT" "${GA_ENV[@]}"; GN_PID=$LAST_PID
  GN_TOKEN_URL=http://127.0.0.1:$GN_PORT/api/livekit/token
  GN_TICKET_URL=http://127.0.0.1:$GN_PORT/api/realtime/client-secret
  GN_WS=ws://127.0.0.1:$GN_PORT/v1/realtime?model=$MODEL
fi

NT_PORT=$("$LG" freeport)
(cd "$BENCH/node" && exec env LIVEKIT_URL=ws://127.0.0.1:7880 LIVEKIT_API_KEY="$LK_KEY" LIVEKIT_API_SECRET="$LK_SECRET" \
  API_KEY="$CALLER_KEY" PORT="$NT_PORT" node token-server.js) >"$RUN/node-token.log" 2>&1 &
PIDS+=($!); NT_PID=$!
NR_PORT=$("$LG" freeport); NR_ADMIN=$("$LG" freeport)
(cd "$BENCH/node" && exec env OPENAI_API_KEY="$OPENAI_KEY" UPSTREAM_URL="ws://127.0.0.1:$ECHO_PORT/v1/realtime" \
  PORT="$NR_PORT" ADMIN_PORT="$NR_ADMIN" node --expose-gc relay.js) >"$RUN/node-relay.log" 2>&1 &
PIDS+=($!); NR_PID=$!
NP_PORT=$("$LG" freeport); NP_ADMIN=$("$LG" freeport)
(cd "$BENCH/node" && exec env OPENAI_API_KEY="$OPENAI_KEY" UPSTREAM_URL="ws://127.0.0.1:$ECHO_PORT/v1/realtime" \
  PORT="$NP_PORT" ADMIN_PORT="$NP_ADMIN" node --expose-gc relay-passthrough.js) >"$RUN/node-passthrough.log" 2>&1 &
PIDS+=($!); NP_PID=$!
wait_http "http://127.0.0.1:$NT_PORT/" 20 any || die "Node token server not up (see $RUN/node-token.log)"
wait_http "http://127.0.0.1:$NR_ADMIN/" 20 any || die "Node relay not up (see $RUN/node-relay.log)"
wait_http "http://127.0.0.1:$NP_ADMIN/" 20 any || die "Node pass-through relay not up (see $RUN/node-passthrough.log)"

GW_TOKEN_URL=http://127.0.0.1:$GW_PORT/api/livekit/token
GW_STATIC_URL=http://127.0.0.1:$GW_PORT/bench/static
NT_TOKEN_URL=http://127.0.0.1:$NT_PORT/createToken
GW_TICKET_URL=http://127.0.0.1:$GW_PORT/api/realtime/client-secret
GW_WS=ws://127.0.0.1:$GW_PORT/v1/realtime?model=$MODEL
for url in "$GW_TOKEN_URL" "$NT_TOKEN_URL" ${GB_PORT:+"http://127.0.0.1:$GB_PORT/api/livekit/token"} ${GN_PORT:+"$GN_TOKEN_URL"}; do
  code=$(curl -s -o "$RUN/probe.body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $CALLER_KEY" -d "$TOKEN_BODY" "$url")
  [[ $code == 201 ]] || die "POST $url answered $code, expected 201: $(head -c 300 "$RUN/probe.body")"
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$TOKEN_BODY" "$url")
  [[ $code == 401 ]] || die "POST $url without a key answered $code, expected 401 (both must check the caller)"
done
code=$(curl -s -o "$RUN/probe.body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$TOKEN_BODY" "$GW_STATIC_URL")
if [[ $code == 404 && -n ${BENCH_JAR:-} ]]; then
  log "this jar has no static endpoint (BENCH_JAR is not a bench build, -Dgateway.bench.static-endpoint=true): no static row"; GW_STATIC_URL=
else
  [[ $code == 201 && $(wc -c <"$RUN/probe.body") == "$STATIC_BYTES" ]] \
    || die "POST $GW_STATIC_URL answered $code with $(wc -c <"$RUN/probe.body") bytes, expected 201 with $STATIC_BYTES (the token response's size)"
fi

# ---------------------------------------------------------------- 1. token endpoint
R=$RUN/results; mkdir -p "$R"
printf '{"load_at_start":"%s","started":"%s","quick":%s,"duration_s":%s,"warmup_s":%s,"rounds":%s,"static_bytes":%s}\n' \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%FT%TZ)" "$QUICK" "$DUR" "$WARMUP" "$ROUNDS" "$STATIC_BYTES" >"$R/run-start.json"
node -e 'const [path, from, why, vm, jni] = process.argv.slice(1);
  console.log(JSON.stringify({ path, from, why, vm, jni: jni.split("\n").filter(Boolean).map((l) => l.split(" ")) }))' \
  "$NATIVE" "$NATIVE_FROM" "$NATIVE_WHY" "${NATIVE_VM:-}" "${NATIVE_JNI:-}" >"$R/native.json"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in 1/100 s
wrk_once() { # out url pid connections seconds: one wrk run, its summary and the server's CPU
  local c0 c1 threads=$(( $4 < 2 ? 1 : 2 ))
  c0=$(cpu_ticks "$3")
  BENCH_BODY=$TOKEN_BODY BENCH_API_KEY=$CALLER_KEY wrk -t$threads -c"$4" -d"${5}s" -s "$BENCH/wrk/post.lua" "$2" | tail -n 1 >"$1.raw"
  c1=$(cpu_ticks "$3")
  sed "s/}\$/,\"cpu_s\":$(( c1 - c0 ))e-2,\"connections\":$4}/" "$1.raw" >"$1.json"
  cat "$1.json" >&2
}
rate_run() { # name url pid round
  local c0 c1 out=$R/token-latency-$1-$4
  c0=$(cpu_ticks "$3")
  "$LG" http -url "$2" -api-key "$CALLER_KEY" -body "$TOKEN_BODY" -rate "$TOKEN_RATE" -warmup "${WARMUP}s" \
    -duration "${DUR}s" -label "$1" >"$out.raw"
  c1=$(cpu_ticks "$3")
  sed "s/}\$/,\"cpu_s\":$(( c1 - c0 ))e-2}/" "$out.raw" >"$out.json"
  cat "$out.json" >&2
}
if want token; then
  GB_TOKEN_URL=http://127.0.0.1:$GB_PORT/api/livekit/token
  TOKEN_SIDES=("gateway|$GW_TOKEN_URL|$GW_PID" ${GN_PORT:+"native|$GN_TOKEN_URL|$GN_PID"} ${GW_STATIC_URL:+"static|$GW_STATIC_URL|$GW_PID"}
    "ratelimited|$GB_TOKEN_URL|$GB_PID" "node|$NT_TOKEN_URL|$NT_PID")
  LATENCY_SIDES=("gateway|$GW_TOKEN_URL|$GW_PID" ${GN_PORT:+"native|$GN_TOKEN_URL|$GN_PID"} "node|$NT_TOKEN_URL|$NT_PID")
  log "token endpoint: warm-up, ${TOKEN_WARMUP}s of wrk at 64 connections on each server (not measured)"
  for side in "${TOKEN_SIDES[@]}"; do IFS='|' read -r name url pid <<<"$side"; wrk_once "$RUN/warmup-$name" "$url" "$pid" 64 "$TOKEN_WARMUP" 2>/dev/null; done
  # Gateway A's JVM also ran the static warm-up through the same server code: gateway B gets a second round, so both JITs saw as much.
  [[ -n $GW_STATIC_URL ]] && wrk_once "$RUN/warmup-ratelimited-2" "$GB_TOKEN_URL" "$GB_PID" 64 "$TOKEN_WARMUP" 2>/dev/null
  LAST_C=${TOKEN_CONNECTIONS##* }
  for c in $TOKEN_CONNECTIONS; do
    rounds=1; [[ $c == "$LAST_C" ]] && rounds=$ROUNDS
    log "token endpoint: throughput at $c connections (wrk), $rounds round(s) alternating gateway, ${GN_PORT:+native, }static, rate-limited, Node"
    for round in $(seq "$rounds"); do
      for side in "${TOKEN_SIDES[@]}"; do
        IFS='|' read -r name url pid <<<"$side"
        wrk_once "$R/token-throughput-$name-c$c-$round" "$url" "$pid" "$c" "$DUR"
      done
    done
  done
  stop "$GB_PID"
  log "token endpoint: latency at $TOKEN_RATE req/s (open loop), $ROUNDS rounds alternating gateway, ${GN_PORT:+native, }Node"
  for round in $(seq "$ROUNDS"); do
    for side in "${LATENCY_SIDES[@]}"; do IFS='|' read -r name url pid <<<"$side"; rate_run "$name" "$url" "$pid" "$round"; done
  done
fi

# ---------------------------------------------------------------- 2. idle sessions (before the relay load, so the gateway starts from a quiet state)
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
jvm_heap_kib() { # used heap after two full GCs
  jcmd "$1" GC.run >/dev/null; jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '/heap/ && /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { sub(/K,?/, "", $(i+1)); print $(i+1); exit } }'
}
no_heap_kib() { echo null; } # the native executable has no attach API (jcmd): RSS only
node_heap_kib() { curl -s "http://127.0.0.1:$NR_ADMIN/" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(Math.round(JSON.parse(s).heapUsed/1024)))'; }
idle_run() { # name url pid heapfn [ticket-url]
  local name=$1 url=$2 pid=$3 heapfn=$4 extra=() rel=$RUN/release-$1
  [[ -n ${5:-} ]] && extra=(-ticket-url "$5" -api-key "$CALLER_KEY")
  sleep 1
  local heap0 rss0 heap1 rss1
  heap0=$($heapfn "$pid"); rss0=$(rss_kib "$pid")
  rm -f "$rel"
  "$LG" idle -url "$url" -n "$IDLE_N" -model "$MODEL" -release-file "$rel" -max-hold 3m "${extra[@]}" >"$RUN/idle-$name.out" &
  local idle_pid=$!
  for _ in $(seq 1200); do grep -q '"connected"' "$RUN/idle-$name.out" 2>/dev/null && break; sleep 0.1; done
  sleep 2
  heap1=$($heapfn "$pid"); rss1=$(rss_kib "$pid")
  touch "$rel"; wait "$idle_pid" || true
  printf '{"label":"%s","sessions":%s,"heap0_kib":%s,"heap1_kib":%s,"rss0_kib":%s,"rss1_kib":%s,"connect":%s,"release":%s}\n' \
    "$name" "$IDLE_N" "$heap0" "$heap1" "$rss0" "$rss1" "$(head -n 1 "$RUN/idle-$name.out")" "$(tail -n 1 "$RUN/idle-$name.out")" \
    >"$R/idle-$name.json"
  cat "$R/idle-$name.json" >&2
}
if want idle; then
  log "idle: $IDLE_N sessions held open, heap and RSS before and after"
  idle_run gateway "$GW_WS" "$GW_PID" jvm_heap_kib "$GW_TICKET_URL"
  [[ -n $GN_PORT ]] && idle_run native "$GN_WS" "$GN_PID" no_heap_kib "$GN_TICKET_URL"
  idle_run node "ws://127.0.0.1:$NR_PORT/v1/realtime?model=$MODEL" "$NR_PID" node_heap_kib
fi

# ---------------------------------------------------------------- 3. relay under load
relay_run() { # out n url pid [ticket-url]
  local extra=()
  [[ -n ${5:-} ]] && extra=(-ticket-url "$5" -api-key "$CALLER_KEY")
  "$LG" relay -url "$3" -n "$2" -rate "$MSG_RATE" -warmup "${WARMUP}s" -duration "${DUR}s" -pid "$4" \
    -model "$MODEL" -label "$(basename "$1")" "${extra[@]}" >"$1.json"
  cat "$1.json" >&2
  sleep 1 # let closed sessions wind down before the next run
}
relay_warmup() { # name url [ticket-url]
  local extra=()
  [[ -n ${3:-} ]] && extra=(-ticket-url "$3" -api-key "$CALLER_KEY")
  "$LG" relay -url "$2" -n 50 -warmup 0s -duration "${RELAY_WARMUP}s" -model "$MODEL" -label warmup "${extra[@]}" >"$RUN/relay-warmup-$1.json"
}
if want relay || want console; then
  log "relay: warm-up, 50 sessions for ${RELAY_WARMUP}s through each relay (not measured)"
  relay_warmup gateway "$GW_WS" "$GW_TICKET_URL"
  [[ -n $GN_PORT ]] && want relay && relay_warmup native "$GN_WS" "$GN_TICKET_URL"
  relay_warmup node "ws://127.0.0.1:$NR_PORT/v1/realtime?model=$MODEL"
  relay_warmup passthrough "ws://127.0.0.1:$NP_PORT/v1/realtime?model=$MODEL"
fi
if want relay; then
  for n in $RELAY_NS; do
    log "relay: $n sessions x $MSG_RATE msg/s, $ROUNDS rounds of: direct to the echo upstream, the gateway, ${GN_PORT:+the native gateway, }the console-style Node relay, the pass-through Node relay"
    for round in $(seq "$ROUNDS"); do
      relay_run "$R/relay-direct-$n-$round" "$n" "ws://127.0.0.1:$ECHO_PORT/v1/realtime?model=$MODEL" "$ECHO_PID"
      relay_run "$R/relay-gateway-$n-$round" "$n" "$GW_WS" "$GW_PID" "$GW_TICKET_URL"
      [[ -n $GN_PORT ]] && relay_run "$R/relay-native-$n-$round" "$n" "$GN_WS" "$GN_PID" "$GN_TICKET_URL"
      relay_run "$R/relay-node-$n-$round" "$n" "ws://127.0.0.1:$NR_PORT/v1/realtime?model=$MODEL" "$NR_PID"
      relay_run "$R/relay-passthrough-$n-$round" "$n" "ws://127.0.0.1:$NP_PORT/v1/realtime?model=$MODEL" "$NP_PID"
    done
  done
fi

# ---------------------------------------------------------------- 4. relay with an operator console connected
# The console's feed ticket endpoint: on the main port, or on the management port when the console moved there.
CONSOLE_TICKETS="http://127.0.0.1:$GW_PORT/console/api/ticket,http://127.0.0.1:$GW_MGMT/console/api/ticket"
CONSOLE_ROUNDS=${BENCH_CONSOLE_ROUNDS:-$((ROUNDS + 2))} # the difference looked for is small: more rounds than elsewhere
console_with() { # round: one relay run with a console's feed open for all of it
  rm -f "$RUN/console.release" "$RUN/console.ready"
  "$LG" console -ticket-url "$CONSOLE_TICKETS" -admin-key "$ADMIN_KEY" -release-file "$RUN/console.release" \
    -ready-file "$RUN/console.ready" -max-hold 5m >"$R/console-feed-$1.json" 2>"$RUN/console-$1.err" &
  local feed_pid=$!
  for _ in $(seq 100); do [[ -e $RUN/console.ready ]] && break; sleep 0.1; done
  [[ -e $RUN/console.ready ]] || die "the console feed did not start (see $RUN/console-$1.err)"
  relay_run "$R/console-with-$1" "$CONSOLE_N" "$GW_WS" "$GW_PID" "$GW_TICKET_URL"
  touch "$RUN/console.release"; wait "$feed_pid" || die "the console feed failed (see $RUN/console-$1.err)"
  cat "$R/console-feed-$1.json" >&2
}
if want console; then
  log "console: $CONSOLE_N relayed sessions without and with an operator console's live feed, $CONSOLE_ROUNDS rounds, the order alternating"
  for round in $(seq "$CONSOLE_ROUNDS"); do
    if (( round % 2 )); then # odd rounds without first, even rounds with first: a drift of the machine favours neither
      relay_run "$R/console-without-$round" "$CONSOLE_N" "$GW_WS" "$GW_PID" "$GW_TICKET_URL"; console_with "$round"
    else
      console_with "$round"; relay_run "$R/console-without-$round" "$CONSOLE_N" "$GW_WS" "$GW_PID" "$GW_TICKET_URL"
    fi
  done
fi

# ---------------------------------------------------------------- 5. slow reader
if want slowread; then
  log "slow reader: $SLOW_N sessions sending $SLOW_RATE msg/s of 64 KiB for ${SLOW_HOLD}s and reading nothing, gateway then pass-through Node relay"
  "$LG" slowread -url "$GW_WS" -ticket-url "$GW_TICKET_URL" -api-key "$CALLER_KEY" -n "$SLOW_N" -rate "$SLOW_RATE" -hold "${SLOW_HOLD}s" \
    -probe-url "http://127.0.0.1:$GW_MGMT/q/metrics" -pid "$GW_PID" -label gateway >"$R/slowread-gateway.json"
  cat "$R/slowread-gateway.json" >&2
  sleep 2
  "$LG" slowread -url "ws://127.0.0.1:$NP_PORT/v1/realtime?model=$MODEL" -n "$SLOW_N" -rate "$SLOW_RATE" -hold "${SLOW_HOLD}s" \
    -probe-url "http://127.0.0.1:$NP_ADMIN/buffered" -pid "$NP_PID" -label passthrough >"$R/slowread-passthrough.json"
  cat "$R/slowread-passthrough.json" >&2
  curl -s "http://127.0.0.1:$GW_MGMT/q/metrics" | grep -E '^gateway_realtime_(max_in_flight|buffered)|^gateway_realtime_terminations_total\{reason="slow' >"$RUN/slowread-metrics.txt" || true
  printf '{"max_in_flight_bytes":1048576,"max_in_flight_frames":1024,"max_pending_bytes":2097152}\n' >"$R/slowread-bounds.json"
  sleep 2
fi

# ---------------------------------------------------------------- 6. admission: ticket, redeem, lease, memory vs redis
if want admit; then
  REDIS_PORT=$("$LG" freeport)
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --protected-mode yes >"$RUN/redis.log" 2>&1 &
  PIDS+=($!); REDIS_PID=$!
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  GC_PORT=$("$LG" freeport); GC_MGMT=$("$LG" freeport)
  start_gateway jvm redis "$GC_PORT" "$GC_MGMT" GATEWAY_STATE=redis QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT"; GC_PID=$LAST_PID
  GC_WS=ws://127.0.0.1:$GC_PORT/v1/realtime?model=$MODEL
  GC_TICKET_URL=http://127.0.0.1:$GC_PORT/api/realtime/client-secret
  log "admission: warm-up of the redis gateway (the same relay warm-up and admissions as the memory one had)"
  relay_warmup redis "$GC_WS" "$GC_TICKET_URL"
  "$LG" admit -url "$GC_WS" -ticket-url "$GC_TICKET_URL" -api-key "$CALLER_KEY" -n "$ADMIT_N" -c 4 -label warmup >/dev/null
  "$LG" admit -url "$GW_WS" -ticket-url "$GW_TICKET_URL" -api-key "$CALLER_KEY" -n "$ADMIT_N" -c 4 -label warmup >/dev/null
  admit_rounds() { # file-prefix sessions concurrency: $ROUNDS rounds alternating memory and redis
    for round in $(seq "$ROUNDS"); do
      for side in memory:"$GW_PORT" redis:"$GC_PORT"; do
        "$LG" admit -url "ws://127.0.0.1:${side#*:}/v1/realtime?model=$MODEL" -ticket-url "http://127.0.0.1:${side#*:}/api/realtime/client-secret" \
          -api-key "$CALLER_KEY" -n "$2" -c "$3" -label "${side%%:*}" >"$R/$1-${side%%:*}-$round.json"
        cat "$R/$1-${side%%:*}-$round.json" >&2
      done
    done
  }
  log "admission: $ADMIT_N sessions (ticket, upgrade, session.created, close; 4 at a time), $ROUNDS rounds alternating memory and redis"
  admit_rounds admit "$ADMIT_N" 4
  log "admission: $ADMIT_SEQ_N sessions one at a time (the admission's own cost, no CPU queueing), $ROUNDS rounds alternating memory and redis"
  admit_rounds admit-seq "$ADMIT_SEQ_N" 1
  stop "$GC_PID" "$REDIS_PID"
fi

# ---------------------------------------------------------------- 7. WebRTC SDP exchange
if want calls; then
  log "calls: $CALLS_N SDP exchanges (POST /v1/realtime/calls) through the gateway and straight to the fake, $ROUNDS alternating rounds"
  "$LG" calls -url "http://127.0.0.1:$GW_PORT/v1/realtime/calls" -ticket-url "$GW_TICKET_URL" -api-key "$CALLER_KEY" -n "$CALLS_N" -label warmup >/dev/null
  for round in $(seq "$ROUNDS"); do
    "$LG" calls -url "http://127.0.0.1:$GW_PORT/v1/realtime/calls" -ticket-url "$GW_TICKET_URL" -api-key "$CALLER_KEY" -n "$CALLS_N" \
      -label gateway >"$R/calls-gateway-$round.json"
    "$LG" calls -url "http://127.0.0.1:$ECHO_PORT/v1/realtime/calls" -server-key "$OPENAI_KEY" -n "$CALLS_N" -label direct >"$R/calls-direct-$round.json"
    cat "$R/calls-gateway-$round.json" "$R/calls-direct-$round.json" >&2
  done
fi

# ---------------------------------------------------------------- 8. startup
if want startup; then
  log "startup: process start to /q/health/ready UP, then RSS after $STARTUP_IDLE idle, $STARTUP_REPS runs (everything else stopped)"
  stop "$GW_PID" ${GN_PORT:+"$GN_PID"} "$NT_PID" "$NR_PID" "$NP_PID"
  sleep 5 # let the relay runs' sockets and the killed JVM's memory wind down: startup is CPU-bound
  startup_run() { # launcher name: $STARTUP_REPS starts of the gateway with that launcher
    local sp sm; sp=$("$LG" freeport); sm=$("$LG" freeport)
    gateway_env "$sp" "$sm"; launcher "$1"
    env "${GW_ENV[@]}" "$LG" startup -n "$STARTUP_REPS" -url "http://127.0.0.1:$sm/q/health/ready" -rss-after "$STARTUP_IDLE" \
      -log "$RUN/startup-$2.log" -label "$2" -- "${LAUNCH[@]}" >"$R/startup-$2.json"
    cat "$R/startup-$2.json" >&2
  }
  startup_run jvm gateway
  # The same jar with the AppCDS archive Dockerfile.jvm ships: its training script (src/main/docker/appcds-training.sh:
  # one start with a throwaway config up to ready, SIGTERM, -XX:ArchiveClassesAtExit) writes the archive, then the timed
  # starts map it with the image's JAVA_OPTS_APPEND. `java $JAVA_OPTS_APPEND -jar` stands in for the image's run-java.sh.
  GW_JAVA_OPTS="-Djava.util.logging.manager=org.jboss.logmanager.LogManager" # Dockerfile.jvm's JAVA_OPTS_APPEND
  PORT=$("$LG" freeport) GATEWAY_MANAGEMENT_PORT=$("$LG" freeport) JAVA_OPTS_APPEND=$GW_JAVA_OPTS bash "$ROOT/src/main/docker/appcds-training.sh" "$RUN/app-cds.jsa" \
    bash -c 'exec java $JAVA_OPTS_APPEND -jar "$0"' "$JAR" >"$RUN/startup-appcds-training.log" 2>&1 \
    || log "AppCDS training failed (see $RUN/startup-appcds-training.log); no AppCDS row"
  [[ -s $RUN/app-cds.jsa ]] && startup_run jvm-appcds gateway-appcds
  [[ -n $NATIVE ]] && startup_run native native
  SP=$("$LG" freeport)
  (cd "$BENCH/node" && env LIVEKIT_URL=ws://127.0.0.1:7880 LIVEKIT_API_KEY="$LK_KEY" LIVEKIT_API_SECRET="$LK_SECRET" \
    API_KEY="$CALLER_KEY" PORT="$SP" "$LG" startup -n "$STARTUP_REPS" -any-status -url "http://127.0.0.1:$SP/" -rss-after "$STARTUP_IDLE" \
    -log "$RUN/startup-node.log" -label node -- node token-server.js) >"$R/startup-node.json"
  cat "$R/startup-node.json" >&2
fi

# ---------------------------------------------------------------- report
log "report"
printf '{"load_at_end":"%s","ended":"%s"}\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%FT%TZ)" >"$R/run-end.json"
mkdir -p "$(dirname "$REPORT")"
node "$BENCH/node/report.js" "$R" "$ROOT" "$RUN" "$QUICK" >"$REPORT"
cat "$REPORT"
printf '\nraw results: %s\nreport: %s\n' "$R" "$REPORT" >&2
