-- Renames a clone made under another name (:clone) back to the source's names
-- (:source), reversing adapt_name() with the source's object names (:names, a
-- text[] literal), so pg_dump of clone and source can be compared verbatim.
SET search_path = '';
SELECT set_config('rb.schema', :'schema', false), set_config('rb.clone', :'clone', false),
       set_config('rb.source', :'source', false), set_config('rb.names', :'names', false) \gset
DO $$
DECLARE
  s text := current_setting('rb.schema'); c text := current_setting('rb.clone');
  src text := current_setting('rb.source'); names text[] := current_setting('rb.names')::text[];
  n text; adapted text; rel oid;
BEGIN
  rel := format('%I.%I', s, c)::regclass;
  FOREACH n IN ARRAY names LOOP
    adapted := CASE WHEN n = src OR starts_with(n, src || '_') THEN c || substr(n, length(src) + 1) ELSE c || '_' || n END;
    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = rel AND conname = adapted) THEN
      EXECUTE format('ALTER TABLE %I.%I RENAME CONSTRAINT %I TO %I', s, c, adapted, n);
    ELSIF EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = quote_ident(s)::regnamespace AND relname = adapted AND relkind = 'i') THEN
      EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', s, adapted, n);
    ELSIF EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = quote_ident(s)::regnamespace AND relname = adapted AND relkind = 'S') THEN
      EXECUTE format('ALTER SEQUENCE %I.%I RENAME TO %I', s, adapted, n);
    END IF;
  END LOOP;
  EXECUTE format('ALTER TABLE %I.%I RENAME TO %I', s, c, src);
END $$;
