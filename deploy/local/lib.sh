# shellcheck shell=bash disable=SC2034
# Shared by ./gantry and deploy/local/*.sh: paths, messages, components, processes.
# Sourced, never run.

GANTRY_ROOT="${GANTRY_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
VAR_DIR="$GANTRY_ROOT/var"
RUN_DIR="$VAR_DIR/run"
LOG_DIR="$VAR_DIR/log"
DATA_DIR="$VAR_DIR/data"
LIB_DIR="$VAR_DIR/lib"
SHARED_ROOT="$VAR_DIR/shared"
SECRETS_FILE="$VAR_DIR/secrets.env"
LOCAL_ENV_FILE="$VAR_DIR/local.env"
# what the testkit servers (Kafka, PostgreSQL) and the demo's scenario run from: jars staged in
# var/lib by build_in_reactor, so that a rebuild of target/ never replaces a jar a process has open
TESTKIT_CLASSPATH_FILE="$VAR_DIR/testkit.classpath"
E2E_CLASSPATH_FILE="$VAR_DIR/e2e.classpath"
BUILD_API_JAR="$GANTRY_ROOT/build-api/target/quarkus-app/quarkus-run.jar"
BUILD_WORKER_JAR="$GANTRY_ROOT/build-worker/target/quarkus-app/quarkus-run.jar"
ROLLOUT_SERVICE_JAR="$GANTRY_ROOT/rollout-service/target/quarkus-app/quarkus-run.jar"
MONITOR_SERVICE_JAR="$GANTRY_ROOT/monitor-service/target/quarkus-app/quarkus-run.jar"
CONSOLE_JAR="$GANTRY_ROOT/console/target/quarkus-app/quarkus-run.jar"
# Debian's prometheus-alertmanager, started by up only when asked for (alertmanager_configured)
ALERTMANAGER_BINARY=/usr/bin/prometheus-alertmanager
ALERTMANAGER_DATA_DIR="$DATA_DIR/alertmanager"
# the local router's children (pids, ports, logs), kept across restarts so they are adopted
ROLLOUT_DIR="$VAR_DIR/rollout"
# the worker's own disk: Go's build cache, module cache and workspaces (never the shared root)
WORKER_DIR="$VAR_DIR/worker"

# Where monitor-service's pages end up when the user set no channel of their own (its plain
# webhook channel, or the local Alertmanager's webhook receiver); ./gantry demo runs a receiver there.
ALERT_RECEIVER_PORT=8090

user_alert_channels() {
  [[ -n "${GANTRY_MONITOR_ALERTS_DEFAULT_ALERTMANAGER_URL:-}${GANTRY_MONITOR_ALERTS_DEFAULT_WEBHOOK_URL:-}${GANTRY_MONITOR_ALERTS_DEFAULT_SLACK_WEBHOOK_URL:-}${GANTRY_MONITOR_ALERTS_DEFAULT_PAGERDUTY_ROUTING_KEY:-}" ]]
}

# A local Alertmanager is started by up when GANTRY_ALERTMANAGER=1, or GANTRY_ALERTMANAGER_CONFIG
# names the alertmanager.yml to run it with (else up writes one that routes to the demo's receiver).
alertmanager_configured() {
  [[ "${GANTRY_ALERTMANAGER:-}" == 1 || -n "${GANTRY_ALERTMANAGER_CONFIG:-}" ]]
}

# The Alertmanager configuration up writes when the user gave none: every alert to the demo's
# receiver, grouped by app, sent a second after the first alert of a group, and again when it
# resolves.
write_alertmanager_config() {
  local file="$1"
  cat >"$file.tmp" <<YAML
# written by ./gantry up; GANTRY_ALERTMANAGER_CONFIG=path/to/alertmanager.yml runs another
route:
  receiver: gantry-demo
  group_by: [app]
  group_wait: 1s
  group_interval: 5s
  repeat_interval: 4h
receivers:
  - name: gantry-demo
    webhook_configs:
      - url: http://127.0.0.1:$ALERT_RECEIVER_PORT/
        send_resolved: true
YAML
  mv -f "$file.tmp" "$file"
}

