-- The customers of the current account whose `col` (metadata or attributes) contains any of
-- `vals`, at most `lim` of them (all of them when lim is NULL).
--
-- `@>` on jsonb is not a leakproof operator, so on a table with a policy the planner will not
-- test it inside the GIN index ahead of the policy check: a key filter became a test of every
-- record of the account. This finds the matching ids through the index as the table owner,
-- bounded to the account of the current transaction (the setting the policy itself reads; there
-- is no parameter for it), so it reveals nothing the policy would hide. EXECUTE plans each call
-- with the actual value. An id may come back once per value it holds; callers ask `id IN`.
CREATE OR REPLACE FUNCTION roster_json_ids(col text, vals jsonb[], lim bigint DEFAULT NULL) RETURNS SETOF text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  v jsonb;
  left_over bigint := lim;
  found bigint;
BEGIN
  IF col NOT IN ('metadata', 'attributes') THEN
    RAISE EXCEPTION 'roster_json_ids: unknown column %', col;
  END IF;
  FOREACH v IN ARRAY vals LOOP
    RETURN QUERY EXECUTE format('SELECT id::text FROM customers WHERE account_id = $1 AND %I @> $2 LIMIT $3', col)
      USING current_setting('roster.account_id'), v, left_over;
    GET DIAGNOSTICS found = ROW_COUNT;
    left_over := left_over - found;
    EXIT WHEN left_over <= 0;
  END LOOP;
END $$;
REVOKE ALL ON FUNCTION roster_json_ids(text, jsonb[], bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION roster_json_ids(text, jsonb[], bigint) TO roster_app;
