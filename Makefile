# pgclone — top-level build.
#
#   make                    extension (PGXS) + agent and unit tests (CMake, in build/)
#   make install            both: extension into $(PG_CONFIG)'s PostgreSQL,
#                           pgclone-agent into $(AGENT_BINDIR)
#   make extension          the extension only (PGXS, no CMake needed)
#   make install-extension  install the extension only
#   make agent              agent + unit tests only (CMake)
#   make install-agent      install pgclone-agent only
#   make check              the full test suite (tests/run.sh; it builds and
#                           installs first; needs root)
#   make clean              clean both
#
# Variables: PG_CONFIG (default: PostgreSQL 15's pg_config), AGENT_BINDIR
# (default /usr/local/bin), DESTDIR, CMAKE, CMAKE_BUILD_TYPE, BUILD_DIR.
#
# How it works: this file is both a driver and a plain PGXS makefile. Invoked
# normally it is the driver; it runs itself again with PGCLONE_PGXS=1 for the
# extension part, where it is nothing but PGXS. Keeping the two apart means
# PGXS's own "check" and "clean" recipes are never overridden (no make warnings)
# and the extension builds on its own even when agent/ is incomplete.

PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config

ifdef PGCLONE_PGXS
# ---------------------------------------------------------------- PGXS part --

MODULE_big = pgclone
OBJS = \
	extension/agent_call.o \
	extension/agent_client.o \
	extension/caller_proof.o \
	extension/client_curve.o \
	extension/client_requests.o \
	extension/fn_args.o \
	extension/fn_discover.o \
	extension/fn_diff.o \
	extension/fn_preflight.o \
	extension/fn_info.o \
	extension/fn_roles.o \
	extension/fn_sample.o \
	extension/fn_jobs.o \
	extension/fn_masking_report.o \
	extension/fn_masking.o \
	extension/fn_schema.o \
	extension/fn_session.o \
	extension/fn_table.o \
	extension/fn_verify.o \
	extension/job_client.o \
	extension/local_job.o \
	extension/local_job_client.o \
	extension/mask_in_place.o \
	extension/mask_plan.o \
	extension/mask_target.o \
	extension/masking_policy.o \
	extension/module.o \
	extension/named_source.o \
	extension/options_check.o \
	extension/report.o \
	extension/sensitive_report.o \
	protocol/src/codec.o \
	protocol/src/clone_options.o \
	protocol/src/sample_options.o \
	protocol/src/options_document.o \
	protocol/src/job_report.o \
	protocol/src/key_file.o \
	protocol/src/too_long.o \
	protocol/src/table_patterns.o \
	protocol/src/mask_rules.o \
	protocol/src/mask_sql.o \
	protocol/src/where_filter.o \
	protocol/src/sensitive_names.o \
	protocol/src/sensitive_values.o \
	protocol/src/sensitive_masks.o \
	protocol/src/verify_options.o
PGFILEDESC = "pgclone - clone PostgreSQL tables through pgclone-agent"

EXTENSION = pgclone
DATA = sql/pgclone--0.1.0.sql

# Debian's PGXS would compile .cpp to LLVM bitcode as C++14 (see TOOLCHAIN.md).
override with_llvm = no
PG_CXXFLAGS += -std=c++17 -Wno-register  # PostgreSQL 15 headers still use "register"
PG_CPPFLAGS += -DMSGPACK_NO_BOOST -Iprotocol/include -Iextension -I$(shell $(PG_CONFIG) --includedir)
SHLIB_LINK += -lpq -lzmq -lre2 -lstdc++

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Header dependencies (PGXS has none for C++ sources outside the PG tree).
EXT_HEADERS := $(wildcard extension/*.h) $(wildcard protocol/include/pgclone/protocol/*.h)
$(OBJS): $(EXT_HEADERS)

else
# -------------------------------------------------------------- driver part --

AGENT_BINDIR ?= /usr/local/bin
CMAKE ?= cmake
CMAKE_BUILD_TYPE ?= RelWithDebInfo
BUILD_DIR ?= build
PGXS_MAKE = $(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) PGCLONE_PGXS=1

.DEFAULT_GOAL := all
.PHONY: all extension agent install install-extension install-agent \
	uninstall uninstall-extension uninstall-agent check clean

all: extension agent

extension:
	+$(PGXS_MAKE) all

# CMake runs its own make with -j2, isolated from this make's flags/jobserver.
CMAKE_ENV = env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL

agent:
	$(CMAKE_ENV) $(CMAKE) -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE)
	$(CMAKE_ENV) $(CMAKE) --build $(BUILD_DIR) -j2

install: install-extension install-agent

install-extension:
	+$(PGXS_MAKE) install

install-agent: agent
	install -d '$(DESTDIR)$(AGENT_BINDIR)'
	install -m 755 $(BUILD_DIR)/agent/pgclone-agent '$(DESTDIR)$(AGENT_BINDIR)/pgclone-agent'

uninstall: uninstall-extension uninstall-agent

uninstall-extension:
	+$(PGXS_MAKE) uninstall

uninstall-agent:
	rm -f '$(DESTDIR)$(AGENT_BINDIR)/pgclone-agent'

# tests/run.sh builds and installs (make && make install) before testing.
check:
	tests/run.sh

clean:
	+$(PGXS_MAKE) clean
	rm -rf $(BUILD_DIR)

endif
