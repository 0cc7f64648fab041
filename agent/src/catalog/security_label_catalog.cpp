#include "catalog/security_label_catalog.h"

#include "catalog/dependency_reader.h"

namespace pgclone::agent::catalog {

std::vector<SecurityLabel> read_security_labels(pg::Connection& conn) {
  pg::Result r = conn.query(
      "SELECT l.classoid::pg_catalog.oid AS classoid, l.objoid, l.objsubid, l.provider, l.label, i.type, i.identity"
      " FROM pg_catalog.pg_seclabel l, pg_catalog.pg_identify_object(l.classoid, l.objoid, l.objsubid) i"
      " ORDER BY l.classoid, l.objoid, l.objsubid, l.provider");
  std::vector<SecurityLabel> out;
  for (int i = 0; i < r.rows(); ++i) {
    SecurityLabel l;
    l.key = object_key(static_cast<unsigned>(r.get_int(i, "classoid")), r.get(i, "objoid"));
    l.subid = static_cast<int>(r.get_int(i, "objsubid"));
    l.provider = r.get(i, "provider");
    l.label = r.get(i, "label");
    l.kind = r.get(i, "type");
    l.identity = r.get(i, "identity");
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace pgclone::agent::catalog
