-- Every change is an event (DESIGN §8): an outbox written by statement-level triggers in the
-- transaction that makes the change (src/store/sql/triggers/roster_*_events.sql), so the record and its event commit
-- together and no write path, bulk loads included, can forget one. Webhook endpoints subscribe
-- to event types; a delivery row per (endpoint, event) is written with the event, and Roster
-- processes send them, claimed with FOR UPDATE SKIP LOCKED (src/webhooks/).

-- Events are numbered from one sequence at the end of the statement that wrote the change,
-- while the changed rows are locked: two changes to one record are numbered in the order they
-- commit, which is what delivery in order per record rests on. Cached values would break that
-- across sessions, so the sequence hands them out one at a time.
CREATE SEQUENCE events_seq CACHE 1;

CREATE TABLE events (
  account_id   text COLLATE "C" NOT NULL,
  seq          bigint NOT NULL DEFAULT nextval('events_seq'),
  type         text COLLATE "C" NOT NULL,
  -- The record the event is about ('customer:<id>', 'product_account:<customer id>/<product>'…):
  -- deliveries of one record to one endpoint go out one at a time, in seq order.
  record_key   text COLLATE "C" NOT NULL,
  -- json, not jsonb: built as text and passed through as text, it costs a bulk load less (the
  -- event of a new customer is most of its row again; bench/event-cost.ts measures it).
  data         json NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, seq)
);
-- Retention drops old events by age: a BRIN index costs next to nothing on insert, and events
-- arrive in created_at order.
CREATE INDEX events_created_at_brin ON events USING brin (created_at);

CREATE TABLE webhook_endpoints (
  account_id   text COLLATE "C" NOT NULL REFERENCES account_modes (account_id),
  id           text COLLATE "C" NOT NULL,
  url          text NOT NULL CHECK (char_length(url) <= 2048),
  -- Event types, or '*' for every type.
  events       text[] COLLATE "C" NOT NULL,
  description  text CHECK (char_length(description) <= 500),
  -- Kept as is, not hashed: Roster must sign every delivery with it (an API key is only ever
  -- verified, so only its hash is kept). Readable to whoever can read the database, like the
  -- token-signing keys in signing_keys; never logged, never returned after creation.
  secret       text NOT NULL,
  status       text COLLATE "C" NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
  disabled_reason text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id)
);
CREATE INDEX webhook_endpoints_enabled_idx ON webhook_endpoints (account_id) WHERE status = 'enabled';

CREATE TABLE webhook_deliveries (
  account_id       text COLLATE "C" NOT NULL,
  endpoint_id      text COLLATE "C" NOT NULL,
  event_seq        bigint NOT NULL,
  record_key       text COLLATE "C" NOT NULL,
  -- pending: to send (or being sent, while leased_until is ahead); succeeded; failed: given up.
  status           text COLLATE "C" NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  -- A process sending it holds it until then; a process that died holding it lets it go.
  leased_until     timestamptz,
  -- Which claim holds it: a sender records its result only while its own claim still stands.
  lease            uuid,
  last_attempt_at  timestamptz,
  last_status      integer,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, endpoint_id, event_seq),
  FOREIGN KEY (account_id, endpoint_id) REFERENCES webhook_endpoints (account_id, id) ON DELETE CASCADE
);
-- What a sender looks for: pending deliveries that are due.
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
-- The earlier pending delivery of the same record to the same endpoint, which holds a later one back.
CREATE INDEX webhook_deliveries_record_idx ON webhook_deliveries (account_id, endpoint_id, record_key, event_seq) WHERE status = 'pending';

-- Imports (src/import/): one row per import, with its counts, readable from any process while
-- the load (bulk_loads) runs in the one that received the file.
CREATE TABLE imports (
  account_id   text COLLATE "C" NOT NULL REFERENCES account_modes (account_id),
  id           text COLLATE "C" NOT NULL,
  load_key     text NOT NULL,
  format       text NOT NULL,
  dialect      text NOT NULL,
  status       text COLLATE "C" NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
  lines        bigint NOT NULL DEFAULT 0,
  created      bigint NOT NULL DEFAULT 0,
  updated      bigint NOT NULL DEFAULT 0,
  failed       bigint NOT NULL DEFAULT 0,
  -- The first bad lines, each {line, reason}; every bad line is counted in `failed`.
  errors       jsonb NOT NULL DEFAULT '[]',
  error        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  PRIMARY KEY (account_id, id)
);
-- One unfinished import per file: a rerun of the same file goes on with it.
CREATE UNIQUE INDEX imports_unfinished_key ON imports (account_id, load_key) WHERE status <> 'succeeded';

GRANT SELECT ON events TO roster_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_endpoints, webhook_deliveries, imports TO roster_app;
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE imports ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON events TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON webhook_endpoints TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON webhook_deliveries TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON imports TO roster_app USING (account_id = current_setting('roster.account_id', true));
