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
  libgtest-dev libcpp-httplib-dev
  python3-zmq iproute2 curl systemd
  pgcopydb
)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's postgresql package creates and starts a default cluster; our tests
  # make their own clusters, so the default one is left as it is.
fi

# tests/integration/regression_database.sh runs PostgreSQL's own regression
# suite, taken from Debian's source package of the installed server: that needs
# a deb-src entry for the suites the binary packages come from (added once, in
# a file of its own, when apt knows no source of postgresql-15 yet).
if [ -z "$(apt-cache showsrc postgresql-15 2>/dev/null)" ]; then
  src_list=/etc/apt/sources.list.d/pgclone-deb-src.sources
  echo "install-deps: adding deb-src entries ($src_list)"
  $SUDO tee "$src_list" >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  $SUDO apt-get update -qq
fi
# Download it now (tens of MB, once per machine) so the test itself needs no
# network; the test fetches it on its own when this cache is missing.
suite=$($SUDO "$(dirname "$0")/fetch-regress-suite.sh")
echo "install-deps: PostgreSQL regression suite in $suite"
echo "install-deps: done"
