# shellcheck shell=bash
# bench/lib/pgcopydb_compare.sh: a pgcopydb that has `compare data` (added in
# pgcopydb 0.13; Debian 12 ships 0.10, which lacks it), for bench/verify.sh
# only: the test suite never builds it.
#
# bench_pgcopydb_compare prints the path of one, in this order:
#   $BENCH_PGCOPYDB_COMPARE            a binary given outright
#   $BENCH_PGCOPYDB (pgcopydb on PATH) when its `compare data --help` works
#   $BENCH_CACHE_DIR/pgcopydb-$BENCH_PGCOPYDB_TAG/pgcopydb, built before
#   a fresh build of release $BENCH_PGCOPYDB_TAG (v0.17) from its public source
#     (PostgreSQL License): $BENCH_PGCOPYDB_SRC when set (an unpacked source
#     tree), else the GitHub release tarball (curl); build dependencies from
#     apt-get. A source tree without the SQLite amalgamation (src/bin/lib/
#     sqlite/sqlite3.c, 8 MB) links the system's libsqlite3 instead.
# Prints nothing (and says why on stderr) when none can be had.

: "${BENCH_PGCOPYDB_TAG:=v0.17}"
: "${BENCH_CACHE_DIR:=${XDG_CACHE_HOME:-$HOME/.cache}/pgclone-bench}"

bench_pgcopydb_has_compare() {
  [ -x "$(command -v "$1" 2>/dev/null)" ] && "$1" compare data --help >/dev/null 2>&1
}

bench_pgcopydb_build() {   # bench_pgcopydb_build SRC_DIR OUT_BINARY
  local src=$1 out=$2
  local deps="libgc-dev libselinux1-dev libzstd-dev liblz4-dev libpam0g-dev libreadline-dev libxml2-dev libxslt1-dev libkrb5-dev libssl-dev zlib1g-dev libncurses-dev libsqlite3-dev"
  # shellcheck disable=SC2086
  if ! dpkg -s $deps >/dev/null 2>&1; then
    bench_log "installing pgcopydb's build dependencies: $deps"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $deps >/dev/null || return 1
  fi
  if [ ! -f "$src/src/bin/lib/sqlite/sqlite3.c" ]; then
    echo "/* no amalgamation in this tree: the system's libsqlite3 is linked (pgclone bench) */" \
      >"$src/src/bin/lib/sqlite/sqlite3.c"
    grep -q '^LIBS += -lsqlite3' "$src/src/bin/pgcopydb/Makefile" || echo 'LIBS += -lsqlite3' >>"$src/src/bin/pgcopydb/Makefile"
  fi
  [ -f "$src/version" ] || echo "${BENCH_PGCOPYDB_TAG#v}" >"$src/version"
  bench_log "building pgcopydb $BENCH_PGCOPYDB_TAG in $src (a few minutes, once)"
  make -C "$src" -j"$(nproc)" PG_CONFIG="$PG_CONFIG" bin >"$src/build.log" 2>&1 || {
    bench_log "pgcopydb build failed: $src/build.log"; return 1; }
  mkdir -p "$(dirname "$out")"
  cp "$src/src/bin/pgcopydb/pgcopydb" "$out"
}

bench_pgcopydb_compare() {
  local cached="$BENCH_CACHE_DIR/pgcopydb-$BENCH_PGCOPYDB_TAG/pgcopydb" src work
  if [ -n "${BENCH_PGCOPYDB_COMPARE:-}" ]; then
    bench_pgcopydb_has_compare "$BENCH_PGCOPYDB_COMPARE" && { echo "$BENCH_PGCOPYDB_COMPARE"; return; }
    bench_log "BENCH_PGCOPYDB_COMPARE=$BENCH_PGCOPYDB_COMPARE has no 'compare data'"; return 1
  fi
  if bench_pgcopydb_has_compare "$BENCH_PGCOPYDB"; then command -v "$BENCH_PGCOPYDB"; return; fi
  if bench_pgcopydb_has_compare "$cached"; then echo "$cached"; return; fi
  work="$BENCH_CACHE_DIR/pgcopydb-$BENCH_PGCOPYDB_TAG-src"
  if [ -n "${BENCH_PGCOPYDB_SRC:-}" ]; then
    rm -rf "$work"; mkdir -p "$work"; cp -a "$BENCH_PGCOPYDB_SRC/." "$work/"
  else
    rm -rf "$work"; mkdir -p "$work"
    curl -fsSL "https://github.com/dimitri/pgcopydb/archive/refs/tags/$BENCH_PGCOPYDB_TAG.tar.gz" |
      tar -xz -C "$work" --strip-components=1 || { bench_log "could not download pgcopydb $BENCH_PGCOPYDB_TAG"; return 1; }
  fi
  src=$work
  bench_pgcopydb_build "$src" "$cached" || return 1
  bench_pgcopydb_has_compare "$cached" && echo "$cached"
}
