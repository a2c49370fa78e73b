import type { User, UserInput } from '../core/model.ts';
import { USER_ROLES } from '../core/model.ts';
import { eq, listQuery } from '../core/list-query.ts';
import { invalid, notFound, RosterError } from '../core/errors.ts';
import { ksuid } from '../core/ids.ts';
import { inAccount, isUniqueViolation, type Db, type Queryable } from './db.ts';
import { listIn } from './list.ts';

const WRITABLE = ['first_name', 'last_name', 'email', 'role', 'swift_enabled'] as const;

function checkInput(input: UserInput) {
  if (input.role !== undefined && !USER_ROLES.includes(input.role)) throw invalid('role', `must be one of ${USER_ROLES.join(', ')}`);
}

function conflict(e: unknown): never {
  if (isUniqueViolation(e)) throw new RosterError('conflict', 'A user with this email already exists', [{ field: 'email', message: 'already exists', code: 'duplicate' }]);
  throw e;
}

export async function getUserIn(tx: Queryable, accountId: string, id: string): Promise<User | undefined> {
  const q = listQuery({ resource: 'users', filter: eq('id', id), page: { kind: 'keyset', limit: 1 } });
  return (await listIn<User>(tx, accountId, q)).records[0];
}

/** A read of its own, not in a transaction: served by a standby when there are any (replica-reads.ts). */
export const getUser = (db: Db, accountId: string, id: string) => getUserIn(db.reader(accountId), accountId, id);

export type NewUser = Required<Pick<UserInput, 'first_name' | 'last_name' | 'email' | 'role'>> & UserInput;

export function createUser(db: Db, accountId: string, input: NewUser, now = new Date()): Promise<User> {
  return inAccount(db, accountId, (tx) => createUserIn(tx, accountId, input, now));
}

export async function createUserIn(tx: Queryable, accountId: string, input: NewUser, now = new Date()): Promise<User> {
  checkInput(input);
  {
    const id = ksuid(now);
    try {
      await tx.query(`INSERT INTO users (account_id, id, first_name, last_name, email, role, swift_enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, [
        accountId,
        id,
        input.first_name,
        input.last_name,
        input.email,
        input.role,
        input.swift_enabled ?? false,
        now,
      ]);
    } catch (e) {
      conflict(e);
    }
    return (await getUserIn(tx, accountId, id))!;
  }
}

export function updateUser(db: Db, accountId: string, id: string, patch: UserInput, now = new Date()): Promise<User> {
  checkInput(patch);
  return inAccount(db, accountId, async (tx) => {
    const sets = ['updated_at = $3'];
    const values: unknown[] = [accountId, id, now];
    for (const col of WRITABLE) {
      if (patch[col] === undefined) continue;
      values.push(patch[col]);
      sets.push(`${col} = $${values.length}`);
    }
    let rows: unknown[] = [];
    try {
      rows = await tx.query(`UPDATE users SET ${sets.join(', ')} WHERE account_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING id`, values);
    } catch (e) {
      conflict(e);
    }
    if (rows.length === 0) throw notFound('User');
    return (await getUserIn(tx, accountId, id))!;
  });
}

export function deleteUser(db: Db, accountId: string, id: string, now = new Date()): Promise<void> {
  return inAccount(db, accountId, async (tx) => {
    const rows = await tx.query(`UPDATE users SET deleted_at = $3, updated_at = $3 WHERE account_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING id`, [accountId, id, now]);
    if (rows.length === 0) throw notFound('User');
  });
}
