#!/usr/bin/env bash
# ./gantry demo: starts the stack if needed, then runs the end-to-end scenario against it (a signed
# push of examples/hello to 100 %, then a goroutine-leaking release caught and rolled back, with
# the page it sends). The scenario is Java (e2e/), the same one the end-to-end test runs.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/prereqs.sh"

main() {
  require_for demo
  # up builds the scenario with the services, in the same reactor; it says itself what failed
  GANTRY_UP_WITH_SCENARIO=1 "$(dirname "${BASH_SOURCE[0]}")/up.sh" || exit
  [[ -s "$E2E_CLASSPATH_FILE" ]] || die "the demo scenario was not built ($E2E_CLASSPATH_FILE is missing); see var/log/build.log"
  local interval="${GANTRY_MONITOR_INTERVAL:-5s}"
  info ""
  info "The demo: each step is judged on 12 samples of the monitor, one every $interval" \
    "(about 8 minutes at 5 s, 3 at 1 s: GANTRY_MONITOR_INTERVAL=1s before the stack starts)."
  exec java -Xmx128m -cp "$(cat "$E2E_CLASSPATH_FILE")" dev.gantry.e2e.Demo "$GANTRY_ROOT"
}

main "$@"
