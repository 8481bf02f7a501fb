#!/usr/bin/env bash
# ./gantry down: stops what ./gantry up started, in reverse order. Data stays under var/data.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/prereqs.sh"

main() {
  require_for down
  local i name pid
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    name="${COMPONENTS[$i]}"
    if pid="$(running_pid "$name")"; then
      info "stopping $name (pid $pid)…"
      stop_pid "$pid" 20
    fi
    rm -f "$(pid_file "$name")"
  done
  stop_orphan_postmaster
  info "gantry is down (data kept in var/data)"
}

main "$@"
