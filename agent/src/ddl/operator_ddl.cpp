#include "ddl/operator_ddl.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

namespace {

std::string operator_name(const catalog::OperatorDefinition& op) { return quote_ident(op.schema) + "." + op.name; }

std::string member_text(const catalog::OperatorFamilyMember& m) {
  if (m.is_operator)
    return "OPERATOR " + std::to_string(m.number) + " " + m.text +
           (m.sort_family.empty() ? "" : " FOR ORDER BY " + m.sort_family);
  return "FUNCTION " + std::to_string(m.number) + " (" + m.left_type + ", " + m.right_type + ") " + m.text;
}

}  // namespace

std::vector<std::string> operator_statements(const catalog::OperatorDefinition& op) {
  std::vector<std::string> items{"FUNCTION = " + op.function};
  if (!op.left_type.empty()) items.push_back("LEFTARG = " + op.left_type);
  if (!op.right_type.empty()) items.push_back("RIGHTARG = " + op.right_type);
  if (!op.commutator.empty()) items.push_back("COMMUTATOR = " + op.commutator);
  if (!op.negator.empty()) items.push_back("NEGATOR = " + op.negator);
  if (op.merges) items.push_back("MERGES");
  if (op.hashes) items.push_back("HASHES");
  if (!op.restrict_function.empty()) items.push_back("RESTRICT = " + op.restrict_function);
  if (!op.join_function.empty()) items.push_back("JOIN = " + op.join_function);
  std::vector<std::string> out{"CREATE OPERATOR " + operator_name(op) + " (\n    " + join(items, ",\n    ") + "\n)"};
  if (op.comment)
    out.push_back("COMMENT ON OPERATOR " + operator_name(op) + " (" + (op.left_type.empty() ? "NONE" : op.left_type) +
                  ", " + (op.right_type.empty() ? "NONE" : op.right_type) + ") IS " + quote_literal(*op.comment));
  return out;
}

std::vector<std::string> operator_family_statements(const catalog::OperatorFamilyDefinition& f) {
  const std::string name = qualified_name(f.schema, f.name) + " USING " + f.access_method;
  std::vector<std::string> out{"CREATE OPERATOR FAMILY " + name};
  if (f.comment) out.push_back("COMMENT ON OPERATOR FAMILY " + name + " IS " + quote_literal(*f.comment));
  return out;
}

std::vector<std::string> operator_family_member_statements(const catalog::OperatorFamilyDefinition& f) {
  if (f.loose_members.empty()) return {};
  std::vector<std::string> items;
  for (const auto& m : f.loose_members) items.push_back(member_text(m));
  return {"ALTER OPERATOR FAMILY " + qualified_name(f.schema, f.name) + " USING " + f.access_method + " ADD\n    " +
          join(items, ",\n    ")};
}

std::vector<std::string> operator_class_statements(const catalog::OperatorClassDefinition& c) {
  const std::string name = qualified_name(c.schema, c.name);
  std::vector<std::string> items;
  for (const auto& m : c.members) items.push_back(member_text(m));
  // A class without members still needs one item after AS: STORAGE of its
  // own input type is the same as none.
  if (!c.storage_type.empty() || items.empty())
    items.push_back("STORAGE " + (c.storage_type.empty() ? c.input_type : c.storage_type));
  std::vector<std::string> out{"CREATE OPERATOR CLASS " + name + (c.is_default ? " DEFAULT" : "") + " FOR TYPE " +
                               c.input_type + " USING " + c.access_method + " FAMILY " + c.family + " AS\n    " +
                               join(items, ",\n    ")};
  if (c.comment)
    out.push_back("COMMENT ON OPERATOR CLASS " + name + " USING " + c.access_method + " IS " +
                  quote_literal(*c.comment));
  return out;
}

std::vector<std::string> access_method_statements(const catalog::AccessMethodDefinition& am) {
  const std::string type = am.type == 't' ? "TABLE" : "INDEX";
  const std::string create =
      "CREATE ACCESS METHOD " + quote_ident(am.name) + " TYPE " + type + " HANDLER " + am.handler;
  std::vector<std::string> out{
      "DO $pgclone$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_am WHERE amname = " + quote_literal(am.name) +
      " AND amtype = " + quote_literal(std::string(1, am.type)) + " AND amhandler = " + quote_literal(am.handler) +
      "::pg_catalog.regproc) THEN " + create + "; END IF; END$pgclone$"};
  if (am.comment) out.push_back("COMMENT ON ACCESS METHOD " + quote_ident(am.name) + " IS " + quote_literal(*am.comment));
  return out;
}

}  // namespace pgclone::agent::ddl
