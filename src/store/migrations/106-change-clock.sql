-- A clock per account for customers' updated_at: every change gets a time later than the
-- account's previous change, by at least a millisecond (the precision every surface renders).
-- Two changes in one millisecond no longer share a timestamp, so a sync that resumes after the
-- last updated_at it saw (Dintero's since_datetime) neither repeats nor skips one. The row is
-- the one every write of the account already locks (write version, numbers), so the clock
-- orders changes as they commit.
ALTER TABLE account_modes ADD COLUMN last_change_at timestamptz NOT NULL DEFAULT '-infinity';
