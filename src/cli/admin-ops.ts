import { createAccount, type NewAccount } from '../store/accounts-repo.ts';
import { createKey, listAccounts, listKeys, revokeKey, type AccountInfo, type ApiKeyInfo, type CreatedKey } from '../store/keys-repo.ts';
import type { AccountMode, Scope } from '../core/model.ts';
import type { Db } from '../store/db.ts';

// What the operator's commands do to accounts and keys, behind one interface with two routes:
// straight to the store, or through a running server's control socket when the server holds
// the embedded store (see control-socket.ts). Arguments and results are plain JSON.

export interface AdminOps {
  createAccount(name: string, mode: AccountMode): Promise<NewAccount>;
  listAccounts(): Promise<AccountInfo[]>;
  createKey(accountId: string, name: string, scopes: Scope[], expiresAt: string | null): Promise<CreatedKey>;
  listKeys(accountId: string): Promise<ApiKeyInfo[]>;
  revokeKey(keyId: string): Promise<ApiKeyInfo>;
}

export type OpName = keyof AdminOps;
export const OP_NAMES: OpName[] = ['createAccount', 'listAccounts', 'createKey', 'listKeys', 'revokeKey'];

/** The operations on a store this process has open; `onRevoke` lets a server drop cached keys. */
export function directOps(db: Db, onRevoke: () => void = () => {}): AdminOps {
  return {
    createAccount: (name, mode) => createAccount(db, name, mode),
    listAccounts: () => listAccounts(db),
    createKey: (accountId, name, scopes, expiresAt) => createKey(db, accountId, { name, scopes, expiresAt: expiresAt ? new Date(expiresAt) : null }),
    listKeys: (accountId) => listKeys(db, accountId),
    async revokeKey(keyId) {
      const revoked = await revokeKey(db, keyId);
      onRevoke();
      return revoked;
    },
  };
}
