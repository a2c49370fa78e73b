-- The longest value each stored string may hold: the backstop behind the API schemas, which
-- document and enforce the same limits (src/store/client-faults.ts maps a violation, SQLSTATE 23514,
-- to a 400 naming the field). The limits keep every indexed value well inside a b-tree entry
-- (2,704 bytes): a 512-character name is at most 2,048 bytes of UTF-8, a token's 500-character
-- value and 100-character type 2,400 together. Added NOT VALID, which takes the table's lock only
-- for a moment and checks every new write at once; migration 121 then checks the existing rows.
ALTER TABLE customers ADD CONSTRAINT customers_external_id_length CHECK (char_length(external_id) <= 255) NOT VALID;
ALTER TABLE customers ADD CONSTRAINT customers_name_length CHECK (char_length(name) <= 512) NOT VALID;
ALTER TABLE customers ADD CONSTRAINT customers_first_name_length CHECK (char_length(first_name) <= 255) NOT VALID;
ALTER TABLE customers ADD CONSTRAINT customers_last_name_length CHECK (char_length(last_name) <= 255) NOT VALID;
ALTER TABLE customers ADD CONSTRAINT customers_email_length CHECK (char_length(email) <= 320) NOT VALID;
ALTER TABLE customers ADD CONSTRAINT customers_phone_number_length CHECK (char_length(phone_number) <= 32) NOT VALID;
ALTER TABLE customers ADD CONSTRAINT customers_country_length CHECK (char_length(country) <= 2) NOT VALID;
ALTER TABLE customers ADD CONSTRAINT customers_gender_length CHECK (char_length(gender) <= 64) NOT VALID;
ALTER TABLE customers ADD CONSTRAINT customers_status_length CHECK (char_length(status) <= 255) NOT VALID;
ALTER TABLE customers ADD CONSTRAINT customers_favorite_store_length CHECK (char_length(favorite_store) <= 255) NOT VALID;
ALTER TABLE users ADD CONSTRAINT users_first_name_length CHECK (char_length(first_name) <= 255) NOT VALID;
ALTER TABLE users ADD CONSTRAINT users_last_name_length CHECK (char_length(last_name) <= 255) NOT VALID;
ALTER TABLE users ADD CONSTRAINT users_email_length CHECK (char_length(email) <= 320) NOT VALID;
ALTER TABLE customer_tokens ADD CONSTRAINT customer_tokens_type_length CHECK (char_length(type) <= 100) NOT VALID;
ALTER TABLE customer_tokens ADD CONSTRAINT customer_tokens_value_length CHECK (char_length(value) <= 500) NOT VALID;
ALTER TABLE customer_tokens ADD CONSTRAINT customer_tokens_token_id_length CHECK (char_length(token_id) <= 255) NOT VALID;
ALTER TABLE tags ADD CONSTRAINT tags_tag_length CHECK (char_length(tag) <= 255) NOT VALID;
ALTER TABLE product_accounts ADD CONSTRAINT product_accounts_product_length CHECK (char_length(product) <= 40) NOT VALID;
ALTER TABLE product_accounts ADD CONSTRAINT product_accounts_kyc_status_length CHECK (char_length(kyc_status) <= 40) NOT VALID;
ALTER TABLE idempotency_records ADD CONSTRAINT idempotency_records_key_length CHECK (char_length(key) <= 255) NOT VALID;
