#!/usr/bin/env bash
# Runs the JMH benchmarks of two commits side by side: both are built, then run alternately,
# ROUNDS times each, in one run on this machine, so both see the same background load
# (BENCHMARKS.md gives the numbers of such a run). The working tree is B unless B is named.
#
#   bench/jmh-side-by-side.sh f6c2747                 # f6c2747 against the working tree
#   BENCH='AllocatorBenchmark.allocFreeOrder0' ROUNDS=3 bench/jmh-side-by-side.sh HEAD~1 HEAD
#
# BENCH: JMH's benchmark regex (default: the core benchmarks of BENCHMARKS.md); JMH_ARGS: more
# JMH options (default "-f 1"). Results go to target/jmh-side/{A,B}-<round>.json; the summary
# (median of the rounds' scores, B/A) is printed and written to target/jmh-side/summary.md.
set -euo pipefail

cd "$(dirname "$0")/.."
A_REF=${1:?name the base commit, e.g. HEAD~1}
B_REF=${2:-}
ROUNDS=${ROUNDS:-2}
BENCH=${BENCH:-'AllocatorBenchmark|KernelBuildBenchmark|AcceptBenchmark|VmCreationBenchmark'}
JMH_ARGS=${JMH_ARGS:--f 1}
OUT=$PWD/target/jmh-side
mkdir -p "$OUT"
trees=()
cleanup() { for t in "${trees[@]}"; do git worktree remove --force "$t" >/dev/null 2>&1 || true; done; }
trap cleanup EXIT

tree_of() { # ref -> TREE: a directory with that commit checked out (the working tree when ref is
  # empty); not called in a subshell, so that the cleanup sees every tree it made
  if [ -z "$1" ]; then TREE=$PWD; return; fi
  TREE=$(mktemp -d /tmp/jmh-side.XXXXXX)
  git worktree add --detach -q "$TREE" "$1"
  trees+=("$TREE")
}

tree_of "$A_REF"
A_DIR=$TREE
tree_of "$B_REF"
B_DIR=$TREE
for d in "$A_DIR" "$B_DIR"; do
  echo "# building $(git -C "$d" rev-parse --short HEAD) in $d" >&2
  (cd "$d" && ./mvnw -q -Pjmh -DskipTests -Dspotless.check.skip=true test-compile) >&2
done
echo "# A = $A_REF ($(git -C "$A_DIR" rev-parse --short HEAD)), B = ${B_REF:-working tree} ($(git -C "$B_DIR" rev-parse --short HEAD))"
echo "# $BENCH, $ROUNDS rounds, $JMH_ARGS; load average at start: $(cut -d ' ' -f 1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    dir=${side}_DIR
    echo "# $side, round $round ($(date -u +%H:%M:%S))" >&2
    (cd "${!dir}" && ./mvnw -q -Pjmh exec:exec \
      -Djmh.args="$BENCH $JMH_ARGS -rf json -rff $OUT/$side-$round.json") > "$OUT/$side-$round.log" 2>&1
  done
done

python3 - "$OUT" "$ROUNDS" <<'PY' | tee "$OUT/summary.md"
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])

def load(side):
    scores = {}
    for r in range(1, rounds + 1):
        for b in json.load(open(f"{out}/{side}-{r}.json")):
            params = ",".join(f"{k}={v}" for k, v in sorted(b.get("params", {}).items()))
            m = b["primaryMetric"]
            if b["mode"] == "sample":
                value, unit = m["scorePercentiles"]["50.0"], m["scoreUnit"] + " (median)"
            else:
                value, unit = m["score"], m["scoreUnit"]
            key = (b["benchmark"].replace("io.cvmsim.bench.", ""), params, unit)
            scores.setdefault(key, []).append(value)
    return scores

a, b = load("A"), load("B")
print("| benchmark | params | unit | A | B | B/A |")
print("|---|---|---|---:|---:|---:|")
for key in sorted(set(a) | set(b)):
    va = statistics.median(a[key]) if key in a else None
    vb = statistics.median(b[key]) if key in b else None
    ratio = f"{vb / va:.3f}" if va and vb else "–"
    fmt = lambda v: "–" if v is None else f"{v:.4g}"
    print(f"| {key[0]} | {key[1]} | {key[2]} | {fmt(va)} | {fmt(vb)} | {ratio} |")
PY
