-- Sort keys and filters as plain columns. Under row-level security the planner keeps a
-- condition that calls a function not marked leakproof (lower, coalesce over a cast) out of
-- index conditions, so it runs as a filter after the policy: an email filter read the whole
-- account, and a keyset page sorted by owner or operator name walked from the first record.
-- Comparisons of plain columns are leakproof, so these generated columns serve both.
ALTER TABLE customers
  ADD COLUMN email_key text COLLATE "C" GENERATED ALWAYS AS (lower(email)) STORED,
  ADD COLUMN parent_sort text COLLATE "C" GENERATED ALWAYS AS (lower(coalesce(parent_name, ''))) STORED,
  ADD COLUMN operator_sort text COLLATE "C" GENERATED ALWAYS AS (lower(coalesce(operator_name, ''))) STORED,
  ADD COLUMN application_sort text COLLATE "C" GENERATED ALWAYS AS (coalesce(application ->> 'status', '')) STORED,
  ADD COLUMN external_sort text COLLATE "C" GENERATED ALWAYS AS (coalesce(external_id, id)) STORED;

DROP INDEX customers_email_idx;
DROP INDEX customers_parent_name_idx;
DROP INDEX customers_operator_name_idx;
DROP INDEX customers_application_status_idx;
DROP INDEX customers_external_id_sort_idx;
CREATE INDEX customers_email_idx ON customers (account_id, email_key);
CREATE INDEX customers_parent_name_idx ON customers (account_id, parent_sort, id);
CREATE INDEX customers_operator_name_idx ON customers (account_id, operator_sort, id);
CREATE INDEX customers_application_status_idx ON customers (account_id, application_sort, id);
CREATE INDEX customers_external_id_sort_idx ON customers (account_id, external_sort, id);
