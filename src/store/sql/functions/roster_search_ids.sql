-- Search candidates under row-level security, at most `lim` of them (all of them when lim is
-- NULL).
--
-- LIKE is not a leakproof operator, so on a table with a policy the planner will not run it
-- inside the trigram index ahead of the policy check: every search became a scan of the whole
-- table. This finds the matching ids through the index as the table owner, bounded to the
-- account of the current transaction (the setting the policy itself reads; there is no
-- parameter for it), so it reveals nothing the policy would hide. EXECUTE plans each call with
-- the actual pattern, so a short or common term never inherits a generic plan.
--
-- A list asks for one more candidate than it is willing to sort: when that many exist the term
-- is common, and walking the sort order with the match as a filter fills a page sooner than
-- gathering every match would. The lookup stops at the bound, so a common term costs the bound,
-- not the number of its matches.
CREATE OR REPLACE FUNCTION roster_search_ids(tbl text, pattern text, lim bigint DEFAULT NULL) RETURNS SETOF text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF tbl NOT IN ('customers', 'users') THEN
    RAISE EXCEPTION 'roster_search_ids: unknown table %', tbl;
  END IF;
  RETURN QUERY EXECUTE format('SELECT id::text FROM %I WHERE account_id = $1 AND search_text LIKE $2 LIMIT $3', tbl)
    USING current_setting('roster.account_id'), pattern, lim;
END $$;
REVOKE ALL ON FUNCTION roster_search_ids(text, text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION roster_search_ids(text, text, bigint) TO roster_app;
