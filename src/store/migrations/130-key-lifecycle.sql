-- API keys get an expiry, a last-used time and an index to list an account's keys. last_used_at
-- is written at most once a minute per key per process (see KeyResolver), not per request.
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
CREATE INDEX api_keys_account_idx ON api_keys (account_id, created_at, id);
