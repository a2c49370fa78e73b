-- Exact counts kept on write. An exact count(*) reads every matching index entry: 76 ms at 1M
-- customers, 1.5 s at 10M, and the versioned count cache only helps until the next write. These
-- tables hold, per account, how many live and how many deleted records there are in all
-- (dim '') and per value of each field the list APIs filter on by equality; a count of the
-- whole account, or of one such filter, is then a sum of a few rows read in the list
-- statement's own snapshot, so it is exact.
--
-- Counted: the fields the dialects filter on by equality that have few values per account
-- (type, country, status, the KYB, KYC and application statuses, the sub-client flag; a user's
-- role). party_type is derived from type and no dialect filters on it. parent_id and
-- operator_id are left out: they have up to one value per customer, a count of one parent's
-- children is already a short range of its own index, and a move of a subtree rewrites
-- operator_id on every record below it.
CREATE TABLE customer_counts (
  account_id  text COLLATE "C" NOT NULL,
  dim         text COLLATE "C" NOT NULL,
  value       text COLLATE "C" NOT NULL,
  live        boolean NOT NULL,
  n           bigint NOT NULL,
  PRIMARY KEY (account_id, dim, value, live)
);

CREATE TABLE user_counts (
  account_id  text COLLATE "C" NOT NULL,
  dim         text COLLATE "C" NOT NULL,
  value       text COLLATE "C" NOT NULL,
  live        boolean NOT NULL,
  n           bigint NOT NULL,
  PRIMARY KEY (account_id, dim, value, live)
);

