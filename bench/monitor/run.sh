#!/usr/bin/env bash
# monitor-service's benchmarks (issue 5): pprof parse throughput, scrape capacity, false positives
# over independent healthy-vs-healthy runs (fresh process pairs, disjoint windows), detection
# latency at the production sampling interval.
# Real Go programs (testkit's sample, built with the machine's go); no Kafka or database needed.
#
#   bench/monitor/run.sh                         # everything, ~15 minutes (fp ~7 of them)
#   ONLY=parse,scrape bench/monitor/run.sh       # a subset: parse, scrape, fp, latency
#   INTERVAL_S=1 ONLY=latency bench/monitor/run.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/var/bench/monitor"
mkdir -p "$work"
# one reactor build: events and testkit resolve to their target/classes, never installed into the
# ~/.m2 that other checkouts share; the last module to write the classpath file is monitor-service
(cd "$root" && mvn -o -q -pl monitor-service -am compile dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test)
cp="$root/monitor-service/target/classes:$root/testkit/target/classes:$(cat "$work/classpath")"
go="${GANTRY_GO:-/usr/lib/go-1.23/bin/go}"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1)," \
  "$("$go" version)"
exec java -Xmx512m -cp "$cp" "$root/bench/monitor/MonitorBench.java" \
  --work "$work" --only "${ONLY:-parse,scrape,fp,latency}" --interval-s "${INTERVAL_S:-5}" \
  --fp-runs "${FP_RUNS:-304}" --fp-per-pair "${FP_PER_PAIR:-8}" --fp-parallel "${FP_PARALLEL:-10}" \
  --fp-interval-ms "${FP_INTERVAL_MS:-1000}"
