#!/usr/bin/env bash
# Installs every build and test dependency of pgclone from Debian 12 packages.
# Idempotent: re-running it on a machine that already has everything is quick.
set -euo pipefail

packages=(
  build-essential g++ make cmake pkg-config
  postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap postgresql-contrib
  libtap-parser-sourcehandler-pgtap-perl
  libpq-dev libzmq3-dev cppzmq-dev libmsgpack-cxx-dev
  nlohmann-json3-dev libcli11-dev libsqlite3-dev libre2-dev
  libgtest-dev
  python3-zmq
  pgcopydb
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's postgresql package creates and starts a default cluster; our tests
# make their own clusters, so the default one is left as it is.
echo "install-deps: done"
