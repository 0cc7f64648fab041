-- Cluster-wide prerequisites of rich_schema.sql (roles are not per database).
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sales_reader') THEN CREATE ROLE sales_reader; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'Ünï Auditor') THEN CREATE ROLE "Ünï Auditor"; END IF;
END $$;
