#!/usr/bin/env bash
# The console's targets (issue 15), on the embedded default that `./gantry up` runs, in Debian's
# headless Chromium driven by Selenium (testkit's classpath):
#   - first render of a rollout page with its evidence: from navigation start to every chart drawn,
#     repeated RENDERS times on the demo's promoted rollout (the one with the most samples);
#   - live update: while `./gantry demo` runs, the page of its running rollout is left open and
#     the time each new sample appears on the chart is compared with the sample's own time;
#   - memory: the console's RSS and the whole local stack's (every process `up` started and their
#     children), at the end.
# It starts the stack if needed and runs `./gantry demo` once (in the background, its output in
# var/bench/console/demo.log), and leaves the stack running: `./gantry down` stops it.
#
#   flock /tmp/gantry-heavy.lock bench/console/run.sh
#   ONLY=render flock /tmp/gantry-heavy.lock bench/console/run.sh   # no demo: the running stack's rollouts
#   RENDERS=50 GANTRY_MONITOR_INTERVAL=5s flock /tmp/gantry-heavy.lock bench/console/run.sh
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../deploy/local/lib.sh"

RENDERS="${RENDERS:-40}"
work="$VAR_DIR/bench/console"
mkdir -p "$work" "$LOG_DIR" "$LIB_DIR"
cd "$GANTRY_ROOT"

# the demo builds and starts everything it needs; the bench needs testkit's classpath (Selenium)
build_in_reactor "$LOG_DIR/bench-build.log" testkit
stage_classpath testkit "$TESTKIT_CLASSPATH_FILE"

log="$work/$(date -u +%Y%m%dT%H%M%SZ).log"
{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1)," \
    "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium: not found')"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); monitor interval ${GANTRY_MONITOR_INTERVAL:-5s}; load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$log"

if [[ "${ONLY:-}" == render ]]; then
  ./gantry up >"$work/demo.log" 2>&1
  sleep 1 &
else
  ./gantry demo >"$work/demo.log" 2>&1 &
fi
demo=$!
# shellcheck disable=SC1091
until [[ -s "$VAR_DIR/local.env" ]] && . "$VAR_DIR/local.env" && [[ -n "${GANTRY_CONSOLE_URL:-}" ]] &&
  curl -sf -o /dev/null "$GANTRY_CONSOLE_URL/q/health/ready"; do
  kill -0 "$demo" 2>/dev/null || die "./gantry demo ended before the console was up; see $work/demo.log"
  sleep 2
done

# the stack's processes: what up started (var/run/*.pid) and everything under them
pids_file="$work/stack.pids"
: >"$pids_file"
for f in "$RUN_DIR"/*.pid; do
  [[ -f "$f" ]] && printf '%s %s\n' "$(basename "$f" .pid)" "$(head -n 1 "$f")" >>"$pids_file"
done

status=0
GANTRY_OPERATOR_TOKEN="$GANTRY_OPERATOR_TOKEN" java -Xmx256m -cp "$(cat "$TESTKIT_CLASSPATH_FILE")" \
  "$GANTRY_ROOT/bench/console/ConsoleBench.java" \
  --console "$GANTRY_CONSOLE_URL" --rollout "$GANTRY_ROLLOUT_URL" --monitor "$GANTRY_MONITOR_URL" \
  --renders "$RENDERS" --pids "$pids_file" --demo-pid "$demo" --work "$work" 2>&1 | tee -a "$log" || status=$?
wait "$demo" || { warn "./gantry demo failed; see $work/demo.log"; status=1; }
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); log: ${log#"$GANTRY_ROOT"/}" | tee -a "$log"
exit "$status"
