-- Every foreign key of the database (but pgclone's own), dropped and added
-- again from its own definition inside a transaction that is rolled back:
-- ADD CONSTRAINT checks every row, whatever produced them. Prints
-- "checked N", or fails (ON_ERROR_STOP) with the violation.
-- Used by tests/integration/sample.sh and bench/lib/sample.sh.
BEGIN;
CREATE TEMP TABLE fk_defs AS
  SELECT conrelid::regclass::text AS tab, conname, pg_get_constraintdef(oid) AS def
  FROM pg_constraint WHERE contype = 'f' AND conparentid = 0
    AND connamespace <> 'pgclone'::regnamespace;
DO $$
DECLARE d record;
BEGIN
  FOR d IN SELECT * FROM fk_defs LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', d.tab, d.conname);
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', d.tab, d.conname, d.def);
  END LOOP;
END $$;
SELECT 'checked ' || count(*) FROM fk_defs;
ROLLBACK;
