#!/usr/bin/env bash
# ./gantry logs [name]: follows one component's log, or all of them.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/prereqs.sh"

main() {
  require_for logs
  local files=() name
  if (($# > 0)); then
    is_component "$1" || die "unknown component '$1' (one of: ${COMPONENTS[*]})"
    [[ -f "$(log_file "$1")" ]] || die "no log for $1 yet ($(log_file "$1"))"
    files=("$(log_file "$1")")
  else
    for name in "${COMPONENTS[@]}"; do
      [[ -f "$(log_file "$name")" ]] && files+=("$(log_file "$name")")
    done
    ((${#files[@]} > 0)) || die "no logs yet: run ./gantry up"
  fi
  exec tail -n 50 -F "${files[@]}"
}

main "$@"
