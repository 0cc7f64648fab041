#include "clone/table_dependencies.h"

#include "ddl/sequence_ddl.h"
#include "ddl/sql_text.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::clone {
namespace {

// "the default of column a" / "the defaults of columns a, b"
std::string defaults_of(const std::vector<std::string>& columns) {
  std::string out = columns.size() == 1 ? "the default of column " : "the defaults of columns ";
  for (size_t i = 0; i < columns.size(); ++i) out += (i ? ", " : "") + ddl::quote_ident(columns[i]);
  return out;
}

}  // namespace

void ensure_target_schema(pg::Connection& target, const std::string& schema, jobs::Job& job) {
  pg::Result r = target.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {schema});
  if (r.rows() > 0) return;
  target.exec("CREATE SCHEMA " + ddl::quote_ident(schema));
  job.add_notice("notice", "created schema " + ddl::quote_ident(schema) + " on the target");
}

DefaultSequenceSetup create_default_sequences(pg::Connection& target, jobs::Job& job,
                                              const std::vector<catalog::DefaultSequence>& sequences) {
  DefaultSequenceSetup setup;
  for (const catalog::DefaultSequence& d : sequences) {
    const catalog::SequenceDefinition& sequence = d.sequence;
    const std::vector<std::string>& used_by = d.used_by;
    const std::string shown = ddl::qualified_name(sequence.schema, sequence.name);
    pg::Result r = target.query(
        "SELECT c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = $1 AND c.relname = $2",
        {sequence.schema, sequence.name});
    if (r.rows() > 0 && r.get(0, 0) != "S") {
      throw pg::PgError(protocol::sqlstate::kDuplicateTable,
                        "relation " + shown + " already exists on the target and is not a sequence",
                        "Sequence " + shown + " is used by " + defaults_of(used_by) + " on the source.",
                        "Drop or rename that relation first.");
    }
    if (r.rows() > 0) {
      job.add_notice("notice", "sequence " + shown +
                                   " already exists on the target and is used as it is (not repositioned) by " +
                                   defaults_of(used_by));
      continue;
    }
    ensure_target_schema(target, sequence.schema, job);
    for (const std::string& statement : ddl::sequence_statements(sequence)) target.exec(statement);
    setup.positions.push_back(ddl::sequence_value_statement(sequence));
    setup.created_names.insert(shown);
    ++setup.created;
  }
  return setup;
}

std::vector<DefaultSequenceFinish> default_sequence_finishes(const std::vector<catalog::DefaultSequence>& sequences,
                                                            bool source_owners) {
  std::vector<DefaultSequenceFinish> out;
  for (const catalog::DefaultSequence& d : sequences) {
    DefaultSequenceFinish finish;
    finish.sequence = ddl::qualified_name(d.sequence.schema, d.sequence.name);
    if (source_owners) finish.owner = d.owner;
    ddl::AclObject object;
    object.kind = ddl::AclObjectKind::kSequence;
    object.target = finish.sequence;
    object.owner = d.owner;
    object.acl = d.acl;
    object.source_owner = source_owners;
    finish.privileges = ddl::privilege_statements(object);
    out.push_back(std::move(finish));
  }
  return out;
}

}  // namespace pgclone::agent::clone
