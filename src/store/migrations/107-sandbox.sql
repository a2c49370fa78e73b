-- Test mode as a vendor sandbox (src/sandbox): what a test-mode account's customers do on their
-- own after they are created (KYB approved about 5 s later, rejected after review, a link that
-- expires), kept as rows with a due time rather than timers, so that several Roster processes
-- share the work (each row claimed with FOR UPDATE SKIP LOCKED) and a restart loses nothing.
CREATE TABLE sandbox_transitions (
  id           uuid PRIMARY KEY,
  account_id   text COLLATE "C" NOT NULL,
  customer_id  text COLLATE "C" NOT NULL,
  due_at       timestamptz NOT NULL,
  -- What happens (src/sandbox/transitions.ts), and the scenario that asked for it.
  transition   text COLLATE "C" NOT NULL,
  scenario     text COLLATE "C",
  FOREIGN KEY (account_id, customer_id) REFERENCES customers (account_id, id) ON DELETE CASCADE
);
CREATE INDEX sandbox_transitions_due_idx ON sandbox_transitions (due_at);
CREATE INDEX sandbox_transitions_customer_idx ON sandbox_transitions (account_id, customer_id);

-- What the sandbox did, one row per transition applied or dropped: each happens exactly once.
CREATE TABLE sandbox_log (
  account_id   text COLLATE "C" NOT NULL,
  customer_id  text COLLATE "C" NOT NULL,
  transition   text COLLATE "C" NOT NULL,
  scenario     text COLLATE "C",
  outcome      text COLLATE "C" NOT NULL CHECK (outcome IN ('applied', 'skipped')),
  detail       text,
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sandbox_log_customer_idx ON sandbox_log (account_id, customer_id, at);

-- Per test-mode account: how long after creation a customer's KYB is approved (0: never).
CREATE TABLE sandbox_settings (
  account_id        text COLLATE "C" PRIMARY KEY REFERENCES account_modes (account_id) CHECK (account_id LIKE 'T%'),
  auto_approval_ms  integer NOT NULL CHECK (auto_approval_ms BETWEEN 0 AND 86400000)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON sandbox_transitions, sandbox_settings TO roster_app;
GRANT SELECT, INSERT ON sandbox_log TO roster_app;
ALTER TABLE sandbox_transitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sandbox_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE sandbox_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON sandbox_transitions TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON sandbox_log TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON sandbox_settings TO roster_app USING (account_id = current_setting('roster.account_id', true));
