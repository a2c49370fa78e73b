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

-- Filled by roster_sample_search, read by roster_search_sample and roster_search_probe
-- (sql/functions/).
