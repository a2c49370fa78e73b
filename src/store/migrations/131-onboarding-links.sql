-- Hosted onboarding links: the token in an application's link, kept only as its SHA-256, so a
-- copy of the database cannot open anyone's application. One live link per application; a new
-- one replaces it. Found by token hash from the public page, then read and written in its account.
CREATE TABLE onboarding_links (
  account_id      text COLLATE "C" NOT NULL,
  application_id  text COLLATE "C" NOT NULL,
  customer_id     text COLLATE "C" NOT NULL,
  token_hash      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (account_id, application_id),
  FOREIGN KEY (account_id, customer_id) REFERENCES customers (account_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX onboarding_links_token_key ON onboarding_links (token_hash);
GRANT SELECT, INSERT, UPDATE, DELETE ON onboarding_links TO roster_app;
ALTER TABLE onboarding_links ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON onboarding_links TO roster_app USING (account_id = current_setting('roster.account_id', true));
