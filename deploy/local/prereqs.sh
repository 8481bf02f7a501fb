# shellcheck shell=bash disable=SC2034
# Prerequisites: one require_* function per tool, and the list each command needs. A new tool
# (Go 1.23 from bookworm-backports, ...) is one more function and one more word in needs_of.
# Sourced, never run. Needs lib.sh.

needs_of() {
  case "$1" in
    up) echo "java maven git go curl" ;;
    demo) echo "java maven git go curl" ;;
    test) echo "java maven git go nginx kubectl shellcheck chromium chromedriver alertmanager" ;;
    status) echo "curl" ;;
    down | logs) echo "" ;;
    *) die "unknown command: $1" ;;
  esac
}

require_for() {
  local tool
  for tool in $(needs_of "$1"); do
    "require_$tool"
  done
}

# version_ge 3.8.7 3.8 → true
version_ge() {
  [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" == "$2" ]]
}

APT_UPDATED=""

can_apt_install() {
  [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1
}

# apt-get update, once per run: before it, apt knows no packages, or an old list of them.
apt_update() {
  if [[ -z "$APT_UPDATED" ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
}

# The version apt would install of a package ('1.20.5+really1.20.2-1.1+deb12u1'); empty when its
# suites have none (apt-cache policy says 'Candidate: (none)', or nothing for an unknown name).
apt_candidate() {
  apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -vx '(none)' || true
}

# Installs Debian packages when this machine lets us (root with apt-get); otherwise explains.
apt_install() {
  local why="$1"
  shift
  if ! can_apt_install; then
    die "$why: install the Debian/Ubuntu package(s) $* (or equivalent) and run again"
  fi
  info "$why: installing $* with apt-get"
  apt_update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
    die "apt-get install $* failed"
}

java_version() {
  # 'openjdk version "17.0.15" 2025-04-15' → 17.0.15; '"1.8.0_392"' → 1.8.0
  java -version 2>&1 | sed -n 's/.* version "\([0-9][0-9._]*\).*/\1/p' | head -n 1 | tr '_' '.'
}

require_java() {
  local v=""
  if command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1; then
    v="$(java_version)"
    version_ge "$v" 17 && return 0
  fi
  apt_install "a JDK ≥ 17 is needed${v:+ (found $v)}" openjdk-17-jdk-headless
  hash -r
  if ! version_ge "$(java_version)" 17; then
    [[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]] ||
      die "a JDK ≥ 17 is needed; java on PATH is $(java_version)"
    export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
    export PATH="$JAVA_HOME/bin:$PATH"
  fi
}

# require_tool COMMAND MIN_VERSION VERSION_FUNCTION LABEL APT_ARGS...: passes if COMMAND reports
# at least MIN_VERSION, installs otherwise, and checks again.
require_tool() {
  local cmd="$1" min="$2" version_of="$3" label="$4" v=""
  shift 4
  if command -v "$cmd" >/dev/null 2>&1; then
    v="$("$version_of")"
    version_ge "$v" "$min" && return 0
  fi
  apt_install "$label ≥ $min is needed${v:+ (found $v)}" "$@"
  hash -r
  v="$("$version_of")"
  version_ge "$v" "$min" || die "$label ≥ $min is needed; $cmd on PATH is ${v:-missing}"
}

maven_version() {
  mvn -v 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | sed -n 's/^Apache Maven \([0-9.]*\).*/\1/p' | head -n 1
}

require_maven() {
  require_tool mvn 3.8 maven_version Maven maven
}

git_version() {
  git --version 2>/dev/null | sed -n 's/^git version \([0-9.]*\).*/\1/p'
}

require_git() {
  # --initial-branch (testkit's GitFixture) came with 2.28
  require_tool git 2.28 git_version git git
}

require_curl() {
  command -v curl >/dev/null 2>&1 && return 0
  apt_install "curl is needed" curl ca-certificates
  hash -r
  command -v curl >/dev/null 2>&1 || die "curl is needed and is still not on PATH"
}

nginx_version() {
  # 'nginx version: nginx/1.22.1' (on stderr) → 1.22.1
  "${GANTRY_NGINX:-nginx}" -v 2>&1 | sed -n 's|^nginx version: nginx/\([0-9.]*\).*|\1|p'
}

# nginx for the nginx traffic router's tests, which start a real one on loopback. Exports
# GANTRY_NGINX (Debian installs it in /usr/sbin, which is not on every user's PATH). The tests run
# their own nginx with their own configuration; on a machine with an init system, Debian also
# starts its default server on port 80, which they never use.
require_nginx() {
  local candidate
  for candidate in "${GANTRY_NGINX:-}" "$(command -v nginx 2>/dev/null || true)" /usr/sbin/nginx; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then
      export GANTRY_NGINX="$candidate"
      version_ge "$(nginx_version)" 1.18 && return 0
    fi
  done
  apt_install "nginx ≥ 1.18 is needed by the tests" nginx
  hash -r
  [[ -x /usr/sbin/nginx ]] || die "nginx is needed and is still not installed"
  export GANTRY_NGINX=/usr/sbin/nginx
}

go_version_of() {
  # 'go version go1.23.5 linux/amd64' → 1.23.5
  "$1" version 2>/dev/null | sed -n 's/^go version go\([0-9.]*\).*/\1/p'
}

# The backports suite, written next to the machine's own Debian sources so that no mirror
# address is typed here (TOOLCHAIN.md).
add_bookworm_backports() {
  local src=/etc/apt/sources.list.d/debian.sources dst=/etc/apt/sources.list.d/gantry-backports.sources
  [[ -f "$dst" ]] && return 0
  [[ -f "$src" ]] || die "Go ≥ $GO_MIN is needed: install it and set GANTRY_GO to its go binary"
  # The first stanza only (the main archive), with its suites replaced.
  awk 'BEGIN{RS=""; ORS="\n\n"} NR==1' "$src" |
    sed 's/^Suites:.*/Suites: bookworm-backports/' >"$dst"
  APT_UPDATED=""
}

GO_MIN=1.23

# Go ≥ 1.23 for build-worker and its tests. Exports GANTRY_GO, the binary the worker runs:
# GANTRY_GO if set, then go on PATH, then Debian's golang-1.23-go from bookworm-backports.
require_go() {
  local candidate v
  for candidate in "${GANTRY_GO:-}" "$(command -v go 2>/dev/null || true)" /usr/lib/go-1.23/bin/go; do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    v="$(go_version_of "$candidate")"
    if [[ -n "$v" ]] && version_ge "$v" "$GO_MIN"; then
      export GANTRY_GO="$candidate"
      return 0
    fi
  done
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    add_bookworm_backports
    info "Go ≥ $GO_MIN is needed: installing golang-1.23-go from bookworm-backports with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
    APT_UPDATED=1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      -t bookworm-backports golang-1.23-go >/dev/null || die "apt-get install golang-1.23-go failed"
  fi
  [[ -x /usr/lib/go-1.23/bin/go ]] ||
    die "Go ≥ $GO_MIN is needed: install it (Debian: golang-1.23-go from bookworm-backports) or set GANTRY_GO"
  export GANTRY_GO=/usr/lib/go-1.23/bin/go
}

kubectl_usable() {
  # `kubectl kustomize` renders offline; 1.14 is the first kubectl with it
  "$1" kustomize --help >/dev/null 2>&1
}

# kubectl for deploy/kubernetes' tests, which render every overlay with `kubectl kustomize`
# (offline: no cluster is needed). Exports GANTRY_KUBECTL: GANTRY_KUBECTL if set, then kubectl on
# PATH, then Debian's kubernetes-client (kubectl 1.20 in bookworm; the overlays are written for
# its older kustomize too, deploy/kubernetes/README.md).
require_kubectl() {
  local candidate
  for candidate in "${GANTRY_KUBECTL:-}" "$(command -v kubectl 2>/dev/null || true)"; do
    if [[ -n "$candidate" && -x "$candidate" ]] && kubectl_usable "$candidate"; then
      export GANTRY_KUBECTL="$candidate"
      return 0
    fi
  done
  if can_apt_install; then
    apt_update
    # bookworm has kubernetes-client; where apt has none, say what to do instead
    [[ -n "$(apt_candidate kubernetes-client)" ]] ||
      die "kubectl is needed by the tests (deploy/kubernetes), and apt has no install candidate for" \
        "kubernetes-client here (see apt-cache policy kubernetes-client). Install a" \
        "kubectl that has 'kubectl kustomize' (1.14 or newer) and set GANTRY_KUBECTL=/path/to/kubectl"
  fi
  apt_install "kubectl is needed by the tests (deploy/kubernetes)" kubernetes-client
  hash -r
  candidate="$(command -v kubectl 2>/dev/null || true)"
  if [[ -z "$candidate" ]] || ! kubectl_usable "$candidate"; then
    die "kubectl with 'kustomize' is needed and is still not installed; set GANTRY_KUBECTL"
  fi
  export GANTRY_KUBECTL="$candidate"
}

shellcheck_version() {
  # 'version: 0.9.0' → 0.9.0
  shellcheck --version 2>/dev/null | sed -n 's/^version: *\([0-9.]*\).*/\1/p'
}

# For deploy/local's tests, which check every script of ours with shellcheck.
require_shellcheck() {
  require_tool shellcheck 0.7 shellcheck_version shellcheck shellcheck
}

# require_debian_binary PATH PACKAGE WHY: passes if PATH is executable, else installs PACKAGE.
# Debian's own paths, always: the tests drive this browser and this Alertmanager, never one a tool
# downloaded.
require_debian_binary() {
  local binary="$1" package="$2" why="$3"
  [[ -x "$binary" ]] && return 0
  apt_install "$why ($binary)" "$package"
  [[ -x "$binary" ]] || die "$why: $binary is still missing after installing $package"
}

# Headless Chromium for the console's browser tests (e2e, testkit's Browser).
require_chromium() {
  require_debian_binary /usr/bin/chromium chromium "Chromium is needed by the browser tests"
}

# The WebDriver that Selenium drives Chromium with; Debian builds it from the same sources.
require_chromedriver() {
  require_debian_binary /usr/bin/chromedriver chromium-driver \
    "chromedriver is needed by the browser tests"
}

# A real Alertmanager for monitor-service's tests, and for GANTRY_ALERTMANAGER=1 ./gantry up. On a
# machine with an init system, Debian also starts its own on port 9093: up then says the port is
# taken (systemctl disable --now prometheus-alertmanager frees it).
require_alertmanager() {
  require_debian_binary "$ALERTMANAGER_BINARY" prometheus-alertmanager \
    "Alertmanager is needed"
}
