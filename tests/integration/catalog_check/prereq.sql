-- Objects the cloned tables depend on; created in both source and target
-- (pgclone clones them separately; table() expects them to exist).
CREATE SCHEMA "Ünïcode Schema";
CREATE TYPE "Ünïcode Schema".mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN "Ünïcode Schema".posint AS integer CHECK (VALUE > 0);
CREATE TYPE "Ünïcode Schema".pair AS (a integer, b text);
CREATE FUNCTION "Ünïcode Schema".trg_fn() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TABLE "Ünïcode Schema".ref (id integer PRIMARY KEY);
INSERT INTO "Ünïcode Schema".ref VALUES (1), (2);