-- The counters a record adds to: the whole account, and each counted field that has a value
-- (an equality filter never matches NULL). The compiler's list of counted fields
-- (resources.ts) must name the same ones. Booleans are kept as their text form, which is what
-- the compiler compares against after casting a filter value to boolean.
CREATE FUNCTION roster_customer_count_keys(c customers) RETURNS TABLE (dim text, value text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT k.dim, k.value
    FROM (VALUES ('', ''), ('type', c.type), ('country', c.country), ('status', c.status),
                 ('kyb_status', c.kyb_status), ('kyc_status', c.kyc_status),
                 ('application_status', c.application_status), ('is_sub_client', c.is_sub_client::text)) AS k (dim, value)
   WHERE k.value IS NOT NULL
$$;

CREATE FUNCTION roster_user_count_keys(u users) RETURNS TABLE (dim text, value text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT k.dim, k.value FROM (VALUES ('', ''), ('role', u.role)) AS k (dim, value) WHERE k.value IS NOT NULL
$$;

-- One grouped upsert per statement, however many rows it wrote: a COPY of a million records
-- touches each counter once. An update that changes no counted field nets out to nothing and
-- writes nothing. Rows that reach 0 are kept: a field that flips back and forth does not
-- delete and insert its counter each time.
--
-- Lock order: these triggers are named after the write-version triggers (migration 003) for
-- the same event, and triggers fire in name order, so every statement has locked its
-- account's account_modes row before it touches a counter: writers of one account take
-- counter rows one transaction at a time, and cannot deadlock on them. The rows are still
-- upserted in key order, so the order never depends on the data.
--
-- SECURITY DEFINER: the application role reads counters but never writes them itself.
CREATE FUNCTION roster_count_customers() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO customer_counts AS t (account_id, dim, value, live, n)
    SELECT r.account_id, k.dim, k.value, r.deleted_at IS NULL, count(*)
      FROM added r, roster_customer_count_keys(r) k
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (account_id, dim, value, live) DO UPDATE SET n = t.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO customer_counts AS t (account_id, dim, value, live, n)
    SELECT r.account_id, k.dim, k.value, r.deleted_at IS NULL, -count(*)
      FROM removed r, roster_customer_count_keys(r) k
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (account_id, dim, value, live) DO UPDATE SET n = t.n + excluded.n;
  ELSE
    INSERT INTO customer_counts AS t (account_id, dim, value, live, n)
    SELECT account_id, dim, value, live, sum(d)
      FROM (SELECT r.account_id, k.dim, k.value, r.deleted_at IS NULL AS live, 1 AS d FROM added r, roster_customer_count_keys(r) k
            UNION ALL
            SELECT r.account_id, k.dim, k.value, r.deleted_at IS NULL, -1 FROM removed r, roster_customer_count_keys(r) k) x
     GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (account_id, dim, value, live) DO UPDATE SET n = t.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION roster_count_users() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO user_counts AS t (account_id, dim, value, live, n)
    SELECT r.account_id, k.dim, k.value, r.deleted_at IS NULL, count(*)
      FROM added r, roster_user_count_keys(r) k
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (account_id, dim, value, live) DO UPDATE SET n = t.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO user_counts AS t (account_id, dim, value, live, n)
    SELECT r.account_id, k.dim, k.value, r.deleted_at IS NULL, -count(*)
      FROM removed r, roster_user_count_keys(r) k
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (account_id, dim, value, live) DO UPDATE SET n = t.n + excluded.n;
  ELSE
    INSERT INTO user_counts AS t (account_id, dim, value, live, n)
    SELECT account_id, dim, value, live, sum(d)
      FROM (SELECT r.account_id, k.dim, k.value, r.deleted_at IS NULL AS live, 1 AS d FROM added r, roster_user_count_keys(r) k
            UNION ALL
            SELECT r.account_id, k.dim, k.value, r.deleted_at IS NULL, -1 FROM removed r, roster_user_count_keys(r) k) x
     GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (account_id, dim, value, live) DO UPDATE SET n = t.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;

-- A truncated table has nothing left to count, in any account.
CREATE FUNCTION roster_forget_counts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_TABLE_NAME = 'customers' THEN DELETE FROM customer_counts; ELSE DELETE FROM user_counts; END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER customers_inserted_count AFTER INSERT ON customers REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_count_customers();
CREATE TRIGGER customers_updated_count AFTER UPDATE ON customers REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_count_customers();
CREATE TRIGGER customers_deleted_count AFTER DELETE ON customers REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION roster_count_customers();
CREATE TRIGGER customers_truncated_count AFTER TRUNCATE ON customers FOR EACH STATEMENT EXECUTE FUNCTION roster_forget_counts();
CREATE TRIGGER users_inserted_count AFTER INSERT ON users REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_count_users();
CREATE TRIGGER users_updated_count AFTER UPDATE ON users REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_count_users();
CREATE TRIGGER users_deleted_count AFTER DELETE ON users REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION roster_count_users();
CREATE TRIGGER users_truncated_count AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION roster_forget_counts();

-- Counts an account's records again from its tables, in one grouped pass each: after a load
-- that skipped the triggers (as a replica), and to fill the counters for existing records.
-- It locks the account's account_modes row first, as every write does before its counters (and
-- moves the write version on, as the skipped triggers would have): writes already committed
-- are counted, and a write still waiting for the row adds itself to the new counts after.
CREATE FUNCTION roster_recount(account text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE account_modes SET write_version = write_version + 1 WHERE account_id = account;
  DELETE FROM customer_counts WHERE account_id = account;
  INSERT INTO customer_counts (account_id, dim, value, live, n)
  SELECT c.account_id, k.dim, k.value, c.deleted_at IS NULL, count(*)
    FROM customers c, roster_customer_count_keys(c) k
   WHERE c.account_id = account
   GROUP BY 1, 2, 3, 4;
  DELETE FROM user_counts WHERE account_id = account;
  INSERT INTO user_counts (account_id, dim, value, live, n)
  SELECT u.account_id, k.dim, k.value, u.deleted_at IS NULL, count(*)
    FROM users u, roster_user_count_keys(u) k
   WHERE u.account_id = account
   GROUP BY 1, 2, 3, 4;
END $$;
REVOKE ALL ON FUNCTION roster_recount(text) FROM PUBLIC;

SELECT roster_recount(account_id) FROM account_modes ORDER BY account_id;

GRANT SELECT ON customer_counts, user_counts TO roster_app;
ALTER TABLE customer_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON customer_counts TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON user_counts TO roster_app USING (account_id = current_setting('roster.account_id', true));
