-- A truncated table has nothing left to count, in any account.
CREATE OR REPLACE FUNCTION roster_forget_counts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_TABLE_NAME = 'customers' THEN DELETE FROM customer_counts; ELSE DELETE FROM user_counts; END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER customers_truncated_count AFTER TRUNCATE ON customers FOR EACH STATEMENT EXECUTE FUNCTION roster_forget_counts();
CREATE OR REPLACE TRIGGER users_truncated_count AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION roster_forget_counts();
