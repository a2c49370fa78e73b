import { setting } from './settings.ts';

// The settings of events, webhooks and imports (in settings.ts's table with the rest). Each has
// a default fit for production; the tests set short ones to see retries and give-ups within
// seconds.

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

export function dataflowSettings(env: NodeJS.ProcessEnv = process.env): DataflowSettings {
  const get = (name: string, fallback: number) => setting<number>(name, env) ?? fallback;
  return {
    eventRetentionDays: get('ROSTER_EVENT_RETENTION_DAYS', 30),
    webhookTimeoutMs: get('ROSTER_WEBHOOK_TIMEOUT_MS', 10_000),
    webhookRetryBaseMs: get('ROSTER_WEBHOOK_RETRY_BASE_MS', 10_000),
    webhookGiveUpSeconds: get('ROSTER_WEBHOOK_GIVE_UP_SECONDS', 3 * 24 * 3600),
    webhookConcurrency: get('ROSTER_WEBHOOK_CONCURRENCY', 16),
    webhookPerEndpoint: get('ROSTER_WEBHOOK_PER_ENDPOINT', 4),
    webhookPollMs: get('ROSTER_WEBHOOK_POLL_MS', 500),
    webhooksEnabled: setting<boolean>('ROSTER_WEBHOOKS', env) ?? true,
    importMaxBytes: get('ROSTER_IMPORT_MAX_BYTES', 1024 ** 3),
  };
}
