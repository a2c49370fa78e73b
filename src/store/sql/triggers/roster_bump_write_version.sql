-- A per-account write version, bumped by every statement that writes an account's records
-- (account_modes.write_version, migration 003). Exact counts are cached under it: a cached count
-- is reused only while the version it was computed at is still current, so it is never stale.
--
-- These triggers fire before the counting triggers of the same event (their names sort first;
-- see triggers/roster_count_rows.sql), so a statement locks its account's row here first.
CREATE OR REPLACE FUNCTION roster_bump_write_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE account_modes SET write_version = write_version + 1
   WHERE account_id IN (SELECT DISTINCT account_id FROM changed);
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER customers_inserted AFTER INSERT ON customers REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
CREATE OR REPLACE TRIGGER customers_updated AFTER UPDATE ON customers REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
CREATE OR REPLACE TRIGGER customers_deleted AFTER DELETE ON customers REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
CREATE OR REPLACE TRIGGER product_accounts_inserted AFTER INSERT ON product_accounts REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
CREATE OR REPLACE TRIGGER product_accounts_updated AFTER UPDATE ON product_accounts REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
CREATE OR REPLACE TRIGGER product_accounts_deleted AFTER DELETE ON product_accounts REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
CREATE OR REPLACE TRIGGER customer_tags_inserted AFTER INSERT ON customer_tags REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
CREATE OR REPLACE TRIGGER customer_tags_deleted AFTER DELETE ON customer_tags REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
CREATE OR REPLACE TRIGGER customer_tokens_inserted AFTER INSERT ON customer_tokens REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
CREATE OR REPLACE TRIGGER customer_tokens_updated AFTER UPDATE ON customer_tokens REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
CREATE OR REPLACE TRIGGER customer_tokens_deleted AFTER DELETE ON customer_tokens REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
CREATE OR REPLACE TRIGGER users_inserted AFTER INSERT ON users REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
CREATE OR REPLACE TRIGGER users_updated AFTER UPDATE ON users REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
CREATE OR REPLACE TRIGGER users_deleted AFTER DELETE ON users REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_bump_write_version();
