# Sourced by the HTTP benchmarks: starts the service from a jar on 127.0.0.1:$PORT and stops it
# (by its PID) when the script exits, also on failure; creates and deletes guests over the API.
#
#   JAR=path/to.jar   the jar to run (default: build with ./mvnw unless SKIP_BUILD=1, then the
#                     application jar in target/)
#   JAVA=java         the java launcher; JAVA_OPTS and APP_ARGS are passed to it
PORT=${PORT:-18089}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
APP_ARGS=${APP_ARGS:-}
BASE="http://127.0.0.1:${PORT}"
LOG=${LOG:-target/bench-app.log}

command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 1; }

if [[ -z "${JAR:-}" ]]; then
  if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    ./mvnw -B -q -DskipTests package
  fi
  for f in target/cvmsim-*.jar; do
    [[ "$f" == *-plain.jar ]] || JAR=$f
  done
fi
[[ -n "${JAR:-}" && -f "$JAR" ]] || { echo "no jar (set JAR or build into target/)" >&2; exit 1; }
mkdir -p "$(dirname "$LOG")"

# shellcheck disable=SC2086
"$JAVA" $JAVA_OPTS -jar "$JAR" --server.port="$PORT" --server.address=127.0.0.1 $APP_ARGS \
  >"$LOG" 2>&1 &
APP_PID=$!
stop_service() {
  if kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID"
    wait "$APP_PID" 2>/dev/null || true
  fi
}
trap stop_service EXIT

for _ in $(seq 1 240); do
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
# whether the service offers the compact allocation answers ("result"; older builds refuse it)
compact_answers() { # vm id
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/api/v1/vms/$1/allocations" \
    -H 'Content-Type: application/json' -d '{"count":1,"result":"summary"}')" == 201 ]]
}
machine_line() {
  echo "$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM"
}
