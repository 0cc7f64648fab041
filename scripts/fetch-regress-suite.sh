#!/usr/bin/env bash
# Fetches PostgreSQL's own regression suite (src/test/regress of the source
# tree) for the INSTALLED server version from Debian's source package, for
# tests/integration/regression_database.sh. Run as root by
# scripts/install-deps.sh (needs the network and a deb-src entry, which
# install-deps.sh adds); the test runs it itself when the cache is missing.
#
#   scripts/fetch-regress-suite.sh   -> prints the suite's directory; the
#   dummy_seclabel module is in ../modules/dummy_seclabel beside it
#
# Cache: $PGCLONE_REGRESS_CACHE (default /var/cache/pgclone-regress)/<version>/
# holds the downloaded .dsc/.orig/.debian files and src/test/regress unpacked
# from the .orig tarball (Debian's patches do not touch the suite's files we
# use); source-version names the version actually downloaded. Idempotent: a complete cache is reused without any download.
set -euo pipefail

: "${PG_CONFIG:=/usr/lib/postgresql/15/bin/pg_config}"
: "${PGCLONE_REGRESS_CACHE:=/var/cache/pgclone-regress}"
major=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
pkg="postgresql-$major"
version=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
  { echo "fetch-regress-suite: package $pkg is not installed" >&2; exit 1; }
dir="$PGCLONE_REGRESS_CACHE/$version"
suite="$dir/src/test/regress"

# src/test/modules/dummy_seclabel comes along: the security label provider
# tests/integration/security_labels.sh builds (no provider ships with Debian).
seclabel="$dir/src/test/modules/dummy_seclabel"
if [ -f "$suite/parallel_schedule" ] && [ -f "$suite/regress.c" ]; then
  orig=$(ls "$dir"/"${pkg}"_*.orig.tar.* 2>/dev/null | head -n 1)
  if [ ! -f "$seclabel/dummy_seclabel.c" ] && [ -n "$orig" ]; then
    tar -xf "$orig" -C "$dir" --strip-components=1 --wildcards '*/src/test/modules/dummy_seclabel/*'
    chmod -R a+rX "$dir/src"
  fi
  if [ -f "$seclabel/dummy_seclabel.c" ]; then
    echo "$suite"
    exit 0
  fi
fi

mkdir -p "$dir"
cd "$dir"
# The installed version first; when the archive no longer serves its source
# (mirrors drop superseded uploads), the newest other version of the same
# major release apt knows of: its suite differs only in a few expected outputs.
candidates=$( { echo "$version"; apt-cache showsrc "$pkg" 2>/dev/null | awk '/^Version:/ { print $2 }' | sort -rV; } | awk '!seen[$0]++')
got=""
for v in $candidates; do
  rm -f "$dir"/"${pkg}"_*
  if apt-get source -qq --download-only "$pkg=$v" >&2 2>"$dir/apt.err"; then got=$v; break; fi
  echo "fetch-regress-suite: could not download the source of $pkg $v: $(grep -m1 '^E:' "$dir/apt.err")" >&2
done
[ -n "$got" ] ||
  { echo "fetch-regress-suite: apt-get source $pkg failed (is there a deb-src entry? run scripts/install-deps.sh)" >&2; exit 1; }
[ "$got" = "$version" ] || echo "fetch-regress-suite: using the suite of $pkg $got for the installed $version" >&2
echo "$got" >"$dir/source-version"
orig=$(ls "$dir"/"${pkg}"_*.orig.tar.* | head -n 1)
rm -rf "$dir/src.tmp"
mkdir "$dir/src.tmp"
tar -xf "$orig" -C "$dir/src.tmp" --strip-components=1 --wildcards '*/src/test/regress/*' \
  '*/src/test/modules/dummy_seclabel/*'
rm -rf "$dir/src"
mv "$dir/src.tmp/src" "$dir/src"
rm -rf "$dir/src.tmp"
chmod -R a+rX "$dir"
echo "$suite"
