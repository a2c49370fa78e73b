-- Samples about 10,000 rows of each searchable table (whole pages, so it reads little) and
-- counts the trigrams of their search text into search_samples and search_trigrams (migration
-- 090). Called after a bulk load and by a running server now and then; an advisory lock keeps
-- two servers from sampling at once.
CREATE OR REPLACE FUNCTION roster_sample_search() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  t text;
  total real;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('roster_sample_search')) THEN
    RETURN;
  END IF;
  FOREACH t IN ARRAY ARRAY['customers', 'users'] LOOP
    SELECT greatest(c.reltuples, 0) INTO total FROM pg_class c WHERE c.oid = t::regclass;
    DELETE FROM search_trigrams WHERE tbl = t;
    DELETE FROM search_samples WHERE tbl = t;
    EXECUTE format($q$
      WITH s AS MATERIALIZED (SELECT search_text FROM %I TABLESAMPLE SYSTEM ($1)),
           n AS (SELECT count(*)::integer AS n FROM s),
           kept AS (INSERT INTO search_samples (tbl, sampled, table_rows) SELECT $2, n, greatest($3, n) FROM n WHERE n > 0)
      INSERT INTO search_trigrams (tbl, trigram, share)
      SELECT $2, g.trigram, count(*)::real / (SELECT n FROM n)
        FROM s, LATERAL (SELECT DISTINCT x AS trigram FROM unnest(show_trgm(s.search_text)) x) g
       WHERE g.trigram ~ '^[a-z0-9]{3}$'
       GROUP BY g.trigram$q$, t)
      USING CASE WHEN total <= 10000 THEN 100 ELSE 100 * 10000 / total END, t, total;
  END LOOP;
END $$;
REVOKE ALL ON FUNCTION roster_sample_search() FROM PUBLIC;
