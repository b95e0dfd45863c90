#!/usr/bin/env bash
# Benchmarks: the gateway (packaged jar, prod profile, offline checks, api-key auth) side by side with
# reference implementations written the way their users write them, in one run on this machine.
#
#   bench/run.sh            full run (about 10 minutes); writes bench/results/latest.md
#   BENCH_QUICK=1 bench/run.sh   small N and short windows, for trying the harness (writes bench/work/quick.md)
#
# Installs what it needs from a clean clone: Debian's wrk (apt-get), the Node references' packages
# (npm ci from the lockfile, into bench/node/node_modules), the Go load generator (go build), and the
# gateway jar (./mvnw package) when it is missing (BENCH_REBUILD=1 forces a rebuild).
# All traffic stays on 127.0.0.1; every load loop is bounded in count and time.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$BENCH/work
RUN=$WORK/run-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN"

QUICK=${BENCH_QUICK:-0}
if [[ $QUICK == 1 ]]; then
  RELAY_NS=${BENCH_RELAY_NS:-"1 20"}; IDLE_N=${BENCH_IDLE_N:-100}; DUR=${BENCH_DURATION:-4}; WARMUP=${BENCH_WARMUP:-2}
  STARTUP_REPS=${BENCH_STARTUP_REPS:-2}; REPORT=$WORK/quick.md
else
  RELAY_NS=${BENCH_RELAY_NS:-"1 100 500"}; IDLE_N=${BENCH_IDLE_N:-1000}; DUR=${BENCH_DURATION:-15}; WARMUP=${BENCH_WARMUP:-5}
  STARTUP_REPS=${BENCH_STARTUP_REPS:-9}; REPORT=$BENCH/results/latest.md
fi
TOKEN_CONNECTIONS=${BENCH_TOKEN_CONNECTIONS:-64}   # fixed concurrency for throughput (wrk -c)
TOKEN_RATE=${BENCH_TOKEN_RATE:-1000}               # fixed request rate for latency (open loop)
TOKEN_ROUNDS=${BENCH_TOKEN_ROUNDS:-3}               # alternating gateway/Node rounds at that rate (the report takes the median round)
TOKEN_WARMUP=${BENCH_TOKEN_WARMUP:-$((WARMUP * 4))} # the JIT needs a while on a busy machine (both sides get it)
RELAY_WARMUP=${BENCH_RELAY_WARMUP:-$((WARMUP * 4))} # one unmeasured relay run per relay before the measured ones
MSG_RATE=50                                         # 20 ms audio chunks per second per session
MODEL=gpt-realtime

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
for tool in java node npm go curl; do
  command -v "$tool" >/dev/null || die "missing tool: $tool (install it; the benchmark needs java 17+, node 20+, npm, go, curl)"
done
command -v jcmd >/dev/null || die "missing tool: jcmd (part of the JDK; install a full JDK, not a JRE)"
if ! command -v wrk >/dev/null; then
  log "installing wrk (Debian package)"
  SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk; } >"$RUN/apt.log" 2>&1 \
    || die "could not install wrk with apt-get (see $RUN/apt.log)"
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

JAR=$ROOT/target/quarkus-app/quarkus-run.jar
if [[ ! -f $JAR || ${BENCH_REBUILD:-0} == 1 ]]; then
  log "building the gateway (./mvnw package)"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests) >"$RUN/mvn.log" 2>&1 || die "gateway build failed (see $RUN/mvn.log)"
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

secret() { printf 'k%s' "$(od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n')"; } # 2n+1 characters, never all digits
LK_KEY=APIbench$(secret 4)
LK_SECRET=$(secret 20)
CALLER_KEY=$(secret 20)
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

