#!/usr/bin/env bash
# Sweep throughput (BENCHMARKS.md, "Sweeps"): configurations per second of one process running a
# whole sweep, and of two processes running its two shards at once (REPEAT times each, the best
# kept); then merges the two shards and checks the merged table is byte for byte the one
# process's. Prints the machine and its load, wall-clock and CPU figures, and the time 10,000
# configurations would take on N pods, derived from the measured CPU time per configuration and
# of a run's fixed part (JVM and Spring start, measured with a one-configuration sweep); derived,
# not measured on a cluster. CPU time is reported because a shared machine's wall-clock time
# says more about its other tenants than about cvmsim.
#
#   bench/sweep-throughput.sh                         # bench/sweep-bench.yaml (48 configurations)
#   SWEEP=examples/sweep-1000.yaml REPEAT=1 bench/sweep-throughput.sh
#   SKIP_BUILD=1 JAVA_OPTS=-Xmx1g bench/sweep-throughput.sh
set -euo pipefail

cd "$(dirname "$0")/.."
SWEEP=${SWEEP:-bench/sweep-bench.yaml}
JAVA_OPTS=${JAVA_OPTS:-}
OUT=${OUT:-target/sweep-bench}
REPEAT=${REPEAT:-3}

command -v bc >/dev/null || { echo "bc is not installed" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is not installed (Debian: time)" >&2; exit 1; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q -DskipTests package
fi
JAR=
for f in target/cvmsim-*.jar; do
  [[ "$f" == *-plain.jar ]] || JAR=$f
done
[[ -n "$JAR" ]] || { echo "no jar in target/" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"

# run NAME ARGS...: runs the jar headless; its log in $OUT/NAME.log, "wall user sys" seconds in
# $OUT/NAME.time; fails on a non-zero exit.
run() {
  local name=$1
  shift
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e %U %S" -o "$OUT/$name.time" java $JAVA_OPTS -jar "$JAR" "$@" \
    2>"$OUT/$name.log" || {
    echo "$name failed; see $OUT/$name.log" >&2
    exit 1
  }
}

# The sweep's own line: "N configurations in X s (...)".
inproc() { sed -nE 's/.*: ([0-9]+) configurations in ([0-9.]+) s .*/\2/p' "$1" | tail -1; }
count() { sed -nE 's/.*: ([0-9]+) configurations in ([0-9.]+) s .*/\1/p' "$1" | tail -1; }
wall() { cut -d' ' -f1 "$1"; }
cpu() { awk '{print $2 + $3}' "$1"; }
max() { echo "if ($1 > $2) $1 else $2" | bc -l; }
lt() { [[ $(echo "$1 < $2" | bc -l) == 1 ]]; }

echo "machine: $(nproc) CPUs, $(sed -nE 's/^model name\s*:\s*//p' /proc/cpuinfo | head -1)," \
  "$(java -version 2>&1 | head -1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# The fixed part of a run: one 64 MiB guest, boot only.
printf 'name: fixed\nmemorySizes: [64MiB]\npolicies: [LAZY]\nmeasures: [boot.seconds]\n' \
  >"$OUT/fixed.yaml"
run fixed --cvmsim.sweep="$OUT/fixed.yaml" --cvmsim.sweep.out="$OUT/fixed"
echo "sweep: $SWEEP, best of $REPEAT"

best1=""
best2=""
for r in $(seq 1 "$REPEAT"); do
  rm -rf "$OUT/one" "$OUT/shards"
  run "one-$r" --cvmsim.sweep="$SWEEP" --cvmsim.sweep.out="$OUT/one"
  if [[ -z $best1 ]] || lt "$(wall "$OUT/one-$r.time")" "$(wall "$OUT/one-$best1.time")"; then
    best1=$r
  fi
  start=$(date +%s.%N)
  run "shard0-$r" --cvmsim.sweep="$SWEEP" --cvmsim.sweep.shard=0/2 --cvmsim.sweep.out="$OUT/shards" &
  p0=$!
  run "shard1-$r" --cvmsim.sweep="$SWEEP" --cvmsim.sweep.shard=1/2 --cvmsim.sweep.out="$OUT/shards" &
  p1=$!
  wait "$p0"
  wait "$p1"
  echo "$(echo "$(date +%s.%N) - $start" | bc -l)" >"$OUT/two-$r.wall"
  if [[ -z $best2 ]] || lt "$(cat "$OUT/two-$r.wall")" "$(cat "$OUT/two-$best2.wall")"; then
    best2=$r
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

run merge --cvmsim.sweep.merge="$OUT/shards" --cvmsim.sweep.out="$OUT/merged"
name=$(basename "$(ls "$OUT"/one/*.csv)" .csv)
if cmp -s "$OUT/one/$name.csv" "$OUT/merged/$name.csv" \
  && cmp -s "$OUT/one/$name.jsonl" "$OUT/merged/$name.jsonl"; then
  identical=yes
else
  identical=NO
fi

n=$(count "$OUT/one-$best1.log")
one_wall=$(wall "$OUT/one-$best1.time")
one_in=$(inproc "$OUT/one-$best1.log")
one_cpu=$(cpu "$OUT/one-$best1.time")
two_wall=$(cat "$OUT/two-$best2.wall")
two_in=$(max "$(inproc "$OUT/shard0-$best2.log")" "$(inproc "$OUT/shard1-$best2.log")")
two_cpu=$(echo "$(cpu "$OUT/shard0-$best2.time") + $(cpu "$OUT/shard1-$best2.time")" | bc -l)

printf '\n%-33s %8s %8s %9s %10s %10s\n' "run" "wall s" "sweep s" "CPU s" "config/s" "(sweep)"
printf '%-33s %8.1f %8.1f %9.1f %10.2f %10.2f\n' "1 process, $n configurations" \
  "$one_wall" "$one_in" "$one_cpu" "$(echo "$n / $one_wall" | bc -l)" "$(echo "$n / $one_in" | bc -l)"
printf '%-33s %8.1f %8.1f %9.1f %10.2f %10.2f\n' "2 processes, shards 0/2 and 1/2" \
  "$two_wall" "$two_in" "$two_cpu" "$(echo "$n / $two_wall" | bc -l)" "$(echo "$n / $two_in" | bc -l)"
echo "(wall: the process(es) from start to exit; sweep: the sweep's own time, JVM start and"
echo " shutdown excluded; CPU: user + system of the process(es), JIT and GC threads included)"
printf '\nmerged 2 shards = 1 process, byte for byte: %s\n' "$identical"

fixed_cpu=$(cpu "$OUT/fixed.time")
per=$(echo "($one_cpu - $fixed_cpu) / $n" | bc -l)
printf 'fixed part of a run (JVM and Spring start, one tiny configuration): %.1f s CPU, %.1f s wall\n' \
  "$fixed_cpu" "$(wall "$OUT/fixed.time")"
printf 'per configuration: %.3f s CPU (%.3f s of the sweep'"'"'s own wall-clock time)\n' \
  "$per" "$(echo "$one_in / $n" | bc -l)"
echo
echo "derived (not measured): 10,000 configurations on N pods, one shard per pod, each pod with"
echo "one CPU like this machine's to itself: fixed part + ceil(10000 / N) x per configuration (CPU)"
printf '%8s %12s\n' "pods" "minutes"
for pods in 1 2 4 10 20 50 100; do
  printf '%8d %12.1f\n' "$pods" \
    "$(echo "($fixed_cpu + $(((10000 + pods - 1) / pods)) * $per) / 60" | bc -l)"
done
[[ $identical == yes ]]
