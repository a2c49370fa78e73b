-- Counts an account's records again from its tables into the counters (customer_counts and
-- user_counts, migration 070), in one grouped pass each: after a load that skipped the
-- triggers (as a replica), to fill the counters for existing records, and after the counted
-- fields change (as migration 096 does). `roster check --repair` runs it too.
--
-- It locks the account's account_modes row first, as every write does before its counters (and
-- moves the write version on, as the skipped triggers would have): writes already committed
-- are counted, and a write still waiting for the row adds itself to the new counts after.
-- The pairs of tables and key functions are those the counting triggers name
-- (triggers/roster_count_rows.sql).
CREATE OR REPLACE FUNCTION roster_recount(account text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  t record;
BEGIN
  UPDATE account_modes SET write_version = write_version + 1 WHERE account_id = account;
  FOR t IN SELECT * FROM (VALUES ('customers', 'customer_counts', 'roster_customer_count_keys'),
                                 ('users', 'user_counts', 'roster_user_count_keys')) AS v (records, counts, keys) LOOP
    EXECUTE format('DELETE FROM %I WHERE account_id = $1', t.counts) USING account;
    EXECUTE format(
      'INSERT INTO %I (account_id, dim, value, live, n)
       SELECT r.account_id, k.dim, k.value, r.deleted_at IS NULL, count(*) FROM %I r, %I(r) k
        WHERE r.account_id = $1 GROUP BY 1, 2, 3, 4',
      t.counts, t.records, t.keys) USING account;
  END LOOP;
END $$;
REVOKE ALL ON FUNCTION roster_recount(text) FROM PUBLIC;
