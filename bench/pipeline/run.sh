#!/usr/bin/env bash
# The whole pipeline's answer to a bad release (issue 6): canary serving → RollbackRequested →
# stable at 100 %, repeated for a median and a p99, on the embedded default that `./gantry up` runs
# (real Kafka and PostgreSQL, the four services, the local router, the monitor at its 5 s interval).
# Each invocation registers a new app, brings a healthy release to 100 %, sends steady traffic
# through the app's proxy, then RUNS times pushes a release with the fault KIND (a real commit of
# examples/hello) and waits until it is rolled back. e2e's BreachBench prints a line per release
# and the distributions; the exit code is 1 if any release was not rolled back.
#
# It starts the stack if this worktree's is not running, waits while another one holds the ports
# (up to WAIT_S, 1800 s), and leaves it running: `./gantry down` stops it. It builds in the reactor
# only, as `./gantry up` does (lib.sh's build_in_reactor), never `mvn install`.
#
#   flock /tmp/gantry-heavy.lock bench/pipeline/run.sh            # 20 error-rate breaches at 50 req/s
#   RPS=400 flock /tmp/gantry-heavy.lock bench/pipeline/run.sh    # the 5 % canary gets 20 req/s
#   KIND=goroutine-leak RUNS=5 flock /tmp/gantry-heavy.lock bench/pipeline/run.sh
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../deploy/local/lib.sh"

RUNS="${RUNS:-20}"
KIND="${KIND:-errors}"
RPS="${RPS:-50}"
WAIT_S="${WAIT_S:-1800}"
work="$VAR_DIR/bench/pipeline"
mkdir -p "$work" "$LOG_DIR" "$LIB_DIR"
cd "$GANTRY_ROOT"

# a rebuild replaces quarkus-app/ under a running service: only when none of ours runs
ours_running() {
  local c
  for c in build-api build-worker rollout-service monitor-service; do
    running_pid "$c" >/dev/null && return 0
  done
  return 1
}

foreign_ports() {
  local c
  for c in "${COMPONENTS[@]}"; do
    running_pid "$c" >/dev/null && continue
    port_in_use "$(port_of "$c")" && return 0
  done
  return 1
}

deadline=$((SECONDS + WAIT_S))
while foreign_ports; do
  ((SECONDS < deadline)) || die "another stack still holds Gantry's ports after ${WAIT_S}s"
  info "another stack holds Gantry's ports (./gantry up of another worktree?); waiting…"
  sleep 30
done

modules=(testkit e2e)
ours_running || modules+=(build-api build-worker rollout-service monitor-service)
build_in_reactor "$LOG_DIR/bench-build.log" "${modules[@]}"
# staged where up looks for them, so up finds nothing to build
stage_classpath testkit "$TESTKIT_CLASSPATH_FILE"
stage_classpath e2e "$E2E_CLASSPATH_FILE"

./gantry up

go="${GANTRY_GO:-/usr/lib/go-1.23/bin/go}"
log="$work/$(date -u +%Y%m%dT%H%M%SZ)-$KIND-${RPS}rps.log"
{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1)," \
    "$("$go" version 2>/dev/null || echo 'go: not found')"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); kind $KIND, $RUNS runs, $RPS requests/s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$log"
status=0
java -Xmx256m -cp "$(cat "$E2E_CLASSPATH_FILE")" dev.gantry.e2e.BreachBench "$GANTRY_ROOT" \
  --runs "$RUNS" --kind "$KIND" --rps "$RPS" 2>&1 | tee -a "$log" || status=$?
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); log: ${log#"$GANTRY_ROOT"/}" | tee -a "$log"
exit "$status"
