-- Made by `npm run golden` from OUTBOXES in src/store/sql/event-triggers.ts: change it there.
--
-- The outbox's trigger for tags on customers (functions/roster_event_rows.sql says what events a change makes): one
-- INSERT … SELECT per statement over its transition tables, however many rows it wrote, with
-- static SQL so its plan is made once per connection. Each object is built once (OFFSET 0
-- keeps the subquery from being folded into the function's several uses of it).
CREATE OR REPLACE FUNCTION roster_customer_tag_events() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO events (account_id, type, record_key, data)
    SELECT x.account_id, e.type, x.key, e.data
      FROM (SELECT r.account_id, 'customer_tag:' || r.customer_id || '/' || r.tag_id AS key, roster_customer_tag_event_object(r) AS now FROM added r OFFSET 0) x,
           roster_event_rows('customer_tag', '{}', NULL, x.now, false) e;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO events (account_id, type, record_key, data)
    SELECT x.account_id, e.type, x.key, e.data
      FROM (SELECT r.account_id, 'customer_tag:' || r.customer_id || '/' || r.tag_id AS key, roster_customer_tag_event_object(r) AS now FROM removed r OFFSET 0) x,
           roster_event_rows('customer_tag', '{}', NULL, x.now, true) e;
  ELSE
    INSERT INTO events (account_id, type, record_key, data)
    SELECT x.account_id, e.type, x.key, e.data
      FROM (SELECT r.account_id, 'customer_tag:' || r.customer_id || '/' || r.tag_id AS key, roster_customer_tag_event_object(o) AS was, roster_customer_tag_event_object(r) AS now, false AS deleted
              FROM removed o JOIN added r ON o.account_id = r.account_id AND o.customer_id = r.customer_id AND o.tag_id = r.tag_id OFFSET 0) x,
           roster_event_rows('customer_tag', '{}', x.was, x.now, x.deleted) e;
  END IF;
  RETURN NULL;
END $$;

-- Events and deliveries are new rows and take no lock another writer waits on, so where these
-- fall among a statement's triggers does not matter to the lock order (roster_count_rows.sql).
CREATE OR REPLACE TRIGGER customer_tags_events_inserted AFTER INSERT ON customer_tags REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_customer_tag_events();
CREATE OR REPLACE TRIGGER customer_tags_events_deleted AFTER DELETE ON customer_tags REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION roster_customer_tag_events();
