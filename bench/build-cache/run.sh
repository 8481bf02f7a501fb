#!/usr/bin/env bash
# The build-cache benchmark (issue 3): real build-worker processes building a generated Go service
# of 60+ packages on a shared root of their own. Needs the Kafka of a running ./gantry up and the
# worker jar it built; everything else is made under var/bench/build-cache/ and left there.
#
#   bench/build-cache/run.sh                 # 3 runs, 60 packages
#   RUNS=5 PACKAGES=80 bench/build-cache/run.sh
#   SETTLE_SECONDS=0 bench/build-cache/run.sh   # build the moment a worker is ready (default: 20 s after)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
env_file="$root/var/local.env"
cp_file="$root/var/testkit.classpath"
jar="$root/build-worker/target/quarkus-app/quarkus-run.jar"
if [[ ! -f "$env_file" || ! -f "$cp_file" || ! -f "$jar" ]]; then
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

work="$root/var/bench/build-cache"
mkdir -p "$work"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1)," \
  "$("$GANTRY_GO" version)"
exec java -Xmx512m -cp "$(cat "$cp_file")" "$root/bench/build-cache/BuildCacheBench.java" \
  --kafka "$GANTRY_KAFKA_BOOTSTRAP" --go "$GANTRY_GO" --worker-jar "$jar" --work "$work" \
  --runs "${RUNS:-3}" --packages "${PACKAGES:-60}" --settle-seconds "${SETTLE_SECONDS:-20}"
