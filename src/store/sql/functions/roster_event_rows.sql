-- The events one change of one record makes (the outbox, migration 140), for the per-table
-- trigger functions (sql/triggers/roster_*_events.sql): `was` and `now` are the record's event objects before
-- and after (`was` NULL for a new record; for a removed row, `now` is its last state and
-- `deleted` is true). An update writes '<prefix>.updated' (or '.deleted' when it soft-deletes)
-- and '<prefix>.<field>.updated' for each `watched` field it changed. An update that changes
-- nothing but updated_at (the same values written again, a hierarchy refresh that found
-- nothing to change) writes no event. One SQL statement, inlined into the caller's.
--
-- Each table has its own trigger function with the same shape rather than one generic function
-- building its SQL with EXECUTE: a statement built at run time is planned again on every call,
-- which measured about 5 ms more per single-row write; static SQL in PL/pgSQL is planned once
-- per connection.
CREATE OR REPLACE FUNCTION roster_event_rows(prefix text, watched text[], was json, now json, deleted boolean)
RETURNS TABLE (type text, data json)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT t.type, json_build_object('object', now, 'previous_attributes', p.prev)
    FROM (SELECT CASE WHEN was IS NOT NULL THEN roster_changed_attributes(was::jsonb, now::jsonb) END AS prev) p
   CROSS JOIN LATERAL (
     SELECT CASE WHEN deleted THEN prefix || '.deleted' WHEN was IS NULL THEN prefix || '.created' ELSE prefix || '.updated' END AS type
     UNION ALL
     SELECT prefix || '.' || f || '.updated' FROM unnest(watched) f WHERE was IS NOT NULL AND NOT deleted AND p.prev ? f) t
   WHERE was IS NULL OR p.prev - 'updated_at' <> '{}'::jsonb
$$;
