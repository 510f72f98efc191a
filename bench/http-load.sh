#!/usr/bin/env bash
# HTTP load benchmark of the REST API with wrk (see BENCHMARKS.md, "HTTP load").
#
# Builds the jar (unless SKIP_BUILD=1 or JAR=... names one), starts it on localhost:$PORT, creates
# VMs and measures requests/s and latency percentiles for: GET meminfo as text and as JSON, POST
# allocations with count 1 and count 1000 in each answer form (pages allocated per second), count
# 1000 followed by freeing them (by pfn, and by batch), and POST accept. Stops the jar (by its PID)
# at the end, also on failure. Only localhost is ever contacted. A build without the compact
# answers ("result", POST /frees {"batch"}) gets "n/a" in their rows, so the same script measures
# an older jar side by side:
#
#   bench/http-load.sh                      # defaults below
#   DURATION=30s CONNECTIONS=64 bench/http-load.sh
#   JAR=/tmp/old/target/cvmsim-0.1.0-SNAPSHOT.jar bench/http-load.sh
#   SCENARIOS=views bench/http-load.sh      # only some: views, alloc, steady, accept
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
JIT_WARMUP=${JIT_WARMUP:-20s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
SCENARIOS=" ${SCENARIOS:-views alloc steady accept} "
LOAD_BEFORE=$(cut -d ' ' -f 1-3 /proc/loadavg)
# shellcheck source=bench/service.sh
source bench/service.sh

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
not_offered() {
  echo "$1|n/a (no compact answers in this build)|||" >>"$RESULTS"
}

VM=$(create_vm bench-views 64GiB)
curl -fs -X POST "$BASE/api/v1/vms/$VM/allocations" -H 'Content-Type: application/json' \
  -d '{"order":0,"count":10000,"gfp":"GFP_HIGHUSER_MOVABLE"}' >/dev/null
COMPACT=0
if compact_answers "$VM"; then COMPACT=1; fi
# Spring, Tomcat and Jackson need tens of seconds of traffic before the JIT has compiled their hot
# paths (C2 threads compete for the same two cores); measure only after that.
echo "warming up the JIT: $JIT_WARMUP per request kind"
if [[ $SCENARIOS == *" views "* ]]; then
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$JIT_WARMUP" -H 'Accept: text/plain' "$BASE/api/v1/vms/$VM/meminfo" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$JIT_WARMUP" "$BASE/api/v1/vms/$VM/meminfo" >/dev/null
fi
if [[ $SCENARIOS == *" alloc "* || $SCENARIOS == *" steady "* ]]; then
  VM=$VM COUNT=1000 FREE=1 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$JIT_WARMUP" -s bench/alloc.lua "$BASE" >/dev/null
  if [[ $COMPACT == 1 ]]; then
    VM=$VM COUNT=1000 RESULT=summary FREE=batch \
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"$JIT_WARMUP" -s bench/alloc.lua "$BASE" >/dev/null
  fi
fi
if [[ $SCENARIOS == *" views "* ]]; then
  run "GET meminfo (text/plain)" -H 'Accept: text/plain' "$BASE/api/v1/vms/$VM/meminfo"
  run "GET meminfo (JSON)" -H 'Accept: application/json' "$BASE/api/v1/vms/$VM/meminfo"
fi
delete_vm "$VM"

# Allocation only, on a fresh 1 TiB guest each: nothing is freed, so the guest's per-page state
# grows for the whole run (what a guest filling up costs).
for form in count1 blocks pfns summary; do
  [[ $SCENARIOS == *" alloc "* ]] || break
  count=1000
  result=$form
  label="POST allocations count=1000 (order 0, \"result\": \"$form\")"
  case $form in
    count1) count=1 result= label="POST allocations count=1 (order 0)" ;;
    blocks) result= label="POST allocations count=1000 (order 0, blocks)" ;;
  esac
  if [[ -n "$result" && $COMPACT == 0 ]]; then
    not_offered "$label"
    continue
  fi
  VM=$(create_vm "bench-alloc-$form" 1TiB)
  VM=$VM COUNT=$count RESULT=$result wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" \
    -s bench/alloc.lua "$BASE" >/dev/null
  VM=$VM COUNT=$count RESULT=$result run "$label" -s bench/alloc.lua "$BASE"
  delete_vm "$VM"
done

# Steady state: every allocation of 1000 pages is followed by a POST /frees of what it got: by
# pfn (the Lua client reads them from the answer; a 68 KB blocks answer costs wrk a good part of
# a core to parse) or by batch.
for form in blocks pfns summary; do
  [[ $SCENARIOS == *" steady "* ]] || break
  label="POST allocations count=1000 ($form) + POST frees of them"
  free=1
  result=$form
  case $form in
    blocks) result= label="POST allocations count=1000 (blocks) + POST frees of their pfns" ;;
    pfns) label="POST allocations count=1000 (pfns) + POST frees of their pfns" ;;
    summary) free=batch label="POST allocations count=1000 (summary) + POST frees of the batch" ;;
  esac
  if [[ -n "$result" && $COMPACT == 0 ]]; then
    not_offered "$label"
    continue
  fi
  VM=$(create_vm "bench-alloc-free-$form" 64GiB)
  VM=$VM COUNT=1000 RESULT=$result FREE=$free run "$label" -s bench/alloc.lua "$BASE"
  delete_vm "$VM"
done

if [[ $SCENARIOS == *" accept "* ]]; then
  VM=$(create_vm bench-accept-warmup 4TiB)
  VM=$VM wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/accept.lua "$BASE" >/dev/null
  delete_vm "$VM"
  VM=$(create_vm bench-accept 4TiB)
  VM=$VM run "POST accept (2 MiB + guard unit, never accepted before)" -s bench/accept.lua "$BASE"
  delete_vm "$VM"
fi

echo
echo "## Summary ($(date -u +%Y-%m-%dT%H:%MZ), wrk -t$THREADS -c$CONNECTIONS -d$DURATION)"
echo
echo "- machine: $(machine_line), load average before: $LOAD_BEFORE," \
  "after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "- jar: $JAR; java: $("$JAVA" -version 2>&1 | head -n 1); JAVA_OPTS='$JAVA_OPTS'" \
  "APP_ARGS='$APP_ARGS'"
echo
echo "| scenario | requests/s | p50 | p99 | pages allocated/s |"
echo "| --- | ---: | ---: | ---: | ---: |"
while IFS='|' read -r label rps p50 p99 pages; do
  echo "| $label | $rps | $p50 | $p99 | $pages |"
done <"$RESULTS"
rm -f "$RESULTS"
