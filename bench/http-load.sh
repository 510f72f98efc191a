#!/usr/bin/env bash
# HTTP load benchmark of the REST API with wrk (see BENCHMARKS.md, "HTTP load").
#
# Builds the jar (unless SKIP_BUILD=1), starts it on localhost:$PORT, creates VMs and measures
# requests/s and latency percentiles for: GET meminfo as text and as JSON, POST allocations with
# count 1 and count 1000 (pages allocated per second), and POST accept. Stops the jar (by its PID)
# at the end, also on failure. Only localhost is ever contacted.
#
#   bench/http-load.sh                      # defaults below
#   DURATION=30s CONNECTIONS=64 bench/http-load.sh
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${PORT:-18089}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
JIT_WARMUP=${JIT_WARMUP:-20s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
JAVA_OPTS=${JAVA_OPTS:-}
BASE="http://127.0.0.1:${PORT}"
LOG=target/bench-app.log

command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 1; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q -DskipTests package
fi
JAR=
for f in target/cvmsim-*.jar; do
  [[ "$f" == *-plain.jar ]] || JAR=$f
done
[[ -n "$JAR" ]] || { echo "no jar in target/" >&2; exit 1; }

# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" --server.port="$PORT" --server.address=127.0.0.1 >"$LOG" 2>&1 &
APP_PID=$!
cleanup() {
  if kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID"
    wait "$APP_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  if curl -fs "$BASE/readyz" >/dev/null 2>&1; then break; fi
  kill -0 "$APP_PID" 2>/dev/null || { echo "the service did not start; see $LOG" >&2; exit 1; }
  sleep 0.5
done
curl -fs "$BASE/readyz" >/dev/null

create_vm() { # name memory -> id
  curl -fs -X POST "$BASE/api/v1/vms" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"memory\":\"$2\"}" | sed -E 's/^\{"id":"([^"]+)".*/\1/'
}
delete_vm() {
  curl -fs -X DELETE "$BASE/api/v1/vms/$1" >/dev/null
}

LOAD_BEFORE=$(cut -d ' ' -f 1-3 /proc/loadavg)
RESULTS=$(mktemp)
# run <label> <wrk args...>: runs wrk, prints its output, appends "label|req/s|p50|p99|extra"
run() {
  local label=$1
  shift
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@")
  echo "### $label"
  echo "$out"
  local rps p50 p99 pages
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  pages=$(awk '/^pages\/s:/ {print $2}' <<<"$out")
  echo "$label|$rps|$p50|$p99|${pages:--}" >>"$RESULTS"
}

VM=$(create_vm bench-views 64GiB)
curl -fs -X POST "$BASE/api/v1/vms/$VM/allocations" -H 'Content-Type: application/json' \
  -d '{"order":0,"count":10000,"gfp":"GFP_HIGHUSER_MOVABLE"}' >/dev/null
# Spring, Tomcat and Jackson need tens of seconds of traffic before the JIT has compiled their hot
# paths (C2 threads compete for the same two cores); measure only after that.
echo "warming up the JIT: $JIT_WARMUP per request kind"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$JIT_WARMUP" -H 'Accept: text/plain' "$BASE/api/v1/vms/$VM/meminfo" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$JIT_WARMUP" "$BASE/api/v1/vms/$VM/meminfo" >/dev/null
VM=$VM COUNT=1000 FREE=1 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$JIT_WARMUP" -s bench/alloc.lua "$BASE" >/dev/null
run "GET meminfo (text/plain)" -H 'Accept: text/plain' "$BASE/api/v1/vms/$VM/meminfo"
run "GET meminfo (JSON)" -H 'Accept: application/json' "$BASE/api/v1/vms/$VM/meminfo"
delete_vm "$VM"

# Allocation only, on a fresh 1 TiB guest each: nothing is freed, so the guest's per-page state
# grows for the whole run (what a guest filling up costs).
for count in 1 1000; do
  VM=$(create_vm "bench-alloc-$count" 1TiB)
  VM=$VM COUNT=$count wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/alloc.lua \
    "$BASE" >/dev/null
  VM=$VM COUNT=$count run "POST allocations count=$count (order 0)" -s bench/alloc.lua "$BASE"
  delete_vm "$VM"
done

# Steady state: every allocation of 1000 pages is followed by a POST /frees of what it got (the
# Lua client parses each 68 KB answer for the pfns, which costs wrk a good part of a core).
VM=$(create_vm bench-alloc-free 64GiB)
VM=$VM COUNT=1000 FREE=1 run "POST allocations count=1000 + POST frees of them" \
  -s bench/alloc.lua "$BASE"
delete_vm "$VM"

VM=$(create_vm bench-accept-warmup 4TiB)
VM=$VM wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/accept.lua "$BASE" >/dev/null
delete_vm "$VM"
VM=$(create_vm bench-accept 4TiB)
VM=$VM run "POST accept (2 MiB + guard unit, never accepted before)" -s bench/accept.lua "$BASE"
delete_vm "$VM"

echo
echo "## Summary ($(date -u +%Y-%m-%dT%H:%MZ), wrk -t$THREADS -c$CONNECTIONS -d$DURATION)"
echo
echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)," \
  "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM," \
  "load average before: $LOAD_BEFORE"
echo "- java: $(java -version 2>&1 | head -n 1); JAVA_OPTS='$JAVA_OPTS'"
echo
echo "| scenario | requests/s | p50 | p99 | pages allocated/s |"
echo "| --- | ---: | ---: | ---: | ---: |"
while IFS='|' read -r label rps p50 p99 pages; do
  echo "| $label | $rps | $p50 | $p99 | $pages |"
done <"$RESULTS"
rm -f "$RESULTS"