# The gateway's environment: prod profile (the jar's default), offline checks, api-key auth, caps raised and the ticket rate limit off for the runs (one caller mints every session's ticket).
gateway_env() {
  GW_ENV=(LIVEKIT_URL=ws://127.0.0.1:7880 LIVEKIT_API_KEY="$LK_KEY" LIVEKIT_API_SECRET="$LK_SECRET"
    OPENAI_API_KEY="$OPENAI_KEY" OPENAI_BASE_URL="http://127.0.0.1:$ECHO_PORT/v1"
    GATEWAY_PREFLIGHT_ONLINE=false GATEWAY_AUTH_MODE=api-key GATEWAY_AUTH_API_KEYS="$CALLER_KEY"
    GATEWAY_REALTIME_TICKET_SECRET="$TICKET_SECRET" GATEWAY_REALTIME_MODELS="$MODEL"
    GATEWAY_REALTIME_MAX_SESSIONS=$((IDLE_N * 2)) GATEWAY_REALTIME_MAX_SESSIONS_PER_IDENTITY=$((IDLE_N * 2))
    GATEWAY_REALTIME_IDLE_TIMEOUT=10m QUARKUS_HTTP_HOST=127.0.0.1 PORT="$1"
    QUARKUS_MANAGEMENT_HOST=127.0.0.1 GATEWAY_MANAGEMENT_PORT="$2") # health is on the management port
}

log "starting the echo upstream, the gateway and the Node references"
"$LG" echo -port-file "$RUN/echo.port" -max-life 40m 2>"$RUN/echo.log" &
PIDS+=($!); ECHO_PID=$!
for _ in $(seq 50); do [[ -s $RUN/echo.port ]] && break; sleep 0.1; done
ECHO_PORT=$(cat "$RUN/echo.port")

GW_PORT=$("$LG" freeport); GW_MGMT=$("$LG" freeport)
gateway_env "$GW_PORT" "$GW_MGMT"
env "${GW_ENV[@]}" java ${BENCH_JAVA_OPTS:-} -jar "$JAR" >"$RUN/gateway.log" 2>&1 & # env execs java: $! is the JVM
PIDS+=($!); GW_PID=$!
wait_http "http://127.0.0.1:$GW_MGMT/q/health/ready" 60 || die "gateway not ready (see $RUN/gateway.log)"

NT_PORT=$("$LG" freeport)
(cd "$BENCH/node" && exec env LIVEKIT_URL=ws://127.0.0.1:7880 LIVEKIT_API_KEY="$LK_KEY" LIVEKIT_API_SECRET="$LK_SECRET" \
  API_KEY="$CALLER_KEY" PORT="$NT_PORT" node token-server.js) >"$RUN/node-token.log" 2>&1 &
PIDS+=($!); NT_PID=$!
NR_PORT=$("$LG" freeport); NR_ADMIN=$("$LG" freeport)
(cd "$BENCH/node" && exec env OPENAI_API_KEY="$OPENAI_KEY" UPSTREAM_URL="ws://127.0.0.1:$ECHO_PORT/v1/realtime" \
  PORT="$NR_PORT" ADMIN_PORT="$NR_ADMIN" node --expose-gc relay.js) >"$RUN/node-relay.log" 2>&1 &
PIDS+=($!); NR_PID=$!
wait_http "http://127.0.0.1:$NT_PORT/" 20 any || die "Node token server not up (see $RUN/node-token.log)"
wait_http "http://127.0.0.1:$NR_ADMIN/" 20 any || die "Node relay not up (see $RUN/node-relay.log)"

GW_TOKEN_URL=http://127.0.0.1:$GW_PORT/api/livekit/token
NT_TOKEN_URL=http://127.0.0.1:$NT_PORT/createToken
for url in "$GW_TOKEN_URL" "$NT_TOKEN_URL"; do
  code=$(curl -s -o "$RUN/probe.body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $CALLER_KEY" -d "$TOKEN_BODY" "$url")
  [[ $code == 201 ]] || die "POST $url answered $code, expected 201: $(head -c 300 "$RUN/probe.body")"
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$TOKEN_BODY" "$url")
  [[ $code == 401 ]] || die "POST $url without a key answered $code, expected 401 (both must check the caller)"
done

