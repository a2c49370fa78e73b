-- Timestamps as every API returns them: ISO 8601 in UTC with milliseconds (the precision every
-- write stores). Records are built as JSON in Postgres and passed through as text, so the
-- format is fixed here. Declared STABLE since migration 097, as to_char is: the planner inlines
-- a SQL function only when its body is no more volatile than its declaration.
CREATE OR REPLACE FUNCTION roster_iso(t timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
