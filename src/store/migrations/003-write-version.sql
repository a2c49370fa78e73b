-- A per-account write version, bumped by every statement that writes an account's records.
-- Exact counts are cached under it: a cached count is reused only while the version it was
-- computed at is still current, so it is never stale. The triggers that bump it:
-- sql/triggers/roster_bump_write_version.sql.
ALTER TABLE account_modes ADD COLUMN write_version bigint NOT NULL DEFAULT 0;
