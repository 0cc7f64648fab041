-- Per-table row checksums and per-sequence positions of every user schema,
-- one line each, in a stable order: run on source and clone, then diffed.
SELECT format('SELECT %L AS rel, count(*) AS n, md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) FROM ONLY %I.%I t',
              n.nspname || '.' || c.relname, ',', '', n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
ORDER BY n.nspname, c.relname
\gexec
SELECT format('SELECT %L AS seq, last_value, is_called FROM %I.%I', n.nspname || '.' || c.relname, n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY n.nspname, c.relname
\gexec
SELECT format('SELECT %L AS matview, count(*) FROM %I.%I', n.nspname || '.' || c.relname, n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'm' AND c.relispopulated ORDER BY n.nspname, c.relname
\gexec
