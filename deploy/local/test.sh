#!/usr/bin/env bash
# ./gantry test: the whole build with every test, as CI runs it. Maven's exit code is ours.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/prereqs.sh"

main() {
  require_for test
  local args=(-B -Dstyle.color=never verify)
  # locally the build formats the sources; in CI an unformatted file fails it
  [[ "${CI:-}" == true ]] && args+=(-Dspotless.goal=check)
  cd "$GANTRY_ROOT"
  exec mvn "${args[@]}" "$@"
}

main "$@"
