#pragma once
// The only file that includes PostgreSQL headers. Every translation unit that
// runs in the PostgreSQL frame includes this header FIRST (postgres.h must come
// before any C++ standard or third-party header, see TOOLCHAIN.md). Files that
// are pure C++ include cxx_only.h instead and must never see these headers.

// PG 15's PGDLLEXPORT is empty on ELF; make exported symbols visible even if
// someone builds with -fvisibility=hidden.
#ifndef PGDLLEXPORT
#define PGDLLEXPORT __attribute__((visibility("default")))
#endif

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/postmaster.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "utils/builtins.h"
#include "utils/elog.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/varlena.h"
#include "utils/wait_event.h"
#include "commands/dbcommands.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "storage/lock.h"
#include "utils/acl.h"
#include "access/htup_details.h"
#include "access/xact.h"
#include "storage/proc.h"
#include "utils/syscache.h"
#include "access/reloptions.h"
#include "catalog/pg_foreign_data_wrapper.h"
#include "catalog/pg_foreign_server.h"
#include "catalog/pg_user_mapping.h"
#include "commands/defrem.h"
#include "foreign/foreign.h"
#include "libpq-fe.h"
#include "lib/stringinfo.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "nodes/makefuncs.h"
#include "storage/lmgr.h"
}
