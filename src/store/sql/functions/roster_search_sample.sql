-- What the sample says of a term, given as `pattern` (a '%...%' pattern of letters, digits and
-- '_' for separators, as the compiler builds it):
--
-- `probe`, the pattern to ask the index with: the rarest trigram of the term's rarest part, then
-- that of the next rarest part, until the rows expected to hold them all are `few`. A part is a
-- word, or three digits of a number. One trigram per word, because the trigrams of a word come
-- together: the rows holding "mit" and "ith" are about those holding "smith", so multiplying
-- their shares would call a common name rare; the digits of a number do not. The trigrams go in
-- in the term's order, '%bro%370%', which every row holding the term also matches, so the result
-- is a superset that the caller narrows with the full term. A pattern the sample cannot vouch
-- for (no sample, other characters, parts too common together) is returned as it is.
--
-- `rare`, whether the sample expects no more than `few` rows to hold the probe's trigrams: the
-- term is rare, and its probe finds it at little cost.
--
-- `most`, the rows of the table its rarest word is expected in (a number's parts multiplied): no
-- more rows can hold the term, and for a one-word term the count is close. NULL without a sample.
CREATE OR REPLACE FUNCTION roster_search_sample(tbl text, pattern text, few real DEFAULT 200, OUT probe text, OUT rare boolean, OUT most real)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  body text;
  s record;
  r record;
  run text;
  at integer := 1;
  starts integer[] := '{}';
  parts text[] := '{}';
  words integer[] := '{}';
  expected real;
  taken integer[] := '{}';
  k integer;
  seen integer[] := '{}';
  rows_of real[] := '{}';
BEGIN
  probe := pattern;
  rare := false;
  IF pattern !~ '^%[a-z0-9_]+%$' THEN
    RETURN;
  END IF;
  SELECT * INTO s FROM search_samples x WHERE x.tbl = roster_search_sample.tbl;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  body := substr(pattern, 2, length(pattern) - 2);
  WHILE at <= length(body) LOOP
    run := substring(substr(body, at) FROM '^[a-z0-9]*');
    IF run = '' THEN
      at := at + 1;
      CONTINUE;
    END IF;
    IF run ~ '^[0-9]+$' THEN
      FOR k IN 0 .. length(run) / 3 - 1 LOOP
        starts := starts || (at + 3 * k);
        parts := parts || substr(run, 1 + 3 * k, 3);
        words := words || at;
      END LOOP;
    ELSE
      starts := starts || at;
      parts := parts || run;
      words := words || at;
    END IF;
    at := at + length(run);
  END LOOP;
  expected := s.table_rows;
  -- Of each part its rarest trigram, rarest parts first. A lookup per trigram: joined instead,
  -- the planner cannot see how few trigrams a term has and reads the whole table into a hash.
  FOR r IN
    SELECT * FROM (
      SELECT DISTINCT ON (p.n) p.at + i - 1 AS pos, p.word,
             coalesce((SELECT g.share FROM search_trigrams g WHERE g.tbl = roster_search_sample.tbl AND g.trigram = substr(p.part, i, 3)), 0.5 / s.sampled) AS share
        FROM unnest(starts, parts, words) WITH ORDINALITY AS p (at, part, word, n)
        CROSS JOIN LATERAL generate_series(1, length(p.part) - 2) i
       ORDER BY p.n, 3, 1) rarest
     ORDER BY share, pos
  LOOP
    k := array_position(seen, r.word);
    IF k IS NULL THEN
      seen := seen || r.word;
      rows_of := rows_of || (s.table_rows * r.share);
    ELSE
      rows_of[k] := rows_of[k] * r.share;
    END IF;
    IF expected > few THEN
      taken := taken || r.pos;
      expected := expected * r.share;
    END IF;
  END LOOP;
  most := (SELECT min(x) FROM unnest(rows_of) x);
  IF cardinality(taken) > 0 AND expected <= few THEN
    rare := true;
    probe := '%' || (SELECT string_agg(substr(body, p, 3), '%' ORDER BY p) FROM unnest(taken) p) || '%';
  END IF;
END $$;
REVOKE ALL ON FUNCTION roster_search_sample(text, text, real) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION roster_search_sample(text, text, real) TO roster_app;
