-- Rate-limit counts every Roster process on this database shares: one row per bucket (a
-- surface and a credential or client address) and one-minute window, summed by the processes'
-- periodic flushes (src/store/rate-counters.ts). Buckets are not all an account's (client
-- addresses are not), so this operational table is keyed by bucket, not by account; it is
-- read and written by the server itself, never as roster_app.
CREATE TABLE rate_limit_windows (
  bucket        text COLLATE "C" NOT NULL,
  window_start  bigint NOT NULL,
  hits          integer NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limit_windows_window_idx ON rate_limit_windows (window_start);

-- Per-account settings: the vendor profile (each vendor's documented limits) or the default
-- profile with the account's own requests-per-minute figure.
CREATE TABLE account_rate_limits (
  account_id  text COLLATE "C" PRIMARY KEY REFERENCES account_modes(account_id),
  profile     text NOT NULL DEFAULT 'default' CHECK (profile IN ('default', 'vendor')),
  per_minute  integer CHECK (per_minute > 0)
);
