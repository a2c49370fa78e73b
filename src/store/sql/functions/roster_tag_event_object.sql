-- A tag as an event carries it (src/store/tags-repo.ts).
CREATE OR REPLACE FUNCTION roster_tag_event_object(t tags) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object('id', t.id, 'tag', t.tag, 'metadata', t.metadata, 'created_at', roster_iso(t.created_at),
    'created_by', t.created_by, 'updated_at', roster_iso(t.updated_at), 'deleted_at', roster_iso(t.deleted_at))
$$;