# Start order; down goes the other way. A new component gets a line in each table below and a
# start function in up.sh.
# alertmanager (optional) comes before monitor-service, which sends to it; the console reads the others.
COMPONENTS=(kafka postgres build-api build-worker rollout-service alertmanager monitor-service console)

port_of() {
  case "$1" in
    kafka) echo 9092 ;;
    postgres) echo 5433 ;;
    build-api) echo 8080 ;;
    build-worker) echo 8081 ;;
    rollout-service) echo 8082 ;;
    monitor-service) echo 8083 ;;
    console) echo 8084 ;;
    alertmanager) echo 9093 ;;
    *) die "unknown component: $1" ;;
  esac
}

# What the command line of a component's process contains, so that a recycled pid is never
# taken for ours.
marker_of() {
  case "$1" in
    kafka) echo "dev.gantry.testkit.KafkaBroker" ;;
    postgres) echo "dev.gantry.testkit.Postgres" ;;
    build-api) echo "$BUILD_API_JAR" ;;
    build-worker) echo "$BUILD_WORKER_JAR" ;;
    rollout-service) echo "$ROLLOUT_SERVICE_JAR" ;;
    monitor-service) echo "$MONITOR_SERVICE_JAR" ;;
    console) echo "$CONSOLE_JAR" ;;
    alertmanager) echo "--storage.path=$ALERTMANAGER_DATA_DIR" ;;
    *) die "unknown component: $1" ;;
  esac
}

is_component() {
  local c
  for c in "${COMPONENTS[@]}"; do
    [[ "$c" == "$1" ]] && return 0
  done
  return 1
}

# Under set -e a failing command ends the script; say which one, where, and which log to read
# (GANTRY_LOG_HINT, set around a step that writes one), so that no failure is ever silent. Only the
# script's own shell reports: a failure inside $(…) is reported once, by the assignment that failed.
set -o errtrace
GANTRY_SHELL_LEVEL="$BASH_SUBSHELL"
GANTRY_LOG_HINT=""
on_unexpected_failure() {
  local status="$1" command="$2" file="$3" line="$4"
  [[ "$BASH_SUBSHELL" == "$GANTRY_SHELL_LEVEL" ]] || return 0
  printf 'gantry: %s failed (exit %s) at %s line %s%s\n' "$command" "$status" \
    "${file#"$GANTRY_ROOT"/}" "$line" "${GANTRY_LOG_HINT:+; see $GANTRY_LOG_HINT}" >&2
}
trap 'on_unexpected_failure "$?" "$BASH_COMMAND" "${BASH_SOURCE[0]:-$0}" "$LINENO"' ERR

info() { printf '%s\n' "$*"; }
warn() { printf 'gantry: %s\n' "$*" >&2; }
die() {
  printf 'gantry: %s\n' "$*" >&2
  exit 1
}

pid_file() { echo "$RUN_DIR/$1.pid"; }
log_file() { echo "$LOG_DIR/$1.log"; }

# True if pid is alive and its command line contains marker.
pid_matches() {
  local pid="$1" marker="$2" cmdline
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$marker"* ]]
}

