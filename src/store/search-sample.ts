import { Counter } from 'prom-client';
import { registry } from '../ops/metrics.ts';
import type { Db } from './db.ts';
import { repeat } from './repeat.ts';

// How common each trigram is, sampled from the searchable tables (migration 090): search asks
// the trigram index with a term's rarest trigrams only. A stale sample only costs speed, never
// a match, so it is taken again after a bulk load and, by running servers, once it is six hours
// old. Every server checks now and then, but the age is read under the sampling lock, so
// however many servers share the database one of them takes each new sample.

export async function sampleSearch(db: Db): Promise<void> {
  await db.query(`SELECT roster_sample_search()`);
}

export const SAMPLE_EVERY_MS = 6 * 60 * 60 * 1000;
const CHECK_EVERY_MS = 10 * 60 * 1000;

const samples = new Counter({
  name: 'roster_search_samples_total',
  help: 'Checks of the search sample by this process: taken (it was stale and this process sampled), fresh, busy (another process was sampling)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export type SampleOutcome = 'taken' | 'fresh' | 'busy';

/** Samples if the last sample of every searchable table is older than `maxAgeMs` (or missing). */
export function sampleIfStale(db: Db, maxAgeMs = SAMPLE_EVERY_MS): Promise<SampleOutcome> {
  return db.transaction(async (tx) => {
    // The lock roster_sample_search takes itself; held here, it waits for nobody.
    const [{ locked }] = await tx.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext('roster_sample_search')) AS locked`);
    if (!locked) return 'busy';
    const [{ fresh }] = await tx.query<{ fresh: boolean }>(`SELECT coalesce(min(taken_at) > now() - make_interval(secs => $1), false) AS fresh FROM search_samples`, [maxAgeMs / 1000]);
    if (fresh) return 'fresh';
    await tx.query(`SELECT roster_sample_search()`);
    return 'taken';
  });
}

/** Checks now and then every few minutes until the returned function is called. */
export const keepSearchSampled = (db: Db, onError: (e: unknown) => void) => repeat(() => sampleIfStale(db).then((outcome) => samples.inc({ outcome })), CHECK_EVERY_MS, onError);
