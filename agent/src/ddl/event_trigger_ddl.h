// CREATE EVENT TRIGGER, in two parts: created disabled, so it fires for
// nothing the clone still does, and enabled (in the source's mode) once the
// clone is done. Pure.
#pragma once

#include <string>
#include <vector>

#include "catalog/event_trigger_catalog.h"

namespace pgclone::agent::ddl {

// CREATE EVENT TRIGGER … ; ALTER EVENT TRIGGER … DISABLE; its comment.
std::vector<std::string> event_trigger_statements(const catalog::EventTriggerDefinition& trigger);

// ALTER EVENT TRIGGER … ENABLE [REPLICA | ALWAYS]; empty when the source's
// is disabled.
std::vector<std::string> event_trigger_enable_statements(const catalog::EventTriggerDefinition& trigger);

}  // namespace pgclone::agent::ddl
