#!/usr/bin/env bash
# The rollout benchmark (issue 4), against a running ./gantry up:
#  1. rollback latency: RollbackRequested published → the app's proxy serves only the stable version
#     (a canary at 50 %, measured from the client side of the proxy, N times); p50, p90, p99, max;
#  2. the same rollback of app B while app A's canary is still starting (its health check passes
#     only after 20 s), as its own row: one app's slow start must not hold another's rollback;
#  3. the local proxy's throughput and added latency against direct calls and against nginx, on the
#     same Go binary, in one run (wrk; installed if missing).
#
#   bench/rollout/run.sh                    # 20 + 10 rollbacks, 3 rounds of wrk, 10 s each
#   ROLLBACKS=100 BUSY_ROLLBACKS=20 ROUNDS=5 DURATION=15 bench/rollout/run.sh
#
# With fewer than 100 rollbacks the printed p99 is the largest one (nearest rank).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
env_file="$root/var/local.env"
cp_file="$root/var/testkit.classpath"
if [[ ! -f "$env_file" || ! -f "$cp_file" ]]; then
  echo "bench: no running Gantry found; start it first with ./gantry up" >&2
  exit 1
fi
# shellcheck disable=SC1090
. "$env_file"
# shellcheck source=SCRIPTDIR/../../deploy/local/lib.sh
source "$root/deploy/local/lib.sh"
# shellcheck source=SCRIPTDIR/../../deploy/local/prereqs.sh
source "$root/deploy/local/prereqs.sh"
require_go
require_nginx
command -v wrk >/dev/null 2>&1 || apt_install "wrk is needed by this benchmark" wrk

work="$root/var/bench/rollout"
mkdir -p "$work"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1)," \
  "$("$GANTRY_NGINX" -v 2>&1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
# the token goes by the environment: on the command line ps would show it to every user
export GANTRY_GO GANTRY_NGINX GANTRY_OPERATOR_TOKEN
exec java -Xmx256m -cp "$(cat "$cp_file")" "$root/bench/rollout/RolloutBench.java" \
  --rollout-url "$GANTRY_ROLLOUT_URL" \
  --kafka "$GANTRY_KAFKA_BOOTSTRAP" --shared-root "$GANTRY_SHARED_ROOT" --work "$work" \
  --rollbacks "${ROLLBACKS:-20}" --busy-rollbacks "${BUSY_ROLLBACKS:-10}" \
  --rounds "${ROUNDS:-3}" --duration "${DURATION:-10}"
