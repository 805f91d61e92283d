# Helpers sourced by scripts/test and scripts/demo: install packages, pick ports, build trees.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The packages named in scripts/packages.txt ('#' starts a comment).
wanted_packages() {
  sed 's/#.*//' "$ROOT/scripts/packages.txt" | awk 'NF { print $1 }'
}

# Install whatever from packages.txt is missing. One dpkg-query call, so it is
# a fast no-op when everything is there (every run of scripts/test calls it).
install_packages() {
  local -a wanted missing=()
  local -A installed=()
  local pkg status
  mapfile -t wanted < <(wanted_packages)
  while read -r pkg status; do
    [[ $status == installed ]] && installed[$pkg]=1
  done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${wanted[@]}" 2>/dev/null || true)
  for pkg in "${wanted[@]}"; do
    [[ -n ${installed[$pkg]:-} ]] || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0

  echo "installing: ${missing[*]}" >&2
  local sudo=""
  ((EUID == 0)) || sudo=sudo
  # policy-rc.d exiting 101 tells invoke-rc.d / deb-systemd-invoke not to start
  # services, so installing mariadb-server or redis-server leaves no system
  # daemon running (we only ever run private ones). Keep an existing policy.
  local policy=/usr/sbin/policy-rc.d own_policy=""
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    own_policy=1
  fi
  local rc=0
  {
    $sudo apt-get update -q &&
      $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends -o DPkg::Lock::Timeout=120 "${missing[@]}"
  } || rc=$?
  [[ -z $own_policy ]] || $sudo rm -f "$policy"
  return "$rc"
}

# Print a TCP port nobody uses on this machine. Chosen below the kernel's
# ephemeral range (32768+) so outgoing connections will not grab it later;
# /proc/net/tcp{,6} lists every port in use (listening or connected).
free_port() {
  local used port _ local_addr
  used=" $(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
    while read -r _ local_addr _; do
      if [[ $local_addr == *:* ]]; then printf '%d ' "0x${local_addr##*:}"; fi
    done) "
  for _ in {1..100}; do
    port=$((10000 + RANDOM % 22000))
    [[ $used == *" $port "* ]] || { echo "$port"; return 0; }
  done
  echo "free_port: no free port found" >&2
  return 1
}

# build_tree NAME BUILD_TYPE [cmake args...]: configure build/NAME with Ninja
# and ccache (again only when the arguments changed), then build it.
build_tree() {
  local name=$1 type=$2
  shift 2
  local dir="$ROOT/build/$name"
  # ccache inside the clone so CI can cache it; BASEDIR makes hits independent
  # of where the clone lives.
  export CCACHE_DIR="${CCACHE_DIR:-$ROOT/.ccache}"
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}"
  local args=(-G Ninja "-DCMAKE_BUILD_TYPE=$type" -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "$@")
  # Ninja re-runs cmake by itself when CMakeLists change; we only need to
  # configure when the tree is new or our arguments differ from last time.
  if [[ ! -f $dir/build.ninja || "$(cat "$dir/.configure-args" 2>/dev/null)" != "${args[*]}" ]]; then
    cmake -S "$ROOT" -B "$dir" "${args[@]}"
    printf '%s' "${args[*]}" >"$dir/.configure-args"
  fi
  cmake --build "$dir" -j2
}
