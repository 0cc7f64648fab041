-- Source database for tests/integration/agent_chaos.sh (loaded into its own
-- database, not the shared fixtures): enough tables that the DDL phase lasts a
-- moment, two big tables with several indexes so copy and index builds can be
-- caught in the act, and foreign keys between them.
CREATE SCHEMA chaos;

CREATE TABLE chaos.parent (id int PRIMARY KEY, label text NOT NULL);
INSERT INTO chaos.parent SELECT g, 'parent ' || g FROM generate_series(1, 1000) g;

CREATE TABLE chaos.big1 (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id int NOT NULL REFERENCES chaos.parent (id),
  payload text NOT NULL,
  amount numeric(12, 2) NOT NULL,
  created timestamptz NOT NULL
);
CREATE INDEX big1_payload_idx ON chaos.big1 (payload);
CREATE INDEX big1_amount_idx ON chaos.big1 (amount, created);
CREATE INDEX big1_lower_idx ON chaos.big1 (lower(payload));
INSERT INTO chaos.big1 (parent_id, payload, amount, created)
SELECT 1 + g % 1000, md5(g::text) || md5((g * 7)::text), (g % 100000) / 100.0,
       timestamptz '2024-01-01' + g * interval '1 second'
FROM generate_series(1, 400000) g;

CREATE TABLE chaos.big2 (
  id bigint PRIMARY KEY,
  big1_id bigint NOT NULL REFERENCES chaos.big1 (id),
  note text
);
CREATE INDEX big2_note_idx ON chaos.big2 (note);
INSERT INTO chaos.big2 SELECT g, 1 + g % 400000, md5(g::text) FROM generate_series(1, 100000) g;

-- Many small tables: pre-data spans more than one batch of DDL.
DO $$
BEGIN
  FOR i IN 1..600 LOOP
    EXECUTE format('CREATE TABLE chaos.small_%s (id int PRIMARY KEY, v text)', i);
    EXECUTE format('INSERT INTO chaos.small_%s SELECT g, md5(g::text) FROM generate_series(1, 20) g', i);
  END LOOP;
END $$;
