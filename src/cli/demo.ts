import type { Db } from '../store/db.ts';
import { createAccount, type NewAccount } from '../store/accounts-repo.ts';
import { seed } from '../seed/load.ts';

/** On the first start of an empty store: a demo account with demo data, credentials returned once. */
export async function ensureDemo(db: Db, opts: { customers: number; users: number }): Promise<NewAccount | undefined> {
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  if (n > 0) return undefined;
  const account = await createAccount(db, 'Demo', 'test');
  await seed(db, { accountId: account.account_id, customers: opts.customers, users: opts.users, seed: 1, progress: process.stderr.isTTY });
  return account;
}
