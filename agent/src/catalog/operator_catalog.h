// Operators, operator families and classes, and (for database clones)
// access methods: what an index or a query needs to use a type's operators.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

constexpr unsigned kPgOperator = 2617;
constexpr unsigned kPgOpclass = 2616;
constexpr unsigned kPgOpfamily = 2753;
constexpr unsigned kPgAmop = 2602;
constexpr unsigned kPgAmproc = 2603;
constexpr unsigned kPgAm = 2601;

// Texts are quoted and qualified as the statements need them.
struct OperatorDefinition {
  std::string oid;
  std::string schema;
  std::string name;                    // the operator's symbol, e.g. "<<="
  std::string left_type, right_type;   // format_type; empty when none (prefix operator)
  std::string function;                // oprcode
  std::string commutator, negator;     // "OPERATOR(schema.op)", empty when none
  std::string restrict_function, join_function;
  bool hashes = false, merges = false;
  std::optional<std::string> comment;
};

// A member of an operator family: an operator (amop) or a support function (amproc).
struct OperatorFamilyMember {
  std::string oid;          // the pg_amop or pg_amproc row
  bool is_operator = true;
  int number = 0;           // strategy or support number
  std::string text;         // operator: "schema.op(type,type)"; function: "schema.f(args)"
  std::string left_type, right_type;  // function: the types it supports
  std::string sort_family;  // operator FOR ORDER BY: the qualified sort family, else empty
};

struct OperatorFamilyDefinition {
  std::string oid;
  std::string schema;
  std::string name;
  std::string access_method;  // quoted
  std::vector<OperatorFamilyMember> loose_members;  // not bound to a class: ALTER OPERATOR FAMILY ADD
  std::optional<std::string> comment;
};

struct OperatorClassDefinition {
  std::string oid;
  std::string schema;
  std::string name;
  std::string access_method;  // quoted
  std::string input_type;     // format_type
  bool is_default = false;
  std::string family;         // quoted qualified
  std::string storage_type;   // format_type of opckeytype, empty when none
  std::vector<OperatorFamilyMember> members;
  std::optional<std::string> comment;
};

struct AccessMethodDefinition {
  std::string oid;
  std::string name;
  char type = 'i';       // amtype: i index, t table
  std::string handler;   // quoted qualified
  std::optional<std::string> comment;
};

// Operators of the schemas that have a function (shell operators are left
// out, as pg_dump does), not extension members.
std::vector<OperatorDefinition> read_operators(pg::Connection& conn, const std::vector<std::string>& schemas);
std::vector<OperatorFamilyDefinition> read_operator_families(pg::Connection& conn, const std::vector<std::string>& schemas);
std::vector<OperatorClassDefinition> read_operator_classes(pg::Connection& conn, const std::vector<std::string>& schemas);
// User-defined access methods (oid >= 16384, not extension members).
std::vector<AccessMethodDefinition> read_access_methods(pg::Connection& conn);

}  // namespace pgclone::agent::catalog
