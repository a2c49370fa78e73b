import { renameSync, writeFileSync } from 'node:fs';
import type { Db } from '../store/db.ts';
import { createAccountIn, type NewAccount } from '../store/accounts-repo.ts';

/** Serializes first starts of several processes against one PostgreSQL. */
const DEMO_LOCK = 7264002;

/**
 * On the first start of an empty store: a demo account, its demo data and its credentials, in
 * one transaction, so that a start killed part way leaves either all of it or none (and the
 * next start begins again). The credentials file is written before the commit: if the commit
 * never happens the file names an account that does not exist, and the next start, finding
 * the store still empty, writes it again.
 */
export async function ensureDemo(db: Db, opts: { customers: number; users: number; credentialsFile: string; onStart?: () => void }): Promise<NewAccount | undefined> {
  // The generator (and its name lists) is loaded only when there may be something to seed.
  const { seedIn, settle } = await import('../seed/load.ts');
  const created = await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${DEMO_LOCK})`);
    const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
    if (n > 0) return undefined;
    opts.onStart?.();
    const account = await createAccountIn(tx, 'Demo', 'test');
    await seedIn(tx, { accountId: account.account_id, customers: opts.customers, users: opts.users, seed: 1 });
    writeCredentials(opts.credentialsFile, account);
    return account;
  });
  if (created) await settle(db);
  return created;
}

/** Written whole or not at all: a temporary file renamed into place, readable by its owner only. */
function writeCredentials(file: string, account: NewAccount) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(account, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}
