-- Sorting by party type (Dakota's customer_type) orders by (party_type, id): index exactly that.
DROP INDEX customers_party_type_idx;
CREATE INDEX customers_party_type_idx ON customers (account_id, party_type, id);
