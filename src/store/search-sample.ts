import type { Db } from './db.ts';
import { repeat } from './repeat.ts';

// How common each trigram is, sampled from the searchable tables (migration 090): search asks
// the trigram index with a term's rarest trigrams only. A stale sample only costs speed, never
// a match, so it is taken again after a bulk load and every few hours by a running server.

export async function sampleSearch(db: Db): Promise<void> {
  await db.query(`SELECT roster_sample_search()`);
}

const EVERY = 6 * 60 * 60 * 1000;

/** Samples now and then every few hours until the returned function is called. */
export const keepSearchSampled = (db: Db, onError: (e: unknown) => void) => repeat(() => sampleSearch(db), EVERY, onError);
