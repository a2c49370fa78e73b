-- A delivery for every enabled webhook endpoint of the event's account that subscribes to its
-- type, written with the event: a delivery exists as soon as its event commits, so a sender
-- never sees a later change of a record before an earlier one (migration 140). An account
-- with no endpoint pays one index probe per statement.
CREATE OR REPLACE FUNCTION roster_fan_out_events() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO webhook_deliveries (account_id, endpoint_id, event_seq, record_key)
  SELECT e.account_id, w.id, e.seq, e.record_key
    FROM (SELECT DISTINCT account_id FROM added) a
    JOIN webhook_endpoints w ON w.account_id = a.account_id AND w.status = 'enabled'
    JOIN added e ON e.account_id = w.account_id AND (e.type = ANY (w.events) OR '*' = ANY (w.events));
  RETURN NULL;
END $$;

-- Events and deliveries are new rows and take no lock another writer waits on, so where these
-- fall among a statement's triggers does not matter to the lock order (roster_count_rows.sql).
CREATE OR REPLACE TRIGGER events_fan_out AFTER INSERT ON events REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_fan_out_events();
