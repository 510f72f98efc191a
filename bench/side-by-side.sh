#!/usr/bin/env bash
# Runs an HTTP benchmark against two builds (or two settings) alternately, ROUNDS times each, on
# the same machine in one run, so that both see the same background load (see BENCHMARKS.md):
#
#   A_JAR=/tmp/base.jar B_JAR=target/cvmsim-0.1.0-SNAPSHOT.jar bench/side-by-side.sh
#   A_JAR=x.jar B_JAR=x.jar B_ARGS=--server.tomcat.max-keep-alive-requests=-1 SCENARIOS=views \
#     bench/side-by-side.sh
#
# A_JAR/B_JAR: the jars; A_ARGS/B_ARGS: application arguments; A_JAVA/B_JAVA: java launchers;
# A_OPTS/B_OPTS: JVM options; SCRIPT: bench/http-load.sh (default) or bench/http-growth.sh. Every
# other setting of the script (SCENARIOS, DURATION, RESULT, ...) applies to both. Prints each
# run's summary, labelled A or B with its round.
set -euo pipefail

cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2}
SCRIPT=${SCRIPT:-bench/http-load.sh}
: "${A_JAR:?set A_JAR}" "${B_JAR:?set B_JAR}"
echo "# side by side: A=$A_JAR ${A_ARGS:-} ${A_OPTS:-} ${A_JAVA:-}; B=$B_JAR ${B_ARGS:-} ${B_OPTS:-} ${B_JAVA:-}"
echo "# $SCRIPT, $ROUNDS rounds, load average at start: $(cut -d ' ' -f 1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    jar=${side}_JAR args=${side}_ARGS opts=${side}_OPTS java=${side}_JAVA
    echo
    echo "# $side, round $round"
    JAR=${!jar} APP_ARGS=${!args:-} JAVA_OPTS=${!opts:-} JAVA=${!java:-java} \
      LOG=target/bench-app-$side.log "$SCRIPT" | sed -n '/^## /,$p'
  done
done
