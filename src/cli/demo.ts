import type { Db } from '../store/db.ts';
import { createAccount, type NewAccount } from '../store/accounts-repo.ts';

/** On the first start of an empty store: a demo account with demo data, credentials returned once. */
export async function ensureDemo(db: Db, opts: { customers: number; users: number }): Promise<NewAccount | undefined> {
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  if (n > 0) return undefined;
  const account = await createAccount(db, 'Demo', 'test');
  // The generator (and its name lists) is loaded only when there is something to seed.
  const { seed } = await import('../seed/load.ts');
  await seed(db, { accountId: account.account_id, customers: opts.customers, users: opts.users, seed: 1, progress: process.stderr.isTTY });
  return account;
}
