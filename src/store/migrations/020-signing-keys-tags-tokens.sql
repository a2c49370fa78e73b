-- Keys that sign the access tokens Roster issues (JWTs of the client-credentials grant).
-- Generated on first use and kept in the database, so no key lives in the repository or in
-- configuration, and every process on one database signs and verifies with the same key.
CREATE TABLE signing_keys (
  kid         text COLLATE "C" PRIMARY KEY,
  purpose     text COLLATE "C" NOT NULL,
  algorithm   text NOT NULL,
  secret      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signing_keys_purpose_idx ON signing_keys (purpose, created_at DESC);

-- Who created tags and tokens, and a caller-chosen token id unique among a customer's live tokens.
ALTER TABLE tags ADD COLUMN created_by text;
ALTER TABLE customer_tokens ADD COLUMN token_id text COLLATE "C";
ALTER TABLE customer_tokens ADD COLUMN created_by text;
ALTER TABLE customer_tokens ADD COLUMN deleted_by text;
CREATE UNIQUE INDEX customer_tokens_token_id_key ON customer_tokens (account_id, customer_id, token_id) WHERE deleted_at IS NULL AND token_id IS NOT NULL;
