-- The pattern roster_search_sample picks for a term, alone: what a count's candidate lookup asks
-- the trigram index with.
\ir roster_search_sample.sql
CREATE OR REPLACE FUNCTION roster_search_probe(tbl text, pattern text, few real DEFAULT 200) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT probe FROM roster_search_sample(tbl, pattern, few) $$;
GRANT EXECUTE ON FUNCTION roster_search_probe(text, text, real) TO roster_app;
