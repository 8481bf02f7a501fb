#!/usr/bin/env bash
# Drives signed GitHub push deliveries (~25 KB) at a running build-api (./gantry up) and checks
# that every accepted delivery produced exactly one BuildRequested on the real topic.
#
#   bench/webhook-ingest/run.sh                       # warm-up, 300/s for 60 s, 1000/s for 10 s
#   PHASES="sustained:300:60" bench/webhook-ingest/run.sh
#   CONNECTIONS=128 bench/webhook-ingest/run.sh       # keep-alive connections to build-api (default 64)
#
# The generator runs on the same machine as the server; each phase prints the CPU it used per
# request, so a result can be checked for the generator competing with the server.
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
if ! curl -fsS "$GANTRY_BUILD_API_URL/q/health/ready" >/dev/null; then
  echo "bench: build-api at $GANTRY_BUILD_API_URL is not ready; see ./gantry status" >&2
  exit 1
fi

repo="bench-$(date +%s)"
# the token and the secret go by a here-string and process substitution (printf is a builtin),
# never as arguments, where ps would show them to every user
curl -fsS -o /dev/null -X POST "$GANTRY_BUILD_API_URL/repos" \
  -H @<(printf 'Authorization: Bearer %s\n' "$GANTRY_OPERATOR_TOKEN") -H 'Content-Type: application/json' \
  --data @- <<<"{\"cloneUrl\":\"https://github.com/acme/$repo.git\",\"provider\":\"github\",\"webhookSecret\":\"$GANTRY_WEBHOOK_SECRET\",\"app\":\"$repo\",\"supersede\":\"none\"}"

read -r -a phases <<<"${PHASES:-warmup:100:10 sustained:300:60 burst:1000:10}"
phase_args=()
for p in "${phases[@]}"; do phase_args+=(--phase "$p"); done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1)"
echo "repository: github.com/acme/$repo; phases: ${phases[*]}"
export GANTRY_WEBHOOK_SECRET
exec java -Xmx512m -cp "$(cat "$cp_file")" "$root/bench/webhook-ingest/WebhookIngest.java" \
  --url "$GANTRY_BUILD_API_URL/webhooks/github" \
  --repo "$repo" --kafka "$GANTRY_KAFKA_BOOTSTRAP" --connections "${CONNECTIONS:-64}" "${phase_args[@]}"