# ---------------------------------------------------------------- 1. token endpoint
R=$RUN/results; mkdir -p "$R"
printf '{"load_at_start":"%s","started":"%s"}\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%FT%TZ)" >"$R/run-start.json"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in 1/100 s
wrk_run() { # name url pid
  local c0 c1
  BENCH_BODY=$TOKEN_BODY BENCH_API_KEY=$CALLER_KEY wrk -t2 -c"$TOKEN_CONNECTIONS" -d"${TOKEN_WARMUP}s" -s "$BENCH/wrk/post.lua" "$2" >/dev/null
  c0=$(cpu_ticks "$3")
  BENCH_BODY=$TOKEN_BODY BENCH_API_KEY=$CALLER_KEY wrk -t2 -c"$TOKEN_CONNECTIONS" -d"${DUR}s" -s "$BENCH/wrk/post.lua" "$2" \
    | tail -n 1 >"$R/token-throughput-$1.raw"
  c1=$(cpu_ticks "$3")
  sed "s/}\$/,\"cpu_s\":$(( c1 - c0 ))e-2}/" "$R/token-throughput-$1.raw" >"$R/token-throughput-$1.json"
  cat "$R/token-throughput-$1.json" >&2
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
log "token endpoint: throughput at $TOKEN_CONNECTIONS connections (wrk), gateway then Node"
wrk_run gateway "$GW_TOKEN_URL" "$GW_PID"; wrk_run node "$NT_TOKEN_URL" "$NT_PID"
log "token endpoint: latency at $TOKEN_RATE req/s (open loop), $TOKEN_ROUNDS rounds alternating gateway and Node"
for round in $(seq "$TOKEN_ROUNDS"); do
  rate_run gateway "$GW_TOKEN_URL" "$GW_PID" "$round"; rate_run node "$NT_TOKEN_URL" "$NT_PID" "$round"
done

# ---------------------------------------------------------------- 2. idle sessions (before the relay load, so the gateway starts from a quiet state)
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
jvm_heap_kib() { # used heap after two full GCs
  jcmd "$1" GC.run >/dev/null; jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '/heap/ && /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { sub(/K,?/, "", $(i+1)); print $(i+1); exit } }'
}
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
log "idle: $IDLE_N sessions held open, heap and RSS before and after"
idle_run gateway "ws://127.0.0.1:$GW_PORT/v1/realtime?model=$MODEL" "$GW_PID" jvm_heap_kib \
  "http://127.0.0.1:$GW_PORT/api/realtime/client-secret"
idle_run node "ws://127.0.0.1:$NR_PORT/v1/realtime?model=$MODEL" "$NR_PID" node_heap_kib

# ---------------------------------------------------------------- 3. relay under load
relay_run() { # name n url pid [ticket-url]
  local extra=()
  [[ -n ${5:-} ]] && extra=(-ticket-url "$5" -api-key "$CALLER_KEY")
  "$LG" relay -url "$3" -n "$2" -rate "$MSG_RATE" -warmup "${WARMUP}s" -duration "${DUR}s" -pid "$4" \
    -model "$MODEL" -label "$1" "${extra[@]}" >"$R/relay-$1-$2.json"
  cat "$R/relay-$1-$2.json" >&2
}
log "relay: warm-up, 50 sessions for ${RELAY_WARMUP}s through each relay (not measured)"
"$LG" relay -url "ws://127.0.0.1:$GW_PORT/v1/realtime?model=$MODEL" -n 50 -warmup 0s -duration "${RELAY_WARMUP}s" -model "$MODEL" \
  -ticket-url "http://127.0.0.1:$GW_PORT/api/realtime/client-secret" -api-key "$CALLER_KEY" -label warmup >"$RUN/relay-warmup-gateway.json"
"$LG" relay -url "ws://127.0.0.1:$NR_PORT/v1/realtime?model=$MODEL" -n 50 -warmup 0s -duration "${RELAY_WARMUP}s" -model "$MODEL" \
  -label warmup >"$RUN/relay-warmup-node.json"
for n in $RELAY_NS; do
  log "relay: $n sessions x $MSG_RATE msg/s: direct to the echo upstream, through the gateway, through the Node relay"
  relay_run direct "$n" "ws://127.0.0.1:$ECHO_PORT/v1/realtime?model=$MODEL" "$ECHO_PID"
  relay_run gateway "$n" "ws://127.0.0.1:$GW_PORT/v1/realtime?model=$MODEL" "$GW_PID" \
    "http://127.0.0.1:$GW_PORT/api/realtime/client-secret"
  relay_run node "$n" "ws://127.0.0.1:$NR_PORT/v1/realtime?model=$MODEL" "$NR_PID"
  sleep 2 # let closed sessions wind down before the next step
done

# ---------------------------------------------------------------- 4. startup
log "startup: process start to /q/health/ready UP, $STARTUP_REPS runs (everything else stopped)"
kill "$GW_PID" "$NT_PID" "$NR_PID" 2>/dev/null || true
wait "$GW_PID" "$NT_PID" "$NR_PID" 2>/dev/null || true
sleep 5 # let the relay runs' sockets and the killed JVM's memory wind down: startup is CPU-bound
SP=$("$LG" freeport); SM=$("$LG" freeport)
gateway_env "$SP" "$SM"
env "${GW_ENV[@]}" "$LG" startup -n "$STARTUP_REPS" -url "http://127.0.0.1:$SM/q/health/ready" -log "$RUN/startup-gateway.log" \
  -label gateway -- java -jar "$JAR" >"$R/startup-gateway.json"
cat "$R/startup-gateway.json" >&2
# The same jar with the AppCDS archive Dockerfile.jvm ships: its training script (src/main/docker/appcds-training.sh:
# one start with a throwaway config up to ready, SIGTERM, -XX:ArchiveClassesAtExit) writes the archive, then the timed
# starts map it with the image's JAVA_OPTS_APPEND. `java $JAVA_OPTS_APPEND -jar` stands in for the image's run-java.sh.
GW_JAVA_OPTS="-Djava.util.logging.manager=org.jboss.logmanager.LogManager" # Dockerfile.jvm's JAVA_OPTS_APPEND
PORT=$("$LG" freeport) GATEWAY_MANAGEMENT_PORT=$("$LG" freeport) JAVA_OPTS_APPEND=$GW_JAVA_OPTS bash "$ROOT/src/main/docker/appcds-training.sh" "$RUN/app-cds.jsa" \
  bash -c 'exec java $JAVA_OPTS_APPEND -jar "$0"' "$JAR" >"$RUN/startup-appcds-training.log" 2>&1 \
  || log "AppCDS training failed (see $RUN/startup-appcds-training.log); no AppCDS row"
if [[ -s $RUN/app-cds.jsa ]]; then
  SP=$("$LG" freeport); SM=$("$LG" freeport); gateway_env "$SP" "$SM"
  env "${GW_ENV[@]}" "$LG" startup -n "$STARTUP_REPS" -url "http://127.0.0.1:$SM/q/health/ready" -log "$RUN/startup-appcds.log" \
    -label gateway-appcds -- java $GW_JAVA_OPTS -XX:SharedArchiveFile="$RUN/app-cds.jsa" -jar "$JAR" >"$R/startup-gateway-appcds.json"
  cat "$R/startup-gateway-appcds.json" >&2
fi
SP=$("$LG" freeport)
(cd "$BENCH/node" && env LIVEKIT_URL=ws://127.0.0.1:7880 LIVEKIT_API_KEY="$LK_KEY" LIVEKIT_API_SECRET="$LK_SECRET" \
  API_KEY="$CALLER_KEY" PORT="$SP" "$LG" startup -n "$STARTUP_REPS" -any-status -url "http://127.0.0.1:$SP/" \
  -log "$RUN/startup-node.log" -label node -- node token-server.js) >"$R/startup-node.json"
cat "$R/startup-node.json" >&2

# ---------------------------------------------------------------- report
log "report"
printf '{"load_at_end":"%s","ended":"%s"}\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%FT%TZ)" >"$R/run-end.json"
mkdir -p "$(dirname "$REPORT")"
node "$BENCH/node/report.js" "$R" "$ROOT" "$RUN" "$QUICK" >"$REPORT"
cat "$REPORT"
printf '\nraw results: %s\nreport: %s\n' "$R" "$REPORT" >&2