# Prints the pid of a running component, or fails.
running_pid() {
  local name="$1" file pid
  file="$(pid_file "$name")"
  [[ -f "$file" ]] || return 1
  pid="$(head -n 1 "$file")"
  pid_matches "$pid" "$(marker_of "$name")" || return 1
  echo "$pid"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Sends TERM, waits up to timeout seconds, then KILL. Returns once the process is gone.
stop_pid() {
  local pid="$1" timeout="${2:-20}" signal="${3:-TERM}" waited=0
  kill "-$signal" "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= timeout * 10)); then
      warn "pid $pid did not stop within ${timeout}s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

# A postmaster left behind by a Postgres wrapper that was killed hard still holds the port and
# the data directory. Prints its pid, if there is one.
orphan_postmaster() {
  local pidfile="$DATA_DIR/postgres/postmaster.pid" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(head -n 1 "$pidfile")"
  pid_matches "$pid" "-D $DATA_DIR/postgres " || return 1
  echo "$pid"
}

# Stops the orphan (fast shutdown) before anything else touches its port and data.
stop_orphan_postmaster() {
  local pid
  pid="$(orphan_postmaster)" || return 0
  info "stopping an orphaned PostgreSQL server (pid $pid)"
  stop_pid "$pid" 20 INT
}

# Reads KEY='value' from a file written by this script, without sourcing it.
env_value() {
  local key="$1" file="$2" line
  line="$(grep -m 1 "^${key}=" "$file" 2>/dev/null)" || return 1
  line="${line#"${key}="}"
  line="${line#\'}"
  line="${line%\'}"
  printf '%s' "$line"
}

# A service whose module is not in the reactor yet is left out by up and status.
service_present() {
  [[ -f "$GANTRY_ROOT/$1/pom.xml" ]] &&
    grep -q "<module>$1</module>" "$GANTRY_ROOT/pom.xml"
}

build_api_present() { service_present build-api; }

# The Quarkus services: started from their quarkus-app jar, checked through /q/health.
is_service() {
  case "$1" in
    build-api | build-worker | rollout-service | monitor-service | console) return 0 ;;
    *) return 1 ;;
  esac
}

# Prints the first file in dir (not searched below it) whose name matches pattern; nothing, and
# success, when dir does not exist yet, as on a fresh clone with no target/.
first_file() {
  local dir="$1" pattern="$2"
  [[ -d "$dir" ]] || return 0
  find "$dir" -maxdepth 1 -type f -name "$pattern" -not -name '*-sources.jar' -print -quit
}

# build_in_reactor LOG MODULE...: packages the modules and the modules they need in one Maven
# reactor, without tests, and writes each one's runtime classpath to its target/runtime.classpath.
# Nothing is installed into ~/.m2: the reactor resolves the project's own jars from target/.
build_in_reactor() {
  local log="$1" modules_csv
  shift
  modules_csv="$(IFS=,; echo "$*")"
  info "building $* (log: ${log#"$GANTRY_ROOT"/})…"
  GANTRY_LOG_HINT="$log"
  if ! (cd "$GANTRY_ROOT" && mvn -B -Dstyle.color=never -Dmaven.test.skip=true \
    package dependency:build-classpath -pl "$modules_csv" -am \
    -Dmdep.includeScope=runtime -Dmdep.outputFile=target/runtime.classpath) >"$log" 2>&1; then
    grep -E '^\[(ERROR|WARNING)\]' "$log" | head -n 30 | sed 's/^/    /' >&2 || true
    die "the build of $* failed; full output in $log"
  fi
}

# stage_classpath MODULE FILE: after build_in_reactor, writes to FILE the classpath that runs
# MODULE's main classes: its jar, then its runtime dependencies. The project's own jars are copied
# into var/lib first and replaced by rename, never in place: a running JVM keeps the jar it opened,
# and a later build (./gantry test) rewrites target/.
stage_classpath() {
  local module="$1" file="$2" jar classpath entry staged
  local -a entries=() out=()
  jar="$(first_file "$GANTRY_ROOT/$module/target" "gantry-$module-*.jar")"
  [[ -n "$jar" ]] || die "the build produced no jar in $module/target"
  classpath="$(cat "$GANTRY_ROOT/$module/target/runtime.classpath")"
  IFS=: read -r -a entries <<<"$jar:$classpath"
  mkdir -p "$LIB_DIR"
  for entry in "${entries[@]}"; do
    [[ -n "$entry" ]] || continue
    if [[ "$entry" == "$GANTRY_ROOT"/* ]]; then
      staged="$LIB_DIR/$(basename "$entry")"
      cp "$entry" "$staged.tmp"
      mv -f "$staged.tmp" "$staged"
      entry="$staged"
    fi
    out+=("$entry")
  done
  (IFS=:; printf '%s\n' "${out[*]}") >"$file.tmp"
  mv -f "$file.tmp" "$file"
}
