-- Counters for pairs of counted fields too. A count with two equality filters ("active
-- businesses") was made row by row: 460 ms at 1M customers right after a write, since the
-- account's rows must all be read to test their soft-delete and both fields. A record now also
-- adds to one counter per pair of its counted fields that have values (customers: 1 + 7 + 21
-- counters a record; users have one counted field, so no pairs): see
-- sql/functions/roster_customer_count_keys.sql. Every account is counted again with them.
\ir ../sql/functions/roster_customer_count_keys.sql
\ir ../sql/functions/roster_recount.sql
SELECT roster_recount(account_id) FROM account_modes ORDER BY account_id;
