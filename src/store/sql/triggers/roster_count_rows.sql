-- Exact counts kept on write (the counters of migration 070): one counting trigger function for
-- both counted tables, named by the trigger's arguments: the counters table and the function
-- that lists the counters a row adds to. Every statement nets its rows into one grouped upsert,
-- however many rows it wrote (a COPY of a million records touches each counter once): +1 for
-- each row it added, -1 for each it removed, so an update that changes no counted field writes
-- nothing. Rows that reach 0 are kept: a field that flips back and forth does not delete and
-- insert its counter each time.
--
-- Lock order: these triggers are named after the write-version triggers for the same event
-- (triggers/roster_bump_write_version.sql), and triggers fire in name order, so every statement
-- has locked its account's account_modes row before it touches a counter: writers of one
-- account take counter rows one transaction at a time, and cannot deadlock on them. The rows
-- are still upserted in key order, so the order never depends on the data.
--
-- SECURITY DEFINER: the application role reads counters but never writes them itself.
CREATE OR REPLACE FUNCTION roster_count_rows() RETURNS trigger
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

CREATE OR REPLACE TRIGGER customers_inserted_count AFTER INSERT ON customers REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION roster_count_rows('customer_counts', 'roster_customer_count_keys');
CREATE OR REPLACE TRIGGER customers_updated_count AFTER UPDATE ON customers REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION roster_count_rows('customer_counts', 'roster_customer_count_keys');
CREATE OR REPLACE TRIGGER customers_deleted_count AFTER DELETE ON customers REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION roster_count_rows('customer_counts', 'roster_customer_count_keys');
CREATE OR REPLACE TRIGGER users_inserted_count AFTER INSERT ON users REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION roster_count_rows('user_counts', 'roster_user_count_keys');
CREATE OR REPLACE TRIGGER users_updated_count AFTER UPDATE ON users REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION roster_count_rows('user_counts', 'roster_user_count_keys');
CREATE OR REPLACE TRIGGER users_deleted_count AFTER DELETE ON users REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION roster_count_rows('user_counts', 'roster_user_count_keys');
