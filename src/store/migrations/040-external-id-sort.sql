-- The external_id sort key: the caller's id, falling back to Roster's id, with the id tiebreak.
CREATE INDEX customers_external_id_sort_idx ON customers (account_id, (coalesce(external_id, id)), id);
