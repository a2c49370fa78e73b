-- A customer's token as an event carries it (src/store/tokens-repo.ts).
CREATE OR REPLACE FUNCTION roster_token_event_object(k customer_tokens) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object('id', k.id, 'token_id', coalesce(k.token_id, k.id::text), 'customer_id', k.customer_id,
    'type', k.type, 'value', k.value, 'metadata', k.metadata, 'created_at', roster_iso(k.created_at),
    'created_by', k.created_by, 'updated_at', roster_iso(k.updated_at), 'deleted_at', roster_iso(k.deleted_at),
    'deleted_by', k.deleted_by)
$$;
