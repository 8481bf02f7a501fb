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
TESTKIT_CLASSPATH_FILE="$VAR_DIR/testkit.classpath"
TESTKIT_JAR="$LIB_DIR/gantry-testkit.jar"
BUILD_API_JAR="$GANTRY_ROOT/build-api/target/quarkus-app/quarkus-run.jar"
BUILD_WORKER_JAR="$GANTRY_ROOT/build-worker/target/quarkus-app/quarkus-run.jar"
ROLLOUT_SERVICE_JAR="$GANTRY_ROOT/rollout-service/target/quarkus-app/quarkus-run.jar"
MONITOR_SERVICE_JAR="$GANTRY_ROOT/monitor-service/target/quarkus-app/quarkus-run.jar"
# the local router's children (pids, ports, logs), kept across restarts so they are adopted
ROLLOUT_DIR="$VAR_DIR/rollout"
# the worker's own disk: Go's build cache, module cache and workspaces (never the shared root)
WORKER_DIR="$VAR_DIR/worker"

# Where monitor-service sends Alertmanager-format pages when the user set no channel of their own;
# ./gantry demo runs a receiver there.
ALERT_RECEIVER_PORT=8090

user_alert_channels() {
  [[ -n "${GANTRY_MONITOR_ALERTS_DEFAULT_ALERTMANAGER_URL:-}${GANTRY_MONITOR_ALERTS_DEFAULT_SLACK_WEBHOOK_URL:-}${GANTRY_MONITOR_ALERTS_DEFAULT_PAGERDUTY_ROUTING_KEY:-}" ]]
}

# Start order; down goes the other way. A new component gets a line in each table below and a
# start function in up.sh.
COMPONENTS=(kafka postgres build-api build-worker rollout-service monitor-service)

port_of() {
  case "$1" in
    kafka) echo 9092 ;;
    postgres) echo 5433 ;;
    build-api) echo 8080 ;;
    build-worker) echo 8081 ;;
    rollout-service) echo 8082 ;;
    monitor-service) echo 8083 ;;
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
    build-api | build-worker | rollout-service | monitor-service) return 0 ;;
    *) return 1 ;;
  esac
}
