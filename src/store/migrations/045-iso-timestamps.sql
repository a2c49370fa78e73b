-- Timestamps as every API returns them: ISO 8601 in UTC with milliseconds (the precision every
-- write stores). Records are built as JSON in Postgres and passed through as text, so the
-- format is fixed here. Immutable because the pattern has no locale-dependent parts; a single
-- SELECT in SQL, so the planner inlines it.
CREATE OR REPLACE FUNCTION roster_iso(t timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
