#!/usr/bin/env bash
# Sweep throughput (BENCHMARKS.md, "Sweeps"): configurations per second of one process running a
# whole sweep, and of two processes running its two shards at once; then merges the two shards
# and checks the merged table is byte for byte the one process's. Prints the machine, the
# figures, and the time 10,000 configurations would take on N pods, derived from the measured
# per-configuration time and JVM start (not measured on a cluster).
#
#   bench/sweep-throughput.sh                         # bench/sweep-bench.yaml (48 configurations)
#   SWEEP=examples/sweep-1000.yaml bench/sweep-throughput.sh
#   SKIP_BUILD=1 JAVA_OPTS=-Xmx1g bench/sweep-throughput.sh
set -euo pipefail

cd "$(dirname "$0")/.."
SWEEP=${SWEEP:-bench/sweep-bench.yaml}
JAVA_OPTS=${JAVA_OPTS:-}
OUT=${OUT:-target/sweep-bench}

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

now() { date +%s.%N; }

# run NAME ARGS...: runs the jar headless, its log in $OUT/NAME.log; fails on a non-zero exit.
run() {
  local name=$1
  shift
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" "$@" 2>"$OUT/$name.log" || {
    echo "$name failed; see $OUT/$name.log" >&2
    exit 1
  }
}

# inproc LOG: the in-process seconds of the sweep line "N configurations in X s".
inproc() { sed -nE 's/.*: ([0-9]+) configurations in ([0-9.]+) s .*/\2/p' "$1" | tail -1; }
count() { sed -nE 's/.*: ([0-9]+) configurations in ([0-9.]+) s .*/\1/p' "$1" | tail -1; }

echo "machine: $(nproc) CPUs, $(sed -nE 's/^model name\s*:\s*//p' /proc/cpuinfo | head -1)," \
  "$(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sweep:   $SWEEP"

t0=$(now)
run one --cvmsim.sweep="$SWEEP" --cvmsim.sweep.out="$OUT/one"
t1=$(now)
n=$(count "$OUT/one.log")
one_wall=$(echo "$t1 - $t0" | bc -l)
one_in=$(inproc "$OUT/one.log")

t0=$(now)
run shard0 --cvmsim.sweep="$SWEEP" --cvmsim.sweep.shard=0/2 --cvmsim.sweep.out="$OUT/shards" &
p0=$!
run shard1 --cvmsim.sweep="$SWEEP" --cvmsim.sweep.shard=1/2 --cvmsim.sweep.out="$OUT/shards" &
p1=$!
wait "$p0"
wait "$p1"
t1=$(now)
two_wall=$(echo "$t1 - $t0" | bc -l)
two_in0=$(inproc "$OUT/shard0.log")
two_in1=$(inproc "$OUT/shard1.log")
two_in=$(echo "if ($two_in0 > $two_in1) $two_in0 else $two_in1" | bc -l)

run merge --cvmsim.sweep.merge="$OUT/shards" --cvmsim.sweep.out="$OUT/merged"
name=$(basename "$(ls "$OUT"/one/*.csv)" .csv)
if cmp -s "$OUT/one/$name.csv" "$OUT/merged/$name.csv" \
  && cmp -s "$OUT/one/$name.jsonl" "$OUT/merged/$name.jsonl"; then
  identical=yes
else
  identical=NO
fi

per=$(echo "$one_in / $n" | bc -l)
start=$(echo "$one_wall - $one_in" | bc -l)
printf '\n%-34s %14s %14s %12s %12s\n' "run" "wall s" "in-process s" "config/s" "(in-proc)"
printf '%-34s %14.1f %14.1f %12.2f %12.2f\n' "1 process, $n configurations" \
  "$one_wall" "$one_in" "$(echo "$n / $one_wall" | bc -l)" "$(echo "$n / $one_in" | bc -l)"
printf '%-34s %14.1f %14.1f %12.2f %12.2f\n' "2 processes (shards 0/2 and 1/2)" \
  "$two_wall" "$two_in" "$(echo "$n / $two_wall" | bc -l)" "$(echo "$n / $two_in" | bc -l)"
printf '\nmerged 2 shards = 1 process, byte for byte: %s\n' "$identical"
printf 'per configuration: %.3f s in process; JVM start and shutdown: %.1f s\n' "$per" "$start"
echo
echo "derived (not measured): 10,000 configurations on N pods, one shard per pod, each pod with"
echo "a CPU of this machine's speed to itself: start + ceil(10000 / N) x per configuration"
printf '%8s %12s\n' "pods" "minutes"
for pods in 1 2 4 10 20 50 100; do
  printf '%8d %12.1f\n' "$pods" \
    "$(echo "($start + $(((10000 + pods - 1) / pods)) * $per) / 60" | bc -l)"
done
[[ $identical == yes ]]
