// An object's ACL as GRANT/REVOKE statements, the way pg_dump's
// buildACLCommands does it: relative to the object's default ACL
// (acldefault()), first REVOKE what the default grants but the source ACL
// lacks, then GRANT what the source has beyond the default.
//
// By default the caller owns every object it created on the target, so the
// source owner's entries become the caller's (CURRENT_USER) and every grant
// is made by the caller (with "owner": "source" the owner keeps them): a grant whose grantor on the source was not the owner
// is emitted as the owner's (pg_dump would switch to the grantor's session;
// we cannot). Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pgclone::agent::ddl {

enum class AclObjectKind {
  kTable, kColumn, kSequence, kFunction, kProcedure, kType, kSchema, kForeignDataWrapper, kForeignServer, kDatabase,
  kLargeObject
};

// One aclitem: `grantee=privs/grantor`, an empty grantee being PUBLIC;
// privileges as letters, those followed by `*` also in grant_options.
struct AclItem {
  std::string grantee;
  std::string grantor;
  std::string privileges;     // e.g. "arw"
  std::string grant_options;  // subset of privileges, e.g. "r"
};

// Parses aclitem text as PostgreSQL prints it (role names double-quoted when
// needed, `""` inside quotes). Throws std::invalid_argument when malformed.
AclItem parse_acl_item(const std::string& text);

// The letters acldefault() gives the owner of an object of this kind
// (PostgreSQL 15), which are also every privilege the kind has.
const char* all_privileges(AclObjectKind kind);

// "SELECT, UPDATE" for "rw"; "ALL" when `letters` are all the kind has
// (kind's full set), as pg_dump prints them. Unknown letters throw
// std::invalid_argument.
std::string privilege_names(AclObjectKind kind, const std::string& letters);
// "SELECT, UPDATE" for "rw", never "ALL": for messages.
std::string each_privilege_name(const std::string& letters);

struct AclObject {
  AclObjectKind kind = AclObjectKind::kTable;
  std::string target;  // the object as GRANT names it on the target: `s.t`, `s.f(integer)`, `s` (quoted)
  std::string column;  // kColumn: the quoted column name; target is its table
  std::string owner;   // the owner on the source (unquoted role name)
  // The source ACL's items as text; nullopt when the ACL is NULL (the
  // default: nothing to do).
  std::optional<std::vector<std::string>> acl;
  // The object has its source owner on the target too ("owner": "source"):
  // the owner's entries are that role's, not the caller's.
  bool source_owner = false;
  // How the owner's own entries are named on the target: the caller, who
  // owns what the clone creates, unless the object is the target's own
  // (a database, a schema the clone reuses), then its owner's quoted name.
  std::string owner_sql = "CURRENT_USER";
  // What the object's ACL is before the statements run, when that is not
  // acldefault() (a newly created object's): the target's current ACL of an
  // object the clone reuses, or an empty ACL for default privileges in a
  // schema. Its owner entries are baseline_owner's.
  std::optional<std::vector<std::string>> baseline;
  std::string baseline_owner;
  // ALTER DEFAULT PRIVILEGES: the statements' prefix ("ALTER DEFAULT
  // PRIVILEGES FOR ROLE r IN SCHEMA s"), and the objects are a class
  // ("TABLES"), named by kind; empty for an object's own ACL.
  std::string default_privileges;
  // Default privileges: the role they are for (unquoted), which must exist
  // on the target; empty when it is the caller.
  std::string for_role;
};

struct PrivilegeStatement {
  std::string sql;
  bool grant = false;  // false: a REVOKE
  // Whom a GRANT is to: the unquoted role name, "" for PUBLIC. Empty for
  // REVOKEs and for grants back to the owner (the caller on the target),
  // which restore what the owner keeps after a revocation: those are
  // applied whatever the "privileges" option says, like revocations.
  std::string grantee;
  bool to_owner = false;
  std::string privileges;  // for messages, each named: "EXECUTE", "SELECT, UPDATE"
  std::string object;      // for messages: "TABLE s.t", "column c of TABLE s.t"
  // Default privileges for a role other than the caller (unquoted): the
  // statement needs that role on the target, revocations too.
  std::string for_role;
};

// REVOKEs first, then GRANTs (plain, then WITH GRANT OPTION per grantee), in
// the ACL's order. Empty when the ACL is NULL or equals the default.
std::vector<PrivilegeStatement> privilege_statements(const AclObject& object);

}  // namespace pgclone::agent::ddl
