// SECURITY LABEL statements, as pg_dump writes them.
#pragma once

#include <optional>
#include <string>

#include "catalog/security_label_catalog.h"

namespace pgclone::agent::ddl {

// "SECURITY LABEL FOR provider ON <KIND> <identity> IS 'label'"; nullopt for
// an object kind SECURITY LABEL does not take.
std::optional<std::string> security_label_statement(const catalog::SecurityLabel& label);

}  // namespace pgclone::agent::ddl
