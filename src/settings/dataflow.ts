// Every environment setting of events, webhooks, imports and exports, read in this one place.
// Each has a default fit for production; the tests set short ones to see retries and give-ups
// within seconds.
//
// | variable                          | default   | meaning                                                        |
// | ROSTER_EVENT_RETENTION_DAYS       | 30        | events (and finished deliveries) older than this are removed    |
// | ROSTER_WEBHOOK_TIMEOUT_MS         | 10000     | a delivery not answered within this is a failed attempt         |
// | ROSTER_WEBHOOK_RETRY_BASE_MS      | 10000     | first retry delay; each retry doubles it (capped at 6 hours)    |
// | ROSTER_WEBHOOK_GIVE_UP_SECONDS    | 259200    | a delivery still failing this long after its event (3 days) is  |
// |                                   |           | given up and its endpoint disabled                              |
// | ROSTER_WEBHOOK_CONCURRENCY        | 16        | deliveries one process sends at once                            |
// | ROSTER_WEBHOOK_PER_ENDPOINT       | 4         | of which at most this many to one endpoint, so a slow receiver  |
// |                                   |           | holds only its own share                                        |
// | ROSTER_WEBHOOK_POLL_MS            | 500       | how often an idle sender looks for due deliveries               |
// | ROSTER_WEBHOOKS                   | on        | `off`: this process sends no deliveries (others on the database |
// |                                   |           | still do)                                                       |
// | ROSTER_IMPORT_MAX_BYTES           | 1 GiB     | largest body POST /v1/imports accepts                           |

export interface DataflowSettings {
  eventRetentionDays: number;
  webhookTimeoutMs: number;
  webhookRetryBaseMs: number;
  webhookGiveUpSeconds: number;
  webhookConcurrency: number;
  webhookPerEndpoint: number;
  webhookPollMs: number;
  webhooksEnabled: boolean;
  importMaxBytes: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got ${JSON.stringify(raw)})`);
  return n;
}

export function dataflowSettings(env: NodeJS.ProcessEnv = process.env): DataflowSettings {
  return {
    eventRetentionDays: positive(env, 'ROSTER_EVENT_RETENTION_DAYS', 30),
    webhookTimeoutMs: positive(env, 'ROSTER_WEBHOOK_TIMEOUT_MS', 10_000),
    webhookRetryBaseMs: positive(env, 'ROSTER_WEBHOOK_RETRY_BASE_MS', 10_000),
    webhookGiveUpSeconds: positive(env, 'ROSTER_WEBHOOK_GIVE_UP_SECONDS', 3 * 24 * 3600),
    webhookConcurrency: Math.floor(positive(env, 'ROSTER_WEBHOOK_CONCURRENCY', 16)),
    webhookPerEndpoint: Math.floor(positive(env, 'ROSTER_WEBHOOK_PER_ENDPOINT', 4)),
    webhookPollMs: positive(env, 'ROSTER_WEBHOOK_POLL_MS', 500),
    webhooksEnabled: env.ROSTER_WEBHOOKS !== 'off',
    importMaxBytes: positive(env, 'ROSTER_IMPORT_MAX_BYTES', 1024 ** 3),
  };
}
