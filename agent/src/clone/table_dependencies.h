#pragma once
// What a table() clone needs on the target besides the table itself: its
// schema, and the sequences its column defaults call that the table does not
// own (`DEFAULT nextval('actor_actor_id_seq')` without OWNED BY, or owned by
// another table). Everything runs in the clone's target transaction.

#include <set>
#include <string>
#include <vector>

#include "catalog/sequence_catalog.h"
#include "ddl/privilege_ddl.h"
#include "jobs/job.h"
#include "pg/connection.h"

namespace pgclone::agent::clone {

// Creates the schema when missing (with a notice).
void ensure_target_schema(pg::Connection& target, const std::string& schema, jobs::Job& job);

struct DefaultSequenceSetup {
  int created = 0;
  std::set<std::string> created_names;  // qualified, as on the target
  // setval() of each created sequence, run after the data like the table's
  // own sequences, so the target continues where the source stands.
  std::vector<std::string> positions;
};

// Creates each sequence missing on the target with the source's parameters
// (no OWNED BY: it is not this table's). One that exists is kept as it is and
// used, not repositioned (notice). 42P07 when the name is taken by another
// kind of relation.
DefaultSequenceSetup create_default_sequences(pg::Connection& target, jobs::Job& job,
                                              const std::vector<catalog::DefaultSequence>& sequences);

// What a default sequence the clone creates gets after the data: its
// source owner ("owner": "source") and its source ACL. Built before the
// target changes, so that the privilege filter knows every grantee up front.
struct DefaultSequenceFinish {
  std::string sequence;  // qualified, as on the target
  std::string owner;     // "owner": "source": the source owner to give it; "" keeps the caller
  std::vector<ddl::PrivilegeStatement> privileges;
};
std::vector<DefaultSequenceFinish> default_sequence_finishes(const std::vector<catalog::DefaultSequence>& sequences,
                                                            bool source_owners);

}  // namespace pgclone::agent::clone
