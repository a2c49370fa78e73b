-- A team user as an event carries it: the native API's record.
CREATE OR REPLACE FUNCTION roster_user_event_object(u users) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object('id', u.id, 'first_name', u.first_name, 'last_name', u.last_name, 'email', u.email,
    'role', u.role, 'swift_enabled', u.swift_enabled, 'created_at', roster_iso(u.created_at),
    'updated_at', roster_iso(u.updated_at), 'deleted_at', roster_iso(u.deleted_at))
$$;
