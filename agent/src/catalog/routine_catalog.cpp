#include "catalog/routine_catalog.h"

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

namespace {

std::string regproc_text(const std::string& column) {
  return "CASE WHEN " + column + " <> 0 THEN " + column + "::pg_catalog.regproc::pg_catalog.text ELSE '' END";
}

std::string regtype_text(const std::string& column) {
  return "CASE WHEN " + column + " <> 0 THEN pg_catalog.format_type(" + column + ", NULL) ELSE '' END";
}

}  // namespace

std::vector<RoutineDefinition> read_routines(pg::Connection& conn, const std::vector<std::string>& schemas) {
  pg::Result r = conn.query(
      "SELECT p.oid, n.nspname, p.proname, p.prokind, p.proparallel,"
      " pg_catalog.pg_get_function_arguments(p.oid) AS arguments,"
      " pg_catalog.pg_get_function_identity_arguments(p.oid) AS identity_arguments,"
      " CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) END AS definition, " +
          description_sql("p.oid", "pg_catalog.pg_proc") +
          " AS comment, a.aggkind, " + regproc_text("a.aggtransfn") + " AS sfunc, " +
          regtype_text("a.aggtranstype") + " AS stype, " + regproc_text("a.aggfinalfn") + " AS finalfunc, " +
          regproc_text("a.aggcombinefn") + " AS combinefunc, " + regproc_text("a.aggserialfn") +
          " AS serialfunc, " + regproc_text("a.aggdeserialfn") + " AS deserialfunc, " +
          regproc_text("a.aggmtransfn") + " AS msfunc, " + regproc_text("a.aggminvtransfn") + " AS minvfunc, " +
          regtype_text("a.aggmtranstype") + " AS mstype, " + regproc_text("a.aggmfinalfn") +
          " AS mfinalfunc,"
          " a.agginitval, a.aggminitval, a.aggfinalextra, a.aggmfinalextra, a.aggfinalmodify, a.aggmfinalmodify,"
          " a.aggtransspace, a.aggmtransspace,"
          " CASE WHEN a.aggsortop <> 0 THEN (SELECT 'OPERATOR(' || pg_catalog.quote_ident(opn.nspname) || '.' ||"
          "   op.oprname || ')' FROM pg_catalog.pg_operator op JOIN pg_catalog.pg_namespace opn"
          "   ON opn.oid = op.oprnamespace WHERE op.oid = a.aggsortop) ELSE '' END AS sortop"
          " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
          " LEFT JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid"
          " WHERE n.nspname = ANY ($1::pg_catalog.text[])"
          " AND " + not_extension_member_sql("pg_catalog.pg_proc", "p.oid") +
          // Range and multirange constructors come with CREATE TYPE (internal dependency).
          " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass"
          "   AND i.objid = p.oid AND i.deptype = 'i')" +
          " ORDER BY n.nspname, p.proname, identity_arguments",
      {text_array_literal(schemas)});
  std::vector<RoutineDefinition> out;
  for (int i = 0; i < r.rows(); ++i) {
    RoutineDefinition f;
    f.oid = r.get(i, "oid");
    f.schema = r.get(i, "nspname");
    f.name = r.get(i, "proname");
    f.kind = r.get(i, "prokind")[0];
    f.parallel = r.get(i, "proparallel")[0];
    f.arguments = r.get(i, "arguments");
    f.identity_arguments = r.get(i, "identity_arguments");
    f.definition = r.get(i, "definition");
    f.comment = r.get_optional(i, "comment");
    if (f.kind == 'a') {
      AggregateDefinition a;
      a.kind = r.get(i, "aggkind")[0];
      a.transition_function = r.get(i, "sfunc");
      a.state_type = r.get(i, "stype");
      a.final_function = r.get(i, "finalfunc");
      a.combine_function = r.get(i, "combinefunc");
      a.serial_function = r.get(i, "serialfunc");
      a.deserial_function = r.get(i, "deserialfunc");
      a.moving_transition_function = r.get(i, "msfunc");
      a.moving_inverse_function = r.get(i, "minvfunc");
      a.moving_state_type = r.get(i, "mstype");
      a.moving_final_function = r.get(i, "mfinalfunc");
      a.initial_condition = r.get_optional(i, "agginitval");
      a.moving_initial_condition = r.get_optional(i, "aggminitval");
      a.final_extra = r.get_bool(i, "aggfinalextra");
      a.moving_final_extra = r.get_bool(i, "aggmfinalextra");
      a.final_modify = r.get(i, "aggfinalmodify")[0];
      a.moving_final_modify = r.get(i, "aggmfinalmodify")[0];
      a.state_space = static_cast<int>(r.get_int(i, "aggtransspace"));
      a.moving_state_space = static_cast<int>(r.get_int(i, "aggmtransspace"));
      a.sort_operator = r.get(i, "sortop");
      f.aggregate = std::move(a);
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace pgclone::agent::catalog
