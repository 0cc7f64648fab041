#pragma once
// Included first by every pure C++ translation unit of the extension: such code
// may throw and own objects with destructors, so it must never be compiled
// against PostgreSQL headers (and never call palloc, ereport or any PostgreSQL
// function). See "The C++ <-> PostgreSQL boundary" in ARCHITECTURE.md.

#ifdef POSTGRES_H
#error "pure C++ file of the pgclone extension sees PostgreSQL headers"
#endif
