#!/usr/bin/env bash
# Latency of allocation requests while one guest grows (see BENCHMARKS.md, "HTTP load"): fills a
# fresh lazy 1 TiB guest with POST /allocations of count=1000 order-0 pages, nothing freed, until
# it holds TARGET live pages (default 50 M), running wrk in phases of PHASE seconds and reporting
# per phase the live pages before and after, requests/s, and p50, p99 and max latency. A phase in
# which no request finished is reported as a stall of at least the phase's length.
#
# Few connections on purpose: one guest serialises its commands under its lock, so with c requests
# in flight each waits for the others, and the latency is at least c times the service time
# (Little's law); CONNECTIONS=4 measures what a request costs and how long the guest stalls, not
# the queue. RESULT picks the answer form (unset: blocks, which every build has).
#
#   bench/http-growth.sh
#   RESULT=summary JAR=target/cvmsim-0.1.0-SNAPSHOT.jar bench/http-growth.sh
set -euo pipefail

cd "$(dirname "$0")/.."
TARGET=${TARGET:-50000000}
PHASE=${PHASE:-3s}
JIT_WARMUP=${JIT_WARMUP:-20s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-4}
RESULT=${RESULT:-}
LOAD_BEFORE=$(cut -d ' ' -f 1-3 /proc/loadavg)
# shellcheck source=bench/service.sh
source bench/service.sh

# warm the JIT on a guest of its own, which stays small (each allocation is freed)
WARM=$(create_vm bench-growth-warmup 64GiB)
VM=$WARM COUNT=1000 FREE=1 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$JIT_WARMUP" -s bench/alloc.lua \
  "$BASE" >/dev/null
delete_vm "$WARM"

VM=$(create_vm bench-growth 1TiB)
ROWS=$(mktemp)
live=0
phase=0
worst_p99=0
stalls=0
stalled_in_a_row=0
started=$(date +%s)
while ((live < TARGET)); do
  phase=$((phase + 1))
  out=$(VM=$VM COUNT=1000 RESULT=$RESULT wrk -t"$THREADS" -c"$CONNECTIONS" -d"$PHASE" \
    -s bench/alloc.lua "$BASE")
  pages=$(awk '/^pages allocated:/ {print $3}' <<<"$out")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  read -r p50 p99 max < <(awk '/^latency \(us\):/ {print $4, $6, $8}' <<<"$out")
  if ((pages == 0)); then
    # no request finished within the phase: the guest stalled for all of it (wrk drops the
    # requests still in flight when the phase ends, so their latency is not in any percentile)
    stalls=$((stalls + 1))
    kill -0 "$APP_PID" 2>/dev/null || { echo "the service died; see $LOG" >&2; exit 1; }
    ((++stalled_in_a_row < 10)) || { echo "10 phases in a row without an answer" >&2; exit 1; }
    printf '| %d | %.1f M | 0 | – | ≥ %s (no request finished) | |\n' "$phase" \
      "$(bc -l <<<"$live / 1000000")" "$PHASE" | tee -a "$ROWS"
    continue
  fi
  stalled_in_a_row=0
  ((p99 > worst_p99)) && worst_p99=$p99
  printf '| %d | %.1f M → %.1f M | %s | %.2f | %.2f | %.2f |\n' "$phase" \
    "$(bc -l <<<"$live / 1000000")" "$(bc -l <<<"($live + $pages) / 1000000")" "$rps" \
    "$(bc -l <<<"$p50 / 1000")" "$(bc -l <<<"$p99 / 1000")" "$(bc -l <<<"$max / 1000")" \
    | tee -a "$ROWS"
  live=$((live + pages))
done
elapsed=$(($(date +%s) - started))
delete_vm "$VM"

echo
echo "## Growth to $((TARGET / 1000000)) M live pages ($(date -u +%Y-%m-%dT%H:%MZ), wrk -t$THREADS" \
  "-c$CONNECTIONS, phases of $PHASE, count=1000, result=${RESULT:-blocks})"
echo
echo "- machine: $(machine_line), load average before: $LOAD_BEFORE," \
  "after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "- jar: $JAR; java: $("$JAVA" -version 2>&1 | head -n 1); JAVA_OPTS='$JAVA_OPTS'"
echo "- $live pages in ${elapsed} s; the worst phase's p99: $(bc -l <<<"scale=2; $worst_p99 / 1000") ms;" \
  "phases in which no request finished (a stall of at least $PHASE each): $stalls"
echo
echo "| phase | live pages | requests/s | p50 (ms) | p99 (ms) | max (ms) |"
echo "| ---: | --- | ---: | ---: | ---: | ---: |"
cat "$ROWS"
rm -f "$ROWS"
