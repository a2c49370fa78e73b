-- One counting trigger function for both counted tables, in place of a copy per table (migration
-- 070): the trigger names the counters table and the keys function. Every statement nets its
-- rows into one grouped upsert: +1 for each row it added, -1 for each it removed, so an update
-- that changes no counted field writes nothing. The triggers keep their names, and with them
-- their place after the write-version triggers (see 070 on lock order).
CREATE FUNCTION roster_count_rows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  sides text[] := '{}';
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    sides := sides || format('SELECT r.account_id, k.dim, k.value, r.deleted_at IS NULL AS live, 1 AS d FROM added r, %I(r) k', TG_ARGV[1]);
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    sides := sides || format('SELECT r.account_id, k.dim, k.value, r.deleted_at IS NULL AS live, -1 AS d FROM removed r, %I(r) k', TG_ARGV[1]);
  END IF;
  EXECUTE format(
    'INSERT INTO %I AS t (account_id, dim, value, live, n)
     SELECT account_id, dim, value, live, sum(d) FROM (%s) x
      GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
     ON CONFLICT (account_id, dim, value, live) DO UPDATE SET n = t.n + excluded.n',
    TG_ARGV[0], array_to_string(sides, ' UNION ALL '));
  RETURN NULL;
END $$;

DROP TRIGGER customers_inserted_count ON customers;
DROP TRIGGER customers_updated_count ON customers;
DROP TRIGGER customers_deleted_count ON customers;
DROP TRIGGER users_inserted_count ON users;
DROP TRIGGER users_updated_count ON users;
DROP TRIGGER users_deleted_count ON users;
CREATE TRIGGER customers_inserted_count AFTER INSERT ON customers REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION roster_count_rows('customer_counts', 'roster_customer_count_keys');
CREATE TRIGGER customers_updated_count AFTER UPDATE ON customers REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION roster_count_rows('customer_counts', 'roster_customer_count_keys');
CREATE TRIGGER customers_deleted_count AFTER DELETE ON customers REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION roster_count_rows('customer_counts', 'roster_customer_count_keys');
CREATE TRIGGER users_inserted_count AFTER INSERT ON users REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION roster_count_rows('user_counts', 'roster_user_count_keys');
CREATE TRIGGER users_updated_count AFTER UPDATE ON users REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION roster_count_rows('user_counts', 'roster_user_count_keys');
CREATE TRIGGER users_deleted_count AFTER DELETE ON users REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION roster_count_rows('user_counts', 'roster_user_count_keys');
DROP FUNCTION roster_count_customers();
DROP FUNCTION roster_count_users();

-- The same pairs for counting an account again.
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
