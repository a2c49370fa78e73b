-- Search asks the trigram index with the term's rarest trigrams only. The index intersects
-- every trigram of a LIKE pattern, and reading the posting list of a common one ("ell", "000")
-- costs far more than the few rows a selective term matches: at 1M customers '%370001%' takes
-- 6 ms, '%bro%370%' 1 ms. The posting lists span every account, so how common a trigram is
-- is measured over the whole table, from a sample.

CREATE TABLE search_samples (
  tbl       text PRIMARY KEY,
  sampled   integer NOT NULL,   -- rows in the sample
  table_rows real NOT NULL,     -- rows in the table when it was sampled
  taken_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE search_trigrams (
  tbl     text NOT NULL,
  trigram text COLLATE "C" NOT NULL,
  share   real NOT NULL,        -- of the sampled rows, the share whose search text holds it
  PRIMARY KEY (tbl, trigram)
);

-- Samples about 10,000 rows of each searchable table (whole pages, so it reads little) and
-- counts the trigrams of their search text. Called after a bulk load and by a running server
-- now and then; an advisory lock keeps two servers from sampling at once.
CREATE FUNCTION roster_sample_search() RETURNS void
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

-- The pattern the index is asked with for `pattern` (a '%...%' pattern of letters, digits and
-- '_' for separators, as the compiler builds it): the rarest trigram, then the next rarest that
-- does not overlap those taken, until the rows expected to hold them all are `few`. They go in in
-- the term's order, '%bro%370%', which every row holding the term also matches, so the result
-- is a superset that the caller narrows with the full term. A pattern the sample cannot vouch
-- for (no sample, other characters, trigrams too common together) is returned as it is.
CREATE FUNCTION roster_search_probe(tbl text, pattern text, few real DEFAULT 200) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  body text;
  s record;
  r record;
  expected real;
  taken integer[] := '{}';
BEGIN
  IF pattern !~ '^%[a-z0-9_]+%$' THEN
    RETURN pattern;
  END IF;
  SELECT * INTO s FROM search_samples x WHERE x.tbl = roster_search_probe.tbl;
  IF NOT FOUND THEN
    RETURN pattern;
  END IF;
  body := substr(pattern, 2, length(pattern) - 2);
  expected := s.table_rows;
  FOR r IN
    SELECT i, coalesce(g.share, 0.5 / s.sampled) AS share
      FROM generate_series(1, length(body) - 2) i
      LEFT JOIN search_trigrams g ON g.tbl = roster_search_probe.tbl AND g.trigram = substr(body, i, 3)
     WHERE substr(body, i, 3) ~ '^[a-z0-9]{3}$'
     ORDER BY 2, 1
  LOOP
    CONTINUE WHEN EXISTS (SELECT FROM unnest(taken) p WHERE abs(p - r.i) < 3);
    taken := taken || r.i;
    expected := expected * r.share;
    EXIT WHEN expected <= few OR cardinality(taken) = 4;
  END LOOP;
  IF cardinality(taken) = 0 OR expected > few THEN
    RETURN pattern;
  END IF;
  RETURN '%' || (SELECT string_agg(substr(body, p, 3), '%' ORDER BY p) FROM unnest(taken) p) || '%';
END $$;
REVOKE ALL ON FUNCTION roster_search_probe(text, text, real) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION roster_search_probe(text, text, real) TO roster_app;

CREATE OR REPLACE FUNCTION roster_search_ids(tbl text, pattern text, lim bigint DEFAULT NULL) RETURNS SETOF text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF tbl NOT IN ('customers', 'users') THEN
    RAISE EXCEPTION 'roster_search_ids: unknown table %', tbl;
  END IF;
  RETURN QUERY EXECUTE format('SELECT id::text FROM %I WHERE account_id = $1 AND search_text LIKE $2 LIMIT $3', tbl)
    USING current_setting('roster.account_id'), roster_search_probe(tbl, pattern), lim;
END $$;
