-- Live customers by number: pages ordered by number (newest or oldest first) skip deleted
-- rows inside the index, and an exact count of an account's live customers is an index-only
-- scan instead of a pass over the whole table.
CREATE INDEX customers_live_number_idx ON customers (account_id, number) WHERE deleted_at IS NULL;
