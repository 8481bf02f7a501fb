#!/usr/bin/env bash
# ./gantry status: one line per component.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/prereqs.sh"

health() {
  local code path=/q/health/ready
  [[ "$2" == alertmanager ]] && path=/-/ready
  code="$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1$path" 2>/dev/null)" || true
  case "$code" in
    200) echo "ready" ;;
    000 | "") echo "not answering" ;;
    *) echo "not ready (HTTP $code)" ;;
  esac
}

main() {
  require_for status
  local name pid port state detail
  for name in "${COMPONENTS[@]}"; do
    port="$(port_of "$name")"
    detail=""
    if pid="$(running_pid "$name")"; then
      state="running"
      detail="pid $pid"
      if is_service "$name" || [[ "$name" == alertmanager ]]; then
        detail="$detail, health: $(health "$port" "$name")"
      fi
    elif is_service "$name" && ! service_present "$name"; then
      state="absent"
      detail="module not in the build yet"
    else
      state="stopped"
      if [[ "$name" == postgres ]] && pid="$(orphan_postmaster)"; then
        detail="an orphaned server (pid $pid) holds the port: ./gantry down or up stops it"
      elif port_in_use "$port"; then
        detail="port in use by another process"
      elif [[ "$name" == alertmanager ]]; then
        detail="optional: GANTRY_ALERTMANAGER=1 ./gantry up starts it"
      fi
    fi
    printf '%-16s %-8s 127.0.0.1:%-5s %s\n' "$name" "$state" "$port" "$detail"
  done
}

main "$@"
