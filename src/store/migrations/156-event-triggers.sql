-- The outbox's triggers (functions: migrations 149–155). Events and deliveries are new rows and
-- take no lock another writer waits on, so where they fall among a statement's triggers does
-- not matter to the lock order (migration 070).
CREATE TRIGGER customers_events_inserted AFTER INSERT ON customers REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_customer_events();
CREATE TRIGGER customers_events_updated AFTER UPDATE ON customers REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_customer_events();
CREATE TRIGGER customers_events_deleted AFTER DELETE ON customers REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION roster_customer_events();
CREATE TRIGGER users_events_inserted AFTER INSERT ON users REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_user_events();
CREATE TRIGGER users_events_updated AFTER UPDATE ON users REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_user_events();
CREATE TRIGGER users_events_deleted AFTER DELETE ON users REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION roster_user_events();
CREATE TRIGGER tags_events_inserted AFTER INSERT ON tags REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_tag_events();
CREATE TRIGGER tags_events_updated AFTER UPDATE ON tags REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_tag_events();
CREATE TRIGGER tags_events_deleted AFTER DELETE ON tags REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION roster_tag_events();
CREATE TRIGGER customer_tokens_events_inserted AFTER INSERT ON customer_tokens REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_token_events();
CREATE TRIGGER customer_tokens_events_updated AFTER UPDATE ON customer_tokens REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_token_events();
CREATE TRIGGER customer_tokens_events_deleted AFTER DELETE ON customer_tokens REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION roster_token_events();
CREATE TRIGGER product_accounts_events_inserted AFTER INSERT ON product_accounts REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_product_account_events();
CREATE TRIGGER product_accounts_events_updated AFTER UPDATE ON product_accounts REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_product_account_events();
CREATE TRIGGER product_accounts_events_deleted AFTER DELETE ON product_accounts REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION roster_product_account_events();
CREATE TRIGGER customer_tags_events_inserted AFTER INSERT ON customer_tags REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_customer_tag_events();
CREATE TRIGGER customer_tags_events_deleted AFTER DELETE ON customer_tags REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION roster_customer_tag_events();
CREATE TRIGGER events_fan_out AFTER INSERT ON events REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION roster_fan_out_events();
