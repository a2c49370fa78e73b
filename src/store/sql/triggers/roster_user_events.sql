-- Made by `npm run golden` from OUTBOXES in src/store/sql/event-triggers.ts: change it there.
--
-- The outbox's trigger for team users (functions/roster_event_rows.sql says what events a change makes): one
-- INSERT … SELECT per statement over its transition tables, however many rows it wrote, with
-- static SQL so its plan is made once per connection. Each object is built once (OFFSET 0
-- keeps the subquery from being folded into the function's several uses of it).
CREATE OR REPLACE FUNCTION roster_user_events() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO events (account_id, type, record_key, data)
    SELECT x.account_id, e.type, x.key, e.data
      FROM (SELECT r.account_id, 'user:' || r.id AS key, roster_user_event_object(r) AS now FROM added r OFFSET 0) x,
           roster_event_rows('user', '{}', NULL, x.now, false) e;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO events (account_id, type, record_key, data)
    SELECT x.account_id, e.type, x.key, e.data
      FROM (SELECT r.account_id, 'user:' || r.id AS key, roster_user_event_object(r) AS now FROM removed r OFFSET 0) x,
           roster_event_rows('user', '{}', NULL, x.now, true) e;
  ELSE
    INSERT INTO events (account_id, type, record_key, data)
    SELECT x.account_id, e.type, x.key, e.data
      FROM (SELECT r.account_id, 'user:' || r.id AS key, roster_user_event_object(o) AS was, roster_user_event_object(r) AS now, o.deleted_at IS NULL AND r.deleted_at IS NOT NULL AS deleted
              FROM removed o JOIN added r ON o.account_id = r.account_id AND o.id = r.id OFFSET 0) x,
           roster_event_rows('user', '{}', x.was, x.now, x.deleted) e;
  END IF;
  RETURN NULL;
END $$;

-- Events and deliveries are new rows and take no lock another writer waits on, so where these
-- fall among a statement's triggers does not matter to the lock order (roster_count_rows.sql).
CREATE OR REPLACE TRIGGER users_events_inserted AFTER INSERT ON users REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_user_events();
CREATE OR REPLACE TRIGGER users_events_updated AFTER UPDATE ON users REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_user_events();
CREATE OR REPLACE TRIGGER users_events_deleted AFTER DELETE ON users REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION roster_user_events();
