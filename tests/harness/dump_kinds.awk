# pg_dump (plain format) -> one line per SQL line, prefixed with the object
# kind of the entry it belongs to: "KIND<TAB>line". The kind is the "Type:"
# of the entry's "-- Name: ...; Type: KIND; ..." header (TABLE, INDEX,
# FK CONSTRAINT, ACL, COMMENT, ...); lines before the first header are
# "PREAMBLE". Comments, blank lines and the SET / set_config / \restrict
# preamble are dropped, and so are the entries of the pgclone extension
# itself (database_create() installs it in every clone), so a diff of two
# such outputs counts differing SQL lines by kind.
#
#   pg_dump ... | awk -f tests/harness/dump_kinds.awk
BEGIN { kind = "PREAMBLE"; skip = 0 }
/^-- (Data for )?Name: / {
  kind = $0
  sub(/^.*; Type: /, "", kind)
  sub(/;.*$/, "", kind)
  skip = ($0 ~ /^-- Name: (EXTENSION )?pgclone; Type: (EXTENSION|COMMENT|SCHEMA);/ ||
          $0 ~ /^-- Name: pgclone; Type: SCHEMA;/)
  next
}
/^--/ || /^[[:space:]]*$/ { next }
/^(SET |SELECT pg_catalog\.set_config|\\(un)?restrict )/ { next }
!skip { print kind "\t" $0 }
