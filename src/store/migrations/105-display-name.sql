-- One display name for every surface: the name, else the first and last name. A customer
-- written with only first_name and last_name (through /v1 or Dintero) was shown as "Zed Zulu"
-- by the dialects that composed it themselves, but sorted as "" and was not found by a search
-- for "Zed Zulu". The display name is derived here, once, and the name sort key follows it.
-- (A generated column cannot use another, so sort_name repeats the expression; both are
-- immutable, as generated columns must be: no concat_ws.) One ALTER: one rewrite of the table.
ALTER TABLE customers
  DROP COLUMN sort_name,
  ADD COLUMN display_name text GENERATED ALWAYS AS (
    coalesce(nullif(btrim(name), ''), nullif(btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), ''))) STORED,
  ADD COLUMN sort_name text COLLATE "C" GENERATED ALWAYS AS (lower(coalesce(
    nullif(btrim(name), ''), nullif(btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), ''), ''))) STORED;

CREATE INDEX customers_sort_name_idx ON customers (account_id, sort_name, id);

-- The owner and operator names a customer carries are their display names too.
UPDATE customers c SET parent_name = p.display_name FROM customers p
 WHERE p.account_id = c.account_id AND p.id = c.parent_id AND c.parent_name IS DISTINCT FROM p.display_name;
UPDATE customers c SET operator_name = o.display_name FROM customers o
 WHERE o.account_id = c.account_id AND o.id = c.operator_id AND c.operator_name IS DISTINCT FROM o.display_name;
