-- Roster's canonical store. Runs unchanged on PGlite and PostgreSQL 15+.
-- Every tenant table starts its primary key and unique indexes with account_id so the
-- schema can later be sharded by account. Text columns that are sorted on use COLLATE "C":
-- keyset cursors compare byte-wise, identically on every server locale.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE accounts (
  number          integer PRIMARY KEY CHECK (number BETWEEN 1 AND 99999999),
  name            text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE SEQUENCE account_number_seq START 42;

-- One row per (account, mode): the tenant every record belongs to, e.g. T00000042.
CREATE TABLE account_modes (
  account_id            text COLLATE "C" PRIMARY KEY CHECK (account_id ~ '^[PT][0-9]{8}$'),
  account_number        integer NOT NULL REFERENCES accounts(number),
  mode                  text NOT NULL CHECK (mode IN ('test', 'live')),
  next_customer_number  bigint NOT NULL DEFAULT 1,
  UNIQUE (account_number, mode)
);

CREATE TABLE api_keys (
  id          text COLLATE "C" PRIMARY KEY,
  account_id  text COLLATE "C" NOT NULL REFERENCES account_modes(account_id),
  key_hash    text NOT NULL UNIQUE,
  key_prefix  text NOT NULL,
  name        text NOT NULL,
  scopes      text[] NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

CREATE TABLE oauth_clients (
  client_id    text COLLATE "C" PRIMARY KEY,
  account_id   text COLLATE "C" NOT NULL REFERENCES account_modes(account_id),
  secret_hash  text NOT NULL,
  name         text NOT NULL,
  scopes       text[] NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);

-- The effective KYC status behind the generated column customers.kyc_status: its one current
-- definition, applied here because the table needs it.
\ir ../sql/functions/roster_kyc_status.sql

CREATE TABLE customers (
  account_id       text COLLATE "C" NOT NULL,
  id               text COLLATE "C" NOT NULL,
  number           bigint NOT NULL,
  uuid             uuid NOT NULL,
  external_id      text COLLATE "C",
  type             text COLLATE "C" NOT NULL CHECK (type IN ('individual', 'business', 'operator', 'operator_subsidiary', 'contact', 'employee', 'other')),
  name             text,
  first_name       text,
  last_name        text,
  email            text,
  phone_number     text,
  country          text,
  gender           text,
  date_of_birth    date,
  addresses        jsonb NOT NULL DEFAULT '[]',
  company          jsonb,
  status           text,
  metadata         jsonb NOT NULL DEFAULT '{}',
  attributes       jsonb NOT NULL DEFAULT '{}',
  marketing_consent jsonb,
  enrolled_by      jsonb,
  term             jsonb,
  favorite_store   text,
  contact_for      jsonb NOT NULL DEFAULT '[]',
  kyb_status       text COLLATE "C" NOT NULL DEFAULT 'pending' CHECK (kyb_status IN ('active', 'pending', 'partner_review', 'rejected', 'frozen', 'auto_declined')),
  kyc_links        jsonb NOT NULL DEFAULT '[]',
  provider_statuses jsonb NOT NULL DEFAULT '[]',
  application      jsonb,
  parent_id        text COLLATE "C",
  ancestors        text[] COLLATE "C" NOT NULL DEFAULT '{}',
  operator_id      text COLLATE "C",
  parent_name      text,
  operator_name    text,
  is_sub_client    boolean NOT NULL DEFAULT false,
  extensions       jsonb NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  deleted_at       timestamptz,
  created_by       text,
  deleted_by       text,
  -- Derived columns: computed by Postgres on every write, so no write path can forget them.
  kyc_status       text COLLATE "C" GENERATED ALWAYS AS (roster_kyc_status(application, kyc_links)) STORED,
  application_status text COLLATE "C" GENERATED ALWAYS AS (application ->> 'status') STORED,
  party_type       text COLLATE "C" GENERATED ALWAYS AS (CASE WHEN type IN ('business', 'operator', 'operator_subsidiary') THEN 'business' ELSE 'individual' END) STORED,
  sort_name        text COLLATE "C" GENERATED ALWAYS AS (lower(coalesce(name, ''))) STORED,
  search_text      text COLLATE "C" GENERATED ALWAYS AS (lower(
                     coalesce(name, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' ||
                     coalesce(email, '') || ' ' || coalesce(phone_number, '') || ' ' || coalesce(external_id, '') || ' ' ||
                     id || ' ' || number::text)) STORED,
  PRIMARY KEY (account_id, id),
  UNIQUE (account_id, number),
  UNIQUE (account_id, uuid)
);

-- Uniqueness holds among live records only: a deleted record frees its external id and email.
CREATE UNIQUE INDEX customers_external_id_key ON customers (account_id, external_id) WHERE deleted_at IS NULL AND external_id IS NOT NULL;
CREATE UNIQUE INDEX customers_email_key ON customers (account_id, type, lower(email)) WHERE deleted_at IS NULL AND email IS NOT NULL;
CREATE UNIQUE INDEX customers_phone_key ON customers (account_id, phone_number) WHERE deleted_at IS NULL AND phone_number IS NOT NULL;

-- One index per sort key, ending in the id tiebreak, so a page is an ordered index scan.
CREATE INDEX customers_sort_name_idx ON customers (account_id, sort_name, id);
CREATE INDEX customers_created_at_idx ON customers (account_id, created_at, id);
CREATE INDEX customers_updated_at_idx ON customers (account_id, updated_at, id);
CREATE INDEX customers_type_idx ON customers (account_id, type, id);
CREATE INDEX customers_party_type_idx ON customers (account_id, party_type, sort_name, id);
CREATE INDEX customers_kyb_status_idx ON customers (account_id, kyb_status, id);
CREATE INDEX customers_kyc_status_idx ON customers (account_id, kyc_status, id);
CREATE INDEX customers_application_status_idx ON customers (account_id, (coalesce(application_status, '')), id);
CREATE INDEX customers_parent_name_idx ON customers (account_id, (lower(coalesce(parent_name, '')) COLLATE "C"), id);
CREATE INDEX customers_operator_name_idx ON customers (account_id, (lower(coalesce(operator_name, '')) COLLATE "C"), id);
-- Filters.
CREATE INDEX customers_parent_idx ON customers (account_id, parent_id, id);
CREATE INDEX customers_operator_idx ON customers (account_id, operator_id, id);
CREATE INDEX customers_ancestors_idx ON customers USING gin (ancestors);
CREATE INDEX customers_email_idx ON customers (account_id, lower(email));
CREATE INDEX customers_phone_idx ON customers (account_id, phone_number);
CREATE INDEX customers_attributes_idx ON customers USING gin (attributes jsonb_path_ops);
CREATE INDEX customers_metadata_idx ON customers USING gin (metadata jsonb_path_ops);
CREATE INDEX customers_search_idx ON customers USING gin (search_text gin_trgm_ops);

CREATE TABLE product_accounts (
  account_id            text COLLATE "C" NOT NULL,
  customer_id           text COLLATE "C" NOT NULL,
  product               text COLLATE "C" NOT NULL,
  kyc_status            text COLLATE "C" NOT NULL,
  kyc_approved_at       timestamptz,
  current_market_value  numeric(20, 2) NOT NULL DEFAULT 0,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, customer_id, product),
  FOREIGN KEY (account_id, customer_id) REFERENCES customers (account_id, id) ON DELETE CASCADE
);
CREATE INDEX product_accounts_status_idx ON product_accounts (account_id, product, kyc_status, customer_id);

CREATE TABLE tags (
  account_id  text COLLATE "C" NOT NULL,
  id          uuid NOT NULL,
  tag         text NOT NULL,
  metadata    jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz,
  PRIMARY KEY (account_id, id)
);

CREATE TABLE customer_tags (
  account_id   text COLLATE "C" NOT NULL,
  customer_id  text COLLATE "C" NOT NULL,
  tag_id       uuid NOT NULL,
  PRIMARY KEY (account_id, customer_id, tag_id),
  FOREIGN KEY (account_id, customer_id) REFERENCES customers (account_id, id) ON DELETE CASCADE,
  FOREIGN KEY (account_id, tag_id) REFERENCES tags (account_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_tags_tag_idx ON customer_tags (account_id, tag_id, customer_id);

CREATE TABLE customer_tokens (
  account_id   text COLLATE "C" NOT NULL,
  id           uuid NOT NULL,
  customer_id  text COLLATE "C" NOT NULL,
  type         text NOT NULL,
  value        text NOT NULL,
  metadata     jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz,
  PRIMARY KEY (account_id, id),
  FOREIGN KEY (account_id, customer_id) REFERENCES customers (account_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_tokens_value_idx ON customer_tokens (account_id, value, type) WHERE deleted_at IS NULL;
CREATE INDEX customer_tokens_customer_idx ON customer_tokens (account_id, customer_id);

CREATE TABLE users (
  account_id     text COLLATE "C" NOT NULL,
  id             text COLLATE "C" NOT NULL,
  first_name     text NOT NULL,
  last_name      text NOT NULL,
  email          text NOT NULL,
  role           text COLLATE "C" NOT NULL CHECK (role IN ('admin', 'viewer')),
  swift_enabled  boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz,
  sort_name      text COLLATE "C" GENERATED ALWAYS AS (lower(first_name || ' ' || last_name)) STORED,
  sort_email     text COLLATE "C" GENERATED ALWAYS AS (lower(email)) STORED,
  search_text    text COLLATE "C" GENERATED ALWAYS AS (lower(first_name || ' ' || last_name || ' ' || email || ' ' || id)) STORED,
  PRIMARY KEY (account_id, id)
);
CREATE UNIQUE INDEX users_email_key ON users (account_id, lower(email)) WHERE deleted_at IS NULL;
CREATE INDEX users_created_at_idx ON users (account_id, created_at, id);
CREATE INDEX users_updated_at_idx ON users (account_id, updated_at, id);
CREATE INDEX users_sort_name_idx ON users (account_id, sort_name, id);
CREATE INDEX users_sort_email_idx ON users (account_id, sort_email, id);
CREATE INDEX users_role_idx ON users (account_id, role, id);
CREATE INDEX users_search_idx ON users USING gin (search_text gin_trgm_ops);

CREATE TABLE idempotency_records (
  account_id     text COLLATE "C" NOT NULL,
  key            text NOT NULL,
  scope          text NOT NULL,
  request_hash   text NOT NULL,
  status         integer NOT NULL,
  response       jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, scope, key)
);

-- Row-level security: the second wall behind the query rewrite. Requests run as roster_app
-- with roster.account_id set for their transaction; a query that forgot its account scope
-- still sees only that account's rows.
DO $$ BEGIN
  CREATE ROLE roster_app NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON customers, product_accounts, tags, customer_tags, customer_tokens, users, idempotency_records TO roster_app;
GRANT SELECT, UPDATE ON account_modes TO roster_app;

ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE product_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_modes ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant ON customers TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON product_accounts TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON tags TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON customer_tags TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON customer_tokens TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON users TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON idempotency_records TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON account_modes TO roster_app USING (account_id = current_setting('roster.account_id', true));
