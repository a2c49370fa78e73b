-- Bulk loads (the seed; imports later) go in as batches, each one transaction that lands its
-- rows, the counters they move and its own row below together. A load killed at any point
-- leaves whole batches only, every constraint and index in force throughout, and the same
-- command run again finds its unfinished load here and does the batches still missing.
CREATE TABLE bulk_loads (
  id            uuid PRIMARY KEY,
  account_id    text COLLATE "C" NOT NULL REFERENCES account_modes (account_id),
  -- What the load is (the command and its arguments): a rerun with the same key resumes it.
  key           text NOT NULL,
  batches       integer NOT NULL CHECK (batches >= 0),
  -- What the load fixed when it began (customer numbers reserved, offsets), so a resumed load
  -- writes exactly the rows the first run would have.
  params        jsonb NOT NULL DEFAULT '{}',
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE UNIQUE INDEX bulk_loads_unfinished_key ON bulk_loads (account_id, key) WHERE finished_at IS NULL;

CREATE TABLE bulk_load_batches (
  load_id     uuid NOT NULL REFERENCES bulk_loads (id) ON DELETE CASCADE,
  batch       integer NOT NULL,
  loaded_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (load_id, batch)
);
