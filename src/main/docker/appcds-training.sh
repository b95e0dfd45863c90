#!/usr/bin/env bash
# AppCDS training run (Dockerfile.jvm runs it in the runtime stage): starts the gateway once with a throwaway, valid
# configuration, waits for /q/health/ready UP (on the management port), stops it with SIGTERM, and lets the JVM write the class-data archive
# of every class loaded up to then (-XX:ArchiveClassesAtExit). Later starts map that archive
# (-XX:SharedArchiveFile) instead of loading, parsing and verifying ~7,000 classes from the jars.
#
#   appcds-training.sh ARCHIVE [COMMAND...]    COMMAND defaults to the image's run-java.sh
#
# The JVM options are $JAVA_OPTS_APPEND plus -XX:ArchiveClassesAtExit=ARCHIVE, so the archive is made by the same
# launcher, JVM and options that use it. Nothing of the throwaway configuration is kept: the secrets are random,
# live only in this process's environment, and the gateway's log is deleted (shown only when training fails; the
# gateway logs fingerprints, never secrets). Bash only (the runtime image has
# no curl guarantee): the readiness probe is a plain HTTP/1.0 GET over /dev/tcp.
set -euo pipefail

archive=${1:?usage: appcds-training.sh ARCHIVE [COMMAND...]}
shift
(( $# )) || set -- /opt/jboss/container/java/run/run-java.sh
port=${PORT:-8080}
management_port=${GATEWAY_MANAGEMENT_PORT:-9000}

secret() { printf 'k%s' "$(od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n')"; } # 2n+1 characters
ready() {
    local status
    { exec 3<>"/dev/tcp/127.0.0.1/$management_port"; } 2>/dev/null || return 1 # not listening yet
    printf 'GET /q/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
    IFS= read -r -t 2 status <&3 || status=
    exec 3<&- 3>&-
    [[ $status == "HTTP/1."?" 200"* ]]
}

rm -f "$archive"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
env LIVEKIT_URL=ws://127.0.0.1:7880 LIVEKIT_API_KEY="APItraining$(secret 4)" LIVEKIT_API_SECRET="$(secret 24)" \
    OPENAI_API_KEY="sk-proj-$(secret 24)" GATEWAY_PREFLIGHT_ONLINE=false \
    GATEWAY_AUTH_MODE=api-key GATEWAY_AUTH_API_KEYS="$(secret 24)" GATEWAY_REALTIME_TICKET_SECRET="$(secret 24)" \
    QUARKUS_HTTP_HOST=127.0.0.1 PORT="$port" QUARKUS_MANAGEMENT_HOST=127.0.0.1 GATEWAY_MANAGEMENT_PORT="$management_port" \
    JAVA_OPTS_APPEND="${JAVA_OPTS_APPEND:-} -XX:ArchiveClassesAtExit=$archive" \
    "$@" >"$log" 2>&1 &
pid=$!

up=0
for _ in $(seq 600); do # 60 s
    if ready; then up=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || true # 0 after SIGTERM (the gateway drains, then exits); the archive is written during the JVM's orderly exit

if (( ! up )); then
    echo "appcds-training: the gateway did not become ready; no archive. Its log:" >&2
    tail -n 40 "$log" >&2
    exit 1
fi
if [[ ! -s $archive ]]; then
    echo "appcds-training: the JVM wrote no archive at $archive. A dynamic archive needs the JDK's default CDS archive" \
        "(lib/server/classes.jsa); if the JDK lacks it, create it as root with: java -Xshare:dump" >&2
    exit 1
fi
echo "appcds-training: wrote $archive ($(wc -c <"$archive") bytes)"
