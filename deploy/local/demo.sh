#!/usr/bin/env bash
# ./gantry demo: starts the stack if needed, then runs the end-to-end scenario against it (a signed
# push of examples/hello to 100 %, then a goroutine-leaking release caught and rolled back, with
# the page it sends). The scenario is Java (e2e/), the same one the end-to-end test runs.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/prereqs.sh"

E2E_CLASSPATH_FILE="$VAR_DIR/e2e.classpath"

build_scenario() {
  local jar
  jar="$(find "$GANTRY_ROOT/e2e/target" -maxdepth 1 -name 'gantry-e2e-*.jar' 2>/dev/null | head -n 1)"
  if [[ -n "$jar" && -s "$E2E_CLASSPATH_FILE" ]] &&
    [[ -z "$(find "$GANTRY_ROOT/e2e/src/main" "$GANTRY_ROOT/e2e/pom.xml" -newer "$jar" -type f -print -quit)" ]]; then
    return 0
  fi
  info "building the demo scenario (log: var/log/demo-build.log)…"
  (cd "$GANTRY_ROOT" && mvn -B -Dstyle.color=never -Dmaven.test.skip=true package -pl e2e -am &&
    mvn -B -Dstyle.color=never dependency:build-classpath -pl e2e -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="$E2E_CLASSPATH_FILE") >"$LOG_DIR/demo-build.log" 2>&1 ||
    die "the demo scenario did not build; see var/log/demo-build.log"
}

main() {
  require_for demo
  "$(dirname "${BASH_SOURCE[0]}")/up.sh"
  build_scenario
  local jar
  jar="$(find "$GANTRY_ROOT/e2e/target" -maxdepth 1 -name 'gantry-e2e-*.jar' | head -n 1)"
  info ""
  info "The demo: about 8 minutes at the monitor's 5 s sampling (each step is judged on 12 samples)."
  exec java -Xmx128m -cp "$jar:$(cat "$E2E_CLASSPATH_FILE")" dev.gantry.e2e.Demo "$GANTRY_ROOT"
}

main "$@"
