-- Checks the rows written before migration 120 against its limits, without blocking writes
-- (VALIDATE takes only a SHARE UPDATE EXCLUSIVE lock). A store holding an older over-long value
-- keeps that constraint NOT VALID, still enforced on every write, rather than refusing to start;
-- `SELECT conname FROM pg_constraint WHERE NOT convalidated` lists what to clean up.
DO $$ BEGIN ALTER TABLE customers VALIDATE CONSTRAINT customers_external_id_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'customers_external_id_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE customers VALIDATE CONSTRAINT customers_name_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'customers_name_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE customers VALIDATE CONSTRAINT customers_first_name_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'customers_first_name_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE customers VALIDATE CONSTRAINT customers_last_name_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'customers_last_name_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE customers VALIDATE CONSTRAINT customers_email_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'customers_email_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE customers VALIDATE CONSTRAINT customers_phone_number_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'customers_phone_number_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE customers VALIDATE CONSTRAINT customers_country_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'customers_country_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE customers VALIDATE CONSTRAINT customers_gender_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'customers_gender_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE customers VALIDATE CONSTRAINT customers_status_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'customers_status_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE customers VALIDATE CONSTRAINT customers_favorite_store_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'customers_favorite_store_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE users VALIDATE CONSTRAINT users_first_name_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'users_first_name_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE users VALIDATE CONSTRAINT users_last_name_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'users_last_name_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE users VALIDATE CONSTRAINT users_email_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'users_email_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE customer_tokens VALIDATE CONSTRAINT customer_tokens_type_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'customer_tokens_type_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE customer_tokens VALIDATE CONSTRAINT customer_tokens_value_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'customer_tokens_value_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE customer_tokens VALIDATE CONSTRAINT customer_tokens_token_id_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'customer_tokens_token_id_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE tags VALIDATE CONSTRAINT tags_tag_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'tags_tag_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE product_accounts VALIDATE CONSTRAINT product_accounts_product_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'product_accounts_product_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE product_accounts VALIDATE CONSTRAINT product_accounts_kyc_status_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'product_accounts_kyc_status_length left NOT VALID: an existing row is longer'; END $$;
DO $$ BEGIN ALTER TABLE idempotency_records VALIDATE CONSTRAINT idempotency_records_key_length; EXCEPTION WHEN check_violation THEN RAISE NOTICE 'idempotency_records_key_length left NOT VALID: an existing row is longer'; END $$;
