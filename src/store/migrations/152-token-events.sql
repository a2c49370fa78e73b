-- The outbox's trigger for customers' tokens (migration 148 says what events a change makes): one
-- INSERT … SELECT per statement over its transition tables, however many rows it wrote, with
-- static SQL so its plan is made once per connection. Each object is built once (OFFSET 0
-- keeps the subquery from being folded into the function's several uses of it).
CREATE FUNCTION roster_token_events() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO events (account_id, type, record_key, data)
    SELECT x.account_id, e.type, x.key, e.data
      FROM (SELECT r.account_id, 'token:' || r.id AS key, roster_token_event_object(r) AS now FROM added r OFFSET 0) x,
           roster_event_rows('token', '{}', NULL, x.now, false) e;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO events (account_id, type, record_key, data)
    SELECT x.account_id, e.type, x.key, e.data
      FROM (SELECT r.account_id, 'token:' || r.id AS key, roster_token_event_object(r) AS now FROM removed r OFFSET 0) x,
           roster_event_rows('token', '{}', NULL, x.now, true) e;
  ELSE
    INSERT INTO events (account_id, type, record_key, data)
    SELECT x.account_id, e.type, x.key, e.data
      FROM (SELECT r.account_id, 'token:' || r.id AS key, roster_token_event_object(o) AS was, roster_token_event_object(r) AS now, o.deleted_at IS NULL AND r.deleted_at IS NOT NULL AS deleted
              FROM removed o JOIN added r ON o.account_id = r.account_id AND o.id = r.id OFFSET 0) x,
           roster_event_rows('token', '{}', x.was, x.now, x.deleted) e;
  END IF;
  RETURN NULL;
END $$;
