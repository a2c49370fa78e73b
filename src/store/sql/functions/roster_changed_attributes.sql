-- The attributes of `old` that differ in `new`, with their old values (an event's
-- previous_attributes).
CREATE OR REPLACE FUNCTION roster_changed_attributes(old jsonb, new jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(o.key, o.value), '{}'::jsonb) FROM jsonb_each(old) o WHERE new -> o.key IS DISTINCT FROM o.value
$$;
